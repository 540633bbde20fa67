/**
 * The one-line answer to "is it working?" for every state the panel can be in, with words for
 * each: never a blank box. Pure, so each wording is easy to check.
 */
import { formatCount } from './format.js';
import { ForwarderError } from './forwarder-client.js';
import type { ForwarderStatus } from '../../plugin-contract/forwarder-api.js';

export type Tone = 'idle' | 'ok' | 'warn' | 'error';

export interface PanelState {
  tone: Tone;
  /** Stable name of the state, also for tests and screenshots. */
  name: 'loading' | 'not-configured' | 'unreachable' | 'unauthorized' | 'forwarder-error' | 'file-sink' | 'elasticsearch-down' | 'cluster-red' | 'connected';
  title: string;
  detail: string;
}

export function describeProblem(error: unknown, url: string | undefined): PanelState {
  if (error instanceof ForwarderError) {
    switch (error.problem) {
      case 'not-configured':
        return { tone: 'idle', name: 'not-configured', title: 'Not set up yet', detail: error.message };
      case 'unreachable':
      case 'timeout':
        return { tone: 'error', name: 'unreachable', title: 'Forwarder unreachable', detail: error.message };
      case 'unauthorized':
        return { tone: 'error', name: 'unauthorized', title: 'Wrong token', detail: error.message };
      default:
        return { tone: 'error', name: 'forwarder-error', title: 'Forwarder error', detail: error.message };
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  return { tone: 'error', name: 'forwarder-error', title: 'Forwarder error', detail: `${url ?? 'The forwarder'}: ${message}` };
}

export function describeLoading(url: string): PanelState {
  return { tone: 'idle', name: 'loading', title: 'Connecting to the forwarder…', detail: `Asking ${url} for its status.` };
}

export function describeStatus(status: ForwarderStatus): PanelState {
  const { sink, queue } = status;
  const waiting = queue.pendingRecords > 0 ? ` ${formatCount(queue.pendingRecords)} records wait in the queue and go out once it is back.` : ' Records wait in the queue until it is back.';
  if (sink.kind === 'file') {
    return {
      tone: 'warn',
      name: 'file-sink',
      title: 'Forwarder running, no Elasticsearch configured',
      detail: `Records are written as NDJSON to ${sink.target} on the forwarder. Enter the Elasticsearch URL and press Save.`,
    };
  }
  if (!sink.reachable) {
    return {
      tone: 'error',
      name: 'elasticsearch-down',
      title: 'Elasticsearch unreachable',
      detail: `${sink.target}: ${sink.error ?? 'no answer'}.${waiting}`,
    };
  }
  const version = sink.version ? `Elasticsearch ${sink.version}` : 'Elasticsearch';
  if (sink.health === 'red') {
    return { tone: 'error', name: 'cluster-red', title: `${version}: cluster health red`, detail: `${sink.target} answers, but some primary shards are unassigned: writes may fail.` };
  }
  const health = sink.health ? `cluster health ${sink.health}` : 'cluster health unknown';
  return { tone: 'ok', name: 'connected', title: `Connected to ${version}`, detail: `${health} · ${sink.target}` };
}
