/**
 * The "Send this server's audit records to the forwarder" custom setting: where Mattermost
 * reaches the forwarder's TCP input (prefilled from the forwarder URL and the input's port), a
 * button that wires Mattermost's audit logging to it (audit-wiring.ts), and the outcome in
 * words: done, with the targets kept; or the exact settings to use instead, and why.
 */
import { useEffect, useRef, useState } from 'react';
import { portOf, type TcpEndpoint } from './audit-target.js';
import { wireAuditTarget, type WiringOutcome } from './audit-wiring.js';
import { readClient } from './forwarder-access.js';
import { describeError, ForwarderError } from './forwarder-client.js';
import { currentPluginValues } from './plugin-values.js';
import { onSaveOutcome } from './save-action.js';
import { pluginValue } from '../../plugin-contract/settings-map.js';
import { ensureStyles } from './styles.js';
import type { InputStatus } from '../../plugin-contract/forwarder-api.js';
import type { CustomSettingProps } from './types.js';

const DEFAULT_PORT = 5514;

function hostOf(url: unknown): string {
  try {
    return typeof url === 'string' && url.trim() !== '' ? new URL(url.trim()).hostname.replace(/^\[(.*)\]$/, '$1') : '';
  } catch {
    return '';
  }
}

function describeInput(tcp: InputStatus | undefined | null): { text: string; ok: boolean } {
  if (tcp === null) return { text: 'The forwarder’s TCP input: unknown (enter the forwarder URL and status token to see it).', ok: false };
  if (!tcp || tcp.state === 'off' || tcp.state === undefined) {
    return { text: 'The forwarder’s TCP input is off: set “Input: TCP audit target” to On (the forwarder needs TCP_LISTEN) and Save, or the records will not arrive.', ok: false };
  }
  if (tcp.state === 'running') return { text: `The forwarder’s TCP input is on, listening on ${tcp.target ?? 'its TCP_LISTEN'}${tcp.tls ? ' with TLS' : ''}.`, ok: true };
  return { text: `The forwarder’s TCP input does not run: ${tcp.problem ?? tcp.state}.`, ok: false };
}

function Outcome({ outcome }: { outcome: WiringOutcome }) {
  if (outcome.kind === 'failed') return <span className='mae-error-text'><span className='mae-error-mark' aria-hidden='true'>✗ </span>{outcome.message}</span>;
  if (outcome.kind === 'patched') {
    const { host, port, tls } = outcome.endpoint;
    const kept = outcome.kept.length > 0 ? ` Its other audit targets are kept: ${outcome.kept.join(', ')}.` : '';
    return (
      <span>
        <span className='mae-ok-mark' aria-hidden='true'>✓ </span>
        {`Done: Mattermost now sends its audit records (audit-api, audit-content, audit-permissions, audit-cli) as JSON to ${host}:${port}${tls ? ' over TLS' : ''}, `
          + `target “mattermost-audit-elastic” in ExperimentalAuditSettings.AdvancedLoggingJSON${outcome.replaced ? ' (replaced)' : ''}.${kept}`
          + ' If no records arrive (the TCP row of the status panel), restart Mattermost: it may read its audit targets at start only.'}
      </span>
    );
  }
  return (
    <div className='mae-wiring-manual'>
      <div>{outcome.reason}</div>
      <div className='mae-section-title'>With an Advanced Logging licence: ExperimentalAuditSettings.AdvancedLoggingJSON in config.json</div>
      <pre className='mae-code' data-testid='mae-wiring-json'>{outcome.json}</pre>
      <div className='mae-section-title'>Whatever the licence: in the Mattermost server’s environment, then restart it</div>
      <pre className='mae-code' data-testid='mae-wiring-env'>{outcome.env}</pre>
      <div className='mae-section-title'>Or the audit file, tailed by the forwarder</div>
      <div>
        Set ExperimentalAuditSettings.FileEnabled to true and FileName to a path such as /var/log/mattermost/audit.log on the Mattermost host; run the forwarder there
        with AUDIT_LOG_PATHS set to that path and “Input: audit log file” On. What Mattermost still writes to its Audits table the REST poller reads (“Input: Mattermost REST API”).
      </div>
    </div>
  );
}

