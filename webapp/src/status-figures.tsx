/** The figures under the status line: throughput, delivered, queue, dead letters, inputs, last error. */
import { formatAgo, formatCount, formatRate } from './format.js';
import { InputTable } from './input-table.js';
import { Sparkline } from './sparkline.js';
import type { ForwarderStatus } from '../../plugin-contract/forwarder-api.js';

export interface ReplayState {
  busy: boolean;
  message?: string;
  tone?: 'ok' | 'error';
}

export interface StatusFiguresProps {
  status: ForwarderStatus;
  /** Records/s between successive polls, oldest first. */
  rates: readonly number[];
  capacity: number;
  minutes: number;
  replay: ReplayState;
  onReplay: () => void;
  disabled: boolean;
  /** The forwarder can't be asked now: these are the last figures it gave. */
  stale: boolean;
}

export function StatusFigures({ status, rates, capacity, minutes, replay, onReplay, disabled, stale }: StatusFiguresProps) {
  const { queue, rate, sink } = status;
  const now = rates.at(-1) ?? rate.perSecond1m;
  return (
    <>
      <div className={`mae-tiles${stale ? ' mae-tiles--stale' : ''}`}>
        <div className='mae-tile mae-tile--wide' data-testid='mae-rate'>
          <div className='mae-tile__label'>Records/s now</div>
          <div className='mae-tile__value' data-testid='mae-rate-now'>{formatRate(now)}</div>
          <Sparkline values={rates} capacity={capacity} label={`Records per second, last ${minutes} minutes`}/>
          <div className='mae-muted'>{`1 min avg ${formatRate(rate.perSecond1m)} · 5 min avg ${formatRate(rate.perSecond5m)}`}</div>
        </div>
        <div className='mae-tile' data-testid='mae-delivered'>
          <div className='mae-tile__label'>Delivered</div>
          <div className='mae-tile__value' data-testid='mae-delivered-count'>{formatCount(sink.delivered)}</div>
          <div className='mae-muted'>{sink.lastSuccessAt ? `last ${formatAgo(sink.lastSuccessAt)}` : 'nothing yet'}</div>
        </div>
        <div className='mae-tile' data-testid='mae-queue'>
          <div className='mae-tile__label'>Waiting in queue</div>
          <div className='mae-tile__value' data-testid='mae-waiting'>{formatCount(queue.pendingRecords)}</div>
          <div className='mae-muted'>{`${formatCount(queue.waiting + queue.delayed)} ${queue.waiting + queue.delayed === 1 ? 'batch' : 'batches'} · ${formatCount(queue.active)} active`}</div>
        </div>
        <div className='mae-tile' data-testid='mae-failed'>
          <div className='mae-tile__label'>Failed batches</div>
          <div className={`mae-tile__value${queue.failed > 0 ? ' mae-tile__value--alert' : ''}`}>{formatCount(queue.failed)}</div>
          <div className='mae-muted'>retried with backoff</div>
        </div>
        <div className='mae-tile' data-testid='mae-dead-letters'>
          <div className='mae-tile__label'>Dead letters</div>
          <div className={`mae-tile__value${queue.deadLetters > 0 ? ' mae-tile__value--alert' : ''}`} data-testid='mae-dead-letter-count'>{formatCount(queue.deadLetters)}</div>
          {queue.deadLetters > 0 || replay.message ? (
            <button type='button' className='btn btn-tertiary btn-sm' onClick={onReplay} disabled={disabled || replay.busy || queue.deadLetters === 0}>
              {replay.busy ? 'Replaying…' : 'Replay dead letters'}
            </button>
          ) : <div className='mae-muted'>refused by Elasticsearch</div>}
          {replay.message ? <div className={replay.tone === 'error' ? 'mae-error-text' : 'mae-muted'} role='status'>{replay.message}</div> : null}
        </div>
      </div>
      <div className='mae-section-title' id='mae-inputs-title'>Inputs</div>
      <InputTable inputs={status.inputs}/>
      <div className='mae-section-title'>Last delivery error</div>
      {sink.lastError ? (
        <div className='mae-error-text' data-testid='mae-last-error'>
          {`${sink.lastError} (${formatAgo(sink.lastErrorAt)}${sink.lastErrorAt ? `, ${new Date(sink.lastErrorAt).toLocaleString()}` : ''})`}
        </div>
      ) : <div className='mae-muted' data-testid='mae-last-error'>None since the counters started.</div>}
      <div className='mae-muted mae-footer-line'>
        {`Forwarder ${status.service.version} (${status.service.role}) · runs config version ${status.config.version} · queue limit ${formatCount(queue.highWaterMark)} records`}
      </div>
    </>
  );
}
