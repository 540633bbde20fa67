/** The inputs of the status panel: each one's switch and real state, and what it took in. */
import { formatAgo, formatCount, formatLag } from './format.js';
import type { InputStatus } from '../../plugin-contract/forwarder-api.js';

const LABELS: Record<string, string> = { http: 'Webhook', file: 'Audit log file', tcp: 'TCP audit target', rest: 'REST API poller' };
// The table's order: how admins are told to connect Mattermost, most direct first.
const ORDER = ['tcp', 'file', 'rest', 'http'];

const STATES: Record<string, { text: string; tone: 'ok' | 'muted' | 'error' }> = {
  running: { text: 'on', tone: 'ok' },
  off: { text: 'off', tone: 'muted' },
  unconfigured: { text: 'on, not running', tone: 'error' },
  failed: { text: 'failed to start', tone: 'error' },
  starting: { text: 'starting…', tone: 'muted' },
  stopping: { text: 'stopping…', tone: 'muted' },
};

function order(name: string): number {
  const index = ORDER.indexOf(name);
  return index === -1 ? ORDER.length : index;
}

function StateCell({ input }: { input: InputStatus }) {
  const state = input.state ? STATES[input.state] : undefined;
  if (!state) return <td className='mae-muted'>–</td>;
  return (
    <td>
      <span className={state.tone === 'ok' ? 'mae-ok-text' : state.tone === 'error' ? 'mae-error-text' : 'mae-muted'}>{state.text}</span>
      {input.problem ? <div className='mae-error-text mae-small'>{input.problem}</div> : null}
    </td>
  );
}

export function InputTable({ inputs }: { inputs: Record<string, InputStatus> }) {
  const rows = Object.entries(inputs).sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b));
  if (rows.length === 0) return <div className='mae-muted'>This forwarder runs no inputs (a worker process).</div>;
  return (
    <table className='mae-table' aria-labelledby='mae-inputs-title' data-testid='mae-inputs'>
      <thead>
        <tr><th scope='col'>Input</th><th scope='col'>State</th><th scope='col'>Records</th><th scope='col'>Last record</th><th scope='col'>Lag</th><th scope='col'>Last error</th></tr>
      </thead>
      <tbody>
        {rows.map(([name, input]) => (
          <tr key={name} data-testid={`mae-input-${name}`} data-state={input.state ?? 'unknown'}>
            <th scope='row'>
              {LABELS[name] ?? name}
              {input.target ? <div className='mae-muted mae-small'>{input.target}</div> : null}
            </th>
            <StateCell input={input}/>
            <td className='mae-num'>{formatCount(input.records ?? 0)}</td>
            <td>{formatAgo(input.lastRecordAt ?? input.lastSeen)}</td>
            <td className='mae-num'>{formatLag(input.lag, input.kind)}</td>
            <td className={input.lastError ? 'mae-error-text' : 'mae-muted'}>{input.lastError ?? 'none'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
