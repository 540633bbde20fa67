import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import { ADMIN_TOKEN, eventually, ForwarderProcess, INGEST_TOKEN } from './support/forwarder-process.js';
import { RedisServer } from './support/redis-server.js';

let redis: RedisServer;
let forwarder: ForwarderProcess;
let dir: string;
let sinkPath: string;

function sinkDocuments(): any[] {
  if (!existsSync(sinkPath)) return [];
  return readFileSync(sinkPath, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

function legacy(n: number): string {
  return JSON.stringify({ timestamp: '2021-12-04 23:19:32.051 Z', event: 'getConfig', status: 'success', user_id: `user-${n}`, ip_address: '10.0.0.1' });
}

before(async () => {
  redis = await RedisServer.start();
  dir = await mkdtemp(join(tmpdir(), 'mae-file-'));
  sinkPath = join(dir, 'audit.ndjson');
  forwarder = await ForwarderProcess.start({ REDIS_URL: redis.url, DATA_DIR: dir, MAX_BODY_BYTES: '200000' }, join(dir, 'forwarder.log'));
});

after(async () => {
  await forwarder?.stop();
  await redis?.stop();
});

test('answers /healthz and /readyz with no Elasticsearch configured', async () => {
  assert.deepEqual(await (await fetch(`${forwarder.url}/healthz`)).json(), { status: 'ok' });
  const ready = (await (await fetch(`${forwarder.url}/readyz`)).json()) as any;
  assert.equal(ready.ready, true);
  assert.equal(ready.sink.kind, 'file');
});

test('writes posted NDJSON records to the file sink as ECS documents, each once', async () => {
  const before = sinkDocuments().length;
  const body = Array.from({ length: 50 }, (_, n) => legacy(n)).join('\n');
  const response = await forwarder.post(body);
  assert.equal(response.status, 202);
  assert.deepEqual(await response.json(), { accepted: 50 });
  await eventually(() => sinkDocuments().length >= before + 50, '50 documents in the file');
  const users = sinkDocuments().slice(before).map((d) => d.user.id);
  assert.equal(new Set(users).size, 50);
  assert.equal(sinkDocuments()[before].data_stream.namespace, 'default');
});

test('accepts a JSON array, a single pretty-printed object and a gzip body', async () => {
  const before = sinkDocuments().length;
  assert.deepEqual(await (await forwarder.post(`[${legacy(1000)},${legacy(1001)}]`)).json(), { accepted: 2 });
  assert.deepEqual(await (await forwarder.post(JSON.stringify(JSON.parse(legacy(1002)), null, 2))).json(), { accepted: 1 });
  const gz = await forwarder.post(gzipSync(`${legacy(1003)}\n${legacy(1004)}\n`), { 'content-encoding': 'gzip' });
  assert.deepEqual(await gz.json(), { accepted: 2 });
  await eventually(() => sinkDocuments().length >= before + 5, 'five more documents');
  assert.deepEqual(new Set(sinkDocuments().slice(before).map((d) => d.user.id)), new Set([1000, 1001, 1002, 1003, 1004].map((n) => `user-${n}`)));
});

test('turns bad records into pipeline_error documents instead of refusing them', async () => {
  const before = sinkDocuments().length;
  const response = await forwarder.post('not json\n[1]\n');
  assert.equal(response.status, 202);
  await eventually(() => sinkDocuments().length >= before + 2, 'two error documents');
  const docs = sinkDocuments().slice(before);
  assert.deepEqual(docs.map((d) => d.event.kind), ['pipeline_error', 'pipeline_error']);
  assert.deepEqual(docs.map((d) => d.event.original), ['not json', '[1]']);
});

test('answers 401 and queues nothing without the ingest token', async () => {
  const before = ((await (await forwarder.admin('/v1/status')).json()) as any).inputs.http.records;
  for (const authorization of ['', 'Bearer wrong-token-0123456789', `Basic ${INGEST_TOKEN}`]) {
    const response = await fetch(`${forwarder.url}/v1/audit`, { method: 'POST', body: legacy(1), headers: authorization ? { authorization } : {} });
    assert.equal(response.status, 401);
  }
  const status = (await (await forwarder.admin('/v1/status')).json()) as any;
  assert.equal(status.inputs.http.records, before, 'no record was accepted');
});

test('answers 413 to a body over the limit', async () => {
  const response = await forwarder.post(Array.from({ length: 3000 }, (_, n) => legacy(n)).join('\n'));
  assert.equal(response.status, 413);
});

test('shows status to the admin token only, and no secret in it', async () => {
  assert.equal((await fetch(`${forwarder.url}/v1/status`, { headers: { authorization: 'Bearer nope-nope-nope-nope' } })).status, 401);
  await forwarder.admin('/v1/config', { method: 'PUT', body: JSON.stringify({ ELASTICSEARCH_API_KEY: 'very-secret-api-key' }) });
  const text = await (await forwarder.admin('/v1/status')).text();
  const status = JSON.parse(text);
  assert.equal(status.sink.kind, 'file');
  assert.ok(status.config.settings.ELASTICSEARCH_API_KEY_SET);
  for (const secret of ['very-secret-api-key', INGEST_TOKEN, ADMIN_TOKEN]) assert.ok(!text.includes(secret), `status leaks ${secret}`);
  assert.ok(!readFileSync(join(dir, 'forwarder.log'), 'utf8').includes('very-secret-api-key'));
  await forwarder.admin('/v1/config', { method: 'PUT', body: JSON.stringify({ ELASTICSEARCH_API_KEY: null }) });
});

test('lists dead letters as many as asked, and refuses a limit that is not a whole number', async () => {
  const listed = await forwarder.admin('/v1/dead-letters?limit=5');
  assert.equal(listed.status, 200);
  assert.deepEqual(await listed.json(), { count: 0, deadLetters: [] });
  const refused = await forwarder.admin('/v1/dead-letters?limit=abc');
  assert.equal(refused.status, 400);
  assert.match(((await refused.json()) as any).error, /^limit: .* \(got "abc"\)$/);
});

test('rejects a pushed config with a bad value, naming the setting', async () => {
  const response = await forwarder.admin('/v1/config', { method: 'PUT', body: JSON.stringify({ DATA_STREAM_NAMESPACE: 'Bad-Name' }) });
  assert.equal(response.status, 400);
  assert.match(((await response.json()) as any).error, /^DATA_STREAM_NAMESPACE: /);
});

test('serves Prometheus metrics: counters end in _total, what goes up and down is a gauge', async () => {
  const text = await (await fetch(`${forwarder.url}/metrics`)).text();
  const type = (name: string) => text.match(new RegExp(`^# TYPE mattermost_audit_elastic_${name} (\\w+)$`, 'm'))?.[1];
  assert.equal(type('delivered_records_total'), 'counter');
  assert.equal(type('input_records_total'), 'counter');
  assert.equal(type('input_bytes_total'), 'counter');
  for (const gauge of ['queue_pending_records', 'queue_waiting_jobs', 'queue_active_jobs', 'queue_failed_jobs', 'dead_letters']) assert.equal(type(gauge), 'gauge', gauge);
  const delivered = Number(text.match(/^mattermost_audit_elastic_delivered_records_total (\d+)$/m)?.[1]);
  assert.ok(delivered >= 50, `delivered_records_total is ${delivered}`);
  assert.match(text, /^mattermost_audit_elastic_input_records_total\{input="http"\} [1-9]\d*$/m);
  const counters = [...text.matchAll(/^# TYPE (\S+) counter$/gm)].map((m) => m[1]!);
  assert.deepEqual(counters.filter((name) => !name.endsWith('_total')), [], 'every counter ends in _total');
});

test("serves its README, which the plugin's settings page points to", async () => {
  const response = await fetch(`${forwarder.url}/readme`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /text\/markdown/);
  assert.match(await response.text(), /^# mattermost-audit-elastic/);
});
