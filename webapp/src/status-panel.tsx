/**
 * The "Status" custom setting: polls the forwarder's GET /v1/status every 3 s and answers
 * "is it working?" at a glance. It also registers the Save action (one per page: this setting
 * is always on the page while the plugin is enabled) and shows how the push went.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { adminClient, readClient } from './forwarder-access.js';
import { describeError, ForwarderError } from './forwarder-client.js';
import { formatAgo } from './format.js';
import { currentPluginValues } from './plugin-values.js';
import { latestSaveOutcome, onSaveOutcome, pushSettingsToForwarder, type SaveOutcome } from './save-action.js';
import { StatusFigures, type ReplayState } from './status-figures.js';
import { describeLoading, describeProblem, describeStatus, type PanelState } from './status-state.js';
import { ensureStyles } from './styles.js';
import type { ForwarderStatus } from '../../plugin-contract/forwarder-api.js';
import type { CustomSettingProps } from './types.js';

const POLL_MS = 3000;
const HISTORY_MINUTES = 5;
const CAPACITY = (HISTORY_MINUTES * 60_000) / POLL_MS;

interface Poll {
  state: PanelState;
  /** The last status that arrived, kept while the forwarder is unreachable. */
  status?: ForwarderStatus;
  receivedAt?: number;
  url?: string;
}

interface Sample { at: number; delivered: number; url: string }

export function StatusPanel(props: CustomSettingProps) {
  const configRef = useRef(props.config);
  configRef.current = props.config;
  const [poll, setPoll] = useState<Poll>({ state: describeLoading('the forwarder') });
  const [rates, setRates] = useState<number[]>([]);
  const [saved, setSaved] = useState<SaveOutcome | undefined>(latestSaveOutcome());
  const [replay, setReplay] = useState<ReplayState>({ busy: false });
  const lastSample = useRef<Sample | undefined>(undefined);
  const pollNow = useRef<() => void>(() => undefined);

  useEffect(() => ensureStyles(), []);

  // Save: Mattermost calls this after storing its config; the panel polls again at once.
  const { registerSaveAction, unRegisterSaveAction } = props;
  useEffect(() => {
    const action = async () => {
      const result = await pushSettingsToForwarder(configRef.current);
      pollNow.current();
      return result;
    };
    registerSaveAction(action);
    return () => unRegisterSaveAction(action);
  }, [registerSaveAction, unRegisterSaveAction]);
  useEffect(() => onSaveOutcome(setSaved), []);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // One poll at a time: a poll asked for while one runs (after Save) follows it at once.
    let inFlight = false;
    let again = false;
    const pollOnce = async () => {
      const values = currentPluginValues(configRef.current);
      const client = readClient(values);
      if (client instanceof ForwarderError) {
        lastSample.current = undefined;
        setRates([]);
        setPoll({ state: describeProblem(client, undefined) });
        return;
      }
      setPoll((previous) => (previous.url === client.baseUrl ? previous : { state: describeLoading(client.baseUrl), url: client.baseUrl }));
      try {
        const status = await client.status();
        if (stopped) return;
        sample(client.baseUrl, status.sink.delivered);
        setPoll({ state: describeStatus(status), status, receivedAt: Date.now(), url: client.baseUrl });
      } catch (error) {
        if (!stopped) setPoll((previous) => ({ ...previous, state: describeProblem(error, client.baseUrl), url: client.baseUrl }));
      }
    };
    const run = async () => {
      if (inFlight) {
        again = true;
        return;
      }
      inFlight = true;
      clearTimeout(timer);
      try {
        await pollOnce();
      } finally {
        inFlight = false;
      }
      if (stopped) return;
      if (again) {
        again = false;
        void run();
      } else {
        timer = setTimeout(() => void run(), POLL_MS);
      }
    };
    // Records/s between two polls of the delivered counter: the "now" the 1-minute average lags behind.
    const sample = (url: string, delivered: number) => {
      const now = Date.now();
      const previous = lastSample.current;
      // An extra poll right after another (Save, replay) would make a spike of a tiny interval.
      if (previous && previous.url === url && now - previous.at < 1000) return;
      lastSample.current = { at: now, delivered, url };
      if (!previous || previous.url !== url || delivered < previous.delivered) {
        setRates([]);
        return;
      }
      const rate = ((delivered - previous.delivered) * 1000) / Math.max(1, now - previous.at);
      setRates((list) => [...list, rate].slice(-CAPACITY));
    };
    pollNow.current = () => void run();
    void run();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, []);

  const onReplay = useCallback(async () => {
    const client = adminClient(currentPluginValues(configRef.current), 'replay dead letters');
    if (client instanceof ForwarderError) {
      setReplay({ busy: false, tone: 'error', message: client.message });
      return;
    }
    setReplay({ busy: true });
    try {
      const { replayed } = await client.replayDeadLetters();
      setReplay({ busy: false, tone: 'ok', message: `${replayed} ${replayed === 1 ? 'dead letter' : 'dead letters'} queued again.` });
    } catch (error) {
      setReplay({ busy: false, tone: 'error', message: describeError(error) });
    }
    pollNow.current();
  }, []);

  const { state, status, receivedAt } = poll;
  const stale = status !== undefined && state.name !== describeStatus(status).name;
  return (
    <div className='mae-panel' data-testid='mae-status-panel' data-state={state.name}>
      <div className={`mae-state mae-state--${state.tone}`} role='status' aria-live='polite' aria-atomic='true'>
        <span className='mae-dot' aria-hidden='true'/>
        <div>
          <div className='mae-state__title' data-testid='mae-state-title'>{state.title}</div>
          <div className='mae-state__detail' data-testid='mae-state-detail'>{state.detail}</div>
        </div>
      </div>
      {status ? (
        <>
          {stale ? <div className='mae-note' data-testid='mae-stale'>{`Last known figures, received ${formatAgo(new Date(receivedAt ?? 0).toISOString())}.`}</div> : null}
          <StatusFigures status={status} rates={rates} capacity={CAPACITY} minutes={HISTORY_MINUTES} replay={replay} onReplay={() => void onReplay()} disabled={props.disabled || stale} stale={stale}/>
        </>
      ) : null}
      {saved ? (
        <div className={`mae-note${saved.tone === 'error' ? ' mae-note--error' : saved.tone === 'ok' ? ' mae-note--ok' : ''}`} role='status' data-testid='mae-save-outcome'>
          {`${saved.message} (${formatAgo(new Date(saved.at).toISOString())})`}
        </div>
      ) : null}
    </div>
  );
}
