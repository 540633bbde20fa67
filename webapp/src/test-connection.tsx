/**
 * The "Test connection" custom setting: sends the Elasticsearch settings as entered (saved or
 * not) to the forwarder's POST /v1/config/test, which tries them from where the records will go
 * from, and shows the answer in words: the version, or why not (DNS, TLS, 401, refused, …).
 */
import { useEffect, useRef, useState } from 'react';
import { adminClient } from './forwarder-access.js';
import { describeError, ForwarderError } from './forwarder-client.js';
import { currentPluginValues } from './plugin-values.js';
import { withDisplayNames } from './save-action.js';
import { connectionTestBody } from '../../plugin-contract/settings-map.js';
import { ensureStyles } from './styles.js';
import type { ConnectionTestResult } from '../../plugin-contract/forwarder-api.js';
import type { CustomSettingProps } from './types.js';

type Outcome =
  | { kind: 'idle' }
  | { kind: 'running'; target: string }
  | { kind: 'ok'; text: string }
  | { kind: 'failed'; text: string };

export function describeTestResult(result: ConnectionTestResult): Outcome {
  if (result.kind === 'file') {
    return { kind: 'failed', text: 'No Elasticsearch URL: the forwarder would write NDJSON files. Enter the Elasticsearch URL first.' };
  }
  if (result.ok) {
    const health = result.health ? `, cluster health ${result.health}` : '';
    return { kind: 'ok', text: `Connected to Elasticsearch ${result.version ?? '(version unknown)'} at ${result.target}${health}.` };
  }
  return { kind: 'failed', text: `Could not connect to Elasticsearch at ${result.target}: ${result.error ?? 'unknown error'}.` };
}

export function TestConnection(props: CustomSettingProps) {
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });
  const mounted = useRef(true);
  useEffect(() => {
    ensureStyles();
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const run = async () => {
    const values = currentPluginValues(props.config);
    const body = connectionTestBody(values);
    if (!body.ELASTICSEARCH_URL) {
      setOutcome({ kind: 'failed', text: 'Enter the Elasticsearch URL first.' });
      return;
    }
    const client = adminClient(values, 'test the connection');
    if (client instanceof ForwarderError) {
      setOutcome({ kind: 'failed', text: client.message });
      return;
    }
    setOutcome({ kind: 'running', target: String(body.ELASTICSEARCH_URL) });
    try {
      const result = await client.testConnection(body);
      if (mounted.current) setOutcome(describeTestResult(result));
    } catch (error) {
      if (mounted.current) setOutcome({ kind: 'failed', text: withDisplayNames(describeError(error)) });
    }
  };

  const running = outcome.kind === 'running';
  return (
    <div className='mae-test' data-testid='mae-test-connection'>
      <button type='button' className='btn btn-primary' onClick={() => void run()} disabled={props.disabled || running} aria-describedby='mae-test-result'>
        {running ? <span className='mae-spinner' aria-hidden='true'/> : null}
        {running ? 'Testing…' : 'Test connection'}
      </button>
      <div id='mae-test-result' role='status' aria-live='polite' data-testid='mae-test-result' data-outcome={outcome.kind}>
        {outcome.kind === 'running' ? <span className='mae-muted'>{`Asking the forwarder to reach ${outcome.target}…`}</span> : null}
        {outcome.kind === 'ok' ? <span><span className='mae-ok-mark' aria-hidden='true'>✓ </span>{outcome.text}</span> : null}
        {outcome.kind === 'failed' ? <span className='mae-error-text'><span className='mae-error-mark' aria-hidden='true'>✗ </span>{outcome.text}</span> : null}
      </div>
    </div>
  );
}