export function ConnectMattermost(props: CustomSettingProps) {
  // The host follows the forwarder URL on the page until the admin types another.
  const [typedHost, setHost] = useState<string | undefined>();
  const host = typedHost ?? hostOf(pluginValue(currentPluginValues(props.config), 'ForwarderUrl'));
  const [port, setPort] = useState(String(DEFAULT_PORT));
  const [tls, setTls] = useState(false);
  const [tcp, setTcp] = useState<InputStatus | undefined | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<WiringOutcome | undefined>();
  const mounted = useRef(true);

  // What the forwarder's TCP input is: its port and TLS prefill the fields, its state is said.
  const look = async () => {
    const client = readClient(currentPluginValues(props.config));
    if (client instanceof ForwarderError) return setTcp(null);
    const status = await client.status().catch(() => undefined);
    if (!mounted.current) return;
    const input = status ? status.inputs.tcp : null;
    setTcp(input);
    const listening = portOf(input?.target);
    if (listening) setPort(String(listening));
    if (input?.tls !== undefined) setTls(input.tls);
    // Switched a moment ago: look again once it has started (or stopped).
    if (input?.state === 'starting' || input?.state === 'stopping') setTimeout(() => void look(), 1500);
  };
  useEffect(() => {
    ensureStyles();
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  useEffect(() => {
    void look();
  }, []);
  // Again after each push of a Save: the switch or the tokens may have changed (the forwarder switches within a second).
  useEffect(() => onSaveOutcome(() => setTimeout(() => void look(), 1000)), []);

  const run = async () => {
    const portNumber = Number(port);
    if (host.trim() === '' || !Number.isInteger(portNumber) || portNumber < 1 || portNumber > 65535) {
      setOutcome({ kind: 'failed', message: 'Enter the host and port at which the Mattermost server reaches the forwarder’s TCP input.' });
      return;
    }
    const endpoint: TcpEndpoint = { host: host.trim(), port: portNumber, tls };
    setBusy(true);
    setOutcome(undefined);
    try {
      const result = await wireAuditTarget(endpoint);
      if (mounted.current) setOutcome(result);
    } catch (error) {
      if (mounted.current) setOutcome({ kind: 'failed', message: describeError(error) });
    } finally {
      if (mounted.current) setBusy(false);
    }
    void look();
  };

  const input = describeInput(tcp);
  return (
    <div className='mae-wiring' data-testid='mae-wiring'>
      <div className='mae-wiring__fields'>
        <label htmlFor='mae-wiring-host'>Host as Mattermost reaches the forwarder</label>
        <input id='mae-wiring-host' className='form-control' value={host} onChange={(e) => setHost(e.target.value)} placeholder='audit-forwarder.example.com' disabled={props.disabled}/>
        <label htmlFor='mae-wiring-port'>TCP input port</label>
        <input id='mae-wiring-port' className='form-control mae-wiring__port' value={port} inputMode='numeric' onChange={(e) => setPort(e.target.value)} disabled={props.disabled}/>
        <label className='mae-wiring__tls'>
          <input type='checkbox' checked={tls} onChange={(e) => setTls(e.target.checked)} disabled={props.disabled}/>
          {' TLS (the forwarder has TCP_TLS_CERT)'}
        </label>
      </div>
      <div className={input.ok ? 'mae-muted' : 'mae-note'} data-testid='mae-wiring-input'>{input.text}</div>
      <button type='button' className='btn btn-primary' onClick={() => void run()} disabled={props.disabled || busy}>
        {busy ? <span className='mae-spinner' aria-hidden='true'/> : null}
        {busy ? 'Connecting…' : 'Send this server’s audit records to the forwarder'}
      </button>
      <div role='status' aria-live='polite' data-testid='mae-wiring-result' data-outcome={outcome?.kind ?? 'idle'}>
        {outcome ? <Outcome outcome={outcome}/> : null}
      </div>
    </div>
  );
}
