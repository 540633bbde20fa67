import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { PROJECT_ROOT } from './support/shared-fixtures.js';

function cli(args: string[], input?: string, env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'server/src/cli.ts', ...args], { cwd: PROJECT_ROOT, input, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } });
}

test('transform writes one document per input line, in order, mixing formats and bad lines', () => {
  const input = [
    '{"timestamp":"2021-12-04 23:19:32.051 Z","event":"updateConfig","status":"success","user_id":"u1"}',
    'garbage',
    '{"timestamp":"2024-03-01 10:15:30.123 Z","event_name":"login","status":"success","actor":{"user_id":"u2"},"event":{},"meta":{},"error":{}}',
    '{"id":"a1","create_at":1709288130123,"user_id":"u3","action":"/api/v4/users/logout","extra_info":"success"}',
  ].join('\n');
  const result = cli(['transform'], `${input}\n`);
  assert.equal(result.status, 0, result.stderr);
  const docs = result.stdout.trim().split('\n').map((line) => JSON.parse(line));
  assert.deepEqual(docs.map((d) => d.event.action ?? d.event.kind), ['updateConfig', 'pipeline_error', 'login', 'logout']);
  assert.deepEqual(docs.map((d) => d.user?.id), ['u1', undefined, 'u2', 'u3']);
});

test('transform --keep-original keeps each record as event.original', () => {
  const line = '{"timestamp":"2021-12-04 23:19:32.051 Z","event":"getConfig","status":"success"}';
  const dir = mkdtempSync(join(tmpdir(), 'mae-cli-'));
  writeFileSync(join(dir, 'audit.log'), `${line}\n`);
  const result = cli(['transform', '--keep-original', join(dir, 'audit.log')]);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(JSON.parse(result.stdout).event.original, line);
});

test('transform refuses a bad --namespace with the very line serve gives DATA_STREAM_NAMESPACE', () => {
  const option = cli(['transform', '--namespace', 'Prod'], '');
  const serve = cli(['serve'], undefined, { DATA_STREAM_NAMESPACE: 'Prod', REDIS_URL: 'redis://127.0.0.1:1' });
  assert.equal(option.status, 2);
  assert.equal(option.stdout, '');
  assert.equal(option.stderr, serve.stderr);
  assert.match(option.stderr, /^mattermost-audit-elastic: configuration error: DATA_STREAM_NAMESPACE: lowercase letters, .* \(got "Prod"\)\n$/);
});

test('transform takes its settings from the environment, and an option over it', () => {
  const line = '{"timestamp":"2021-12-04 23:19:32.051 Z","event":"getConfig","status":"success"}\n';
  const fromEnv = cli(['transform'], line, { DATA_STREAM_NAMESPACE: 'envns', KEEP_ORIGINAL: 'true' });
  assert.equal(fromEnv.status, 0, fromEnv.stderr);
  assert.equal(JSON.parse(fromEnv.stdout).data_stream.namespace, 'envns');
  assert.equal(JSON.parse(fromEnv.stdout).event.original, line.trim());
  const option = cli(['transform', '--namespace', 'optns'], line, { DATA_STREAM_NAMESPACE: 'envns' });
  assert.equal(JSON.parse(option.stdout).data_stream.namespace, 'optns');
});

test('transform exits 2 with one clear line when the file cannot be read', () => {
  const result = cli(['transform', '/nonexistent/audit.log']);
  assert.equal(result.status, 2);
  assert.equal(result.stdout, '');
  assert.match(result.stderr.trim(), /^mattermost-audit-elastic transform: cannot read \/nonexistent\/audit\.log: ENOENT/);
  assert.equal(result.stderr.trim().split('\n').length, 1);
});

test('every command answers --help', () => {
  for (const args of [['--help'], ['transform', '--help'], ['serve', '--help']]) {
    const result = cli(args);
    assert.equal(result.status, 0, args.join(' '));
    assert.match(result.stdout, /Usage: mattermost-audit-elastic/);
  }
});

test('serve stops with one line naming a bad setting', () => {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'server/src/cli.ts', 'serve'], {
    cwd: PROJECT_ROOT, encoding: 'utf8', env: { ...process.env, PORT: 'eighty', REDIS_URL: 'redis://127.0.0.1:1' },
  });
  assert.equal(result.status, 2);
  assert.match(result.stderr.trim(), /^mattermost-audit-elastic: configuration error: PORT: .*\(got "eighty"\)$/);
});

test('serve stops with one line when input settings contradict each other', () => {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'server/src/cli.ts', 'serve'], {
    cwd: PROJECT_ROOT, encoding: 'utf8', env: { ...process.env, MATTERMOST_URL: 'http://mattermost.example.test', MATTERMOST_TOKEN: '', REDIS_URL: 'redis://127.0.0.1:1' },
  });
  assert.equal(result.status, 2);
  assert.match(result.stderr.trim(), /^mattermost-audit-elastic: configuration error: MATTERMOST_TOKEN: required when MATTERMOST_URL is set/);
});

test('transform writes a document for a line nested 100,000 levels deep, and goes on', () => {
  const deep = `{"timestamp":"2021-12-04 23:19:32.051 Z","event":"patchTeam","team":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`;
  const result = cli(['transform'], `${deep}\n${'['.repeat(100_000)}${']'.repeat(100_000)}\n{"timestamp":"2021-12-04 23:19:32.051 Z","event":"login","user_id":"u1"}\n`);
  assert.equal(result.status, 0, result.stderr);
  const docs = result.stdout.trim().split('\n').map((line) => JSON.parse(line));
  assert.deepEqual(docs.map((d) => d.event.kind), ['pipeline_error', 'pipeline_error', 'event']);
  assert.match(docs[0].error.message[0], /deeper than Elasticsearch accepts/);
  assert.equal(docs[2].user.id, 'u1');
});
