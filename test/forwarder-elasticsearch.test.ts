import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { after, afterEach, before, test } from 'node:test';
import { startEsEmulator, type EsEmulator } from './es-emulator/index.js';
import { auditBody, auditLine, tally } from './support/audit-records.js';
import { ADMIN_TOKEN, eventually, ForwarderProcess } from './support/forwarder-process.js';
import { RedisServer } from './support/redis-server.js';
import { PROJECT_ROOT } from './support/shared-fixtures.js';

const DATA_STREAM = 'logs-mattermost.audit-default';
let redis: RedisServer;
let es: EsEmulator;
let dir: string;
let forwarder: ForwarderProcess;

async function startForwarder(env: Record<string, string> = {}): Promise<ForwarderProcess> {
  return ForwarderProcess.start({ REDIS_URL: redis.url, ELASTICSEARCH_URL: es.url, DATA_DIR: dir, BATCH_SIZE: '500', ...env }, join(dir, 'forwarder.log'));
}

function userIds(dataStream = DATA_STREAM): unknown[] {
  return es.documents(dataStream).map((d) => (d._source.user as { id?: string } | undefined)?.id);
}

async function status(): Promise<any> {
  return (await forwarder.admin('/v1/status')).json();
}

before(async () => {
  redis = await RedisServer.start();
  es = await startEsEmulator();
  dir = await mkdtemp(join(tmpdir(), 'mae-es-'));
  forwarder = await startForwarder();
});

afterEach(async () => {
  es.setFault({});
});

after(async () => {
  await forwarder?.stop();
  await es?.close();
  await redis?.stop();
});

test('indexes posted records into the data stream once each, with our template and pipeline=_none', async () => {
  const start = es.count(DATA_STREAM);
  for (let i = 0; i < 4; i++) assert.equal((await forwarder.post(auditBody(i * 500, 500, 'basic'))).status, 202);
  await eventually(() => es.count(DATA_STREAM) === start + 2000, '2000 documents in the emulator');
  const ids = tally(userIds().filter((id) => String(id).startsWith('basic-')));
  assert.deepEqual(ids, { distinct: 2000, duplicates: [] });
  const template = es.templates()['mattermost-audit-elastic'] as any;
  assert.equal(template.priority, 250);
  assert.deepEqual(template.index_patterns, ['logs-mattermost.audit-*']);
  assert.deepEqual(es.stats().pipelines, ['_none']);
  const doc = es.documents(DATA_STREAM).find((d) => (d._source.user as any)?.id === 'basic-7')!._source as any;
  assert.equal(doc.event.action, 'updateConfig');
  assert.equal(doc.user_agent.name, 'Firefox');
});

test('drops nothing when Elasticsearch answers 429 for half of the items', async () => {
  es.setFault({ itemRejectShare: 0.5 });
  await forwarder.post(auditBody(0, 3000, 'storm'));
  await eventually(() => userIds().filter((id) => String(id).startsWith('storm-')).length === 3000, '3000 storm documents', 60_000);
  assert.ok(es.stats().rejected > 0, 'the emulator did reject items');
  assert.deepEqual(tally(userIds().filter((id) => String(id).startsWith('storm-'))).duplicates, []);
});

test('keeps accepting through an Elasticsearch outage and delivers everything after it', async () => {
  es.setFault({ down: true });
  for (let i = 0; i < 6; i++) {
    assert.equal((await forwarder.post(auditBody(i * 200, 200, 'outage'))).status, 202);
    await sleep(500);
  }
  const during = await status();
  assert.equal(during.sink.reachable, false);
  assert.ok(during.queue.pendingRecords > 0, 'records wait in the queue');
  assert.equal((await fetch(`${forwarder.url}/readyz`)).status, 503);
  es.setFault({});
  await eventually(() => userIds().filter((id) => String(id).startsWith('outage-')).length === 1200, '1200 outage documents', 60_000);
  assert.deepEqual(tally(userIds().filter((id) => String(id).startsWith('outage-'))).duplicates, []);
});

test('loses nothing when the forwarder is killed with -9 mid-batch and restarted', async () => {
  es.setFault({ delayMs: 150 });
  for (let i = 0; i < 10; i++) await forwarder.post(auditBody(i * 1000, 1000, 'kill'));
  await eventually(() => userIds().some((id) => String(id).startsWith('kill-')), 'the first kill documents');
  await forwarder.stop('SIGKILL');
  forwarder = await startForwarder();
  es.setFault({});
  await eventually(() => userIds().filter((id) => String(id).startsWith('kill-')).length === 10_000, '10000 kill documents', 90_000);
  assert.deepEqual(tally(userIds().filter((id) => String(id).startsWith('kill-'))).duplicates, []);
  // The batch the killed worker had delivered but not marked done went out twice; counted out once.
  await eventually(async () => (await status()).queue.pendingRecords === 0, 'the pending count back at 0, not below');
});

test('delivers 20,000 records once each through a 429 storm, an outage and a kill -9 together', async () => {
  es.setFault({ itemRejectShare: 0.3 });
  const posting = (async () => {
    for (let i = 0; i < 20; i++) {
      for (;;) {
        const response = await forwarder.post(auditBody(i * 1000, 1000, 'chaos')).catch(() => undefined);
        if (response?.status === 202) break;
        await sleep(200); // the forwarder is being restarted, or pushes back: post the batch again
      }
    }
  })();
  await eventually(() => userIds().some((id) => String(id).startsWith('chaos-')), 'the first chaos documents');
  es.setFault({ down: true });
  await sleep(2000);
  await forwarder.stop('SIGKILL');
  forwarder = await startForwarder();
  es.setFault({ itemRejectShare: 0.3 });
  await posting;
  await sleep(1000);
  es.setFault({});
  await eventually(() => userIds().filter((id) => String(id).startsWith('chaos-')).length === 20_000, '20000 chaos documents', 120_000);
  assert.deepEqual(tally(userIds().filter((id) => String(id).startsWith('chaos-'))), { distinct: 20_000, duplicates: [] });
  await eventually(async () => (await status()).queue.pendingRecords === 0, 'the pending count back at 0, not below');
});

test('loses nothing when Redis restarts with queued records (AOF)', async () => {
  es.setFault({ down: true });
  await forwarder.post(auditBody(0, 1500, 'redis'));
  await redis.restart();
  es.setFault({});
  await eventually(() => userIds().filter((id) => String(id).startsWith('redis-')).length === 1500, '1500 documents after the Redis restart', 60_000);
});

test('keeps a document the mapping refuses as a dead letter, with the reason, and replays it', async () => {
  const line = JSON.stringify({ timestamp: '2021-12-04 23:19:32.051 Z', event: 'createTeam', status: 'success', user_id: 'dead-1', team: 'not-an-object' });
  await forwarder.post(`${line}\n${auditLine(1, 'alive')}`);
  await eventually(async () => (await status()).queue.deadLetters === 1, 'one dead letter');
  assert.ok(userIds().includes('alive-1'), 'its good neighbour was indexed');
  // Asynchronous: the emulator lives in this process and must keep answering while the CLI runs.
  const cli = (...args: string[]) => promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/src/cli.ts', ...args], {
    cwd: PROJECT_ROOT, encoding: 'utf8', env: { ...process.env, REDIS_URL: redis.url },
  });
  const listed = await cli('dead-letters', 'list');
  assert.match(listed.stdout, /^1 dead letter\n.* 400 .*(team|mapping|parse)/s);
  const letters = JSON.parse((await cli('dead-letters', 'list', '--json')).stdout) as Array<{ status: number; record: { text: string } }>;
  assert.deepEqual(letters.map((letter) => [letter.status, letter.record.text]), [[400, line]]);
  const replay = await forwarder.admin('/v1/dead-letters/replay', { method: 'POST' });
  assert.deepEqual(await replay.json(), { replayed: 1 });
  // Still refused after the replay (nothing was fixed): kept once again, not lost, not doubled.
  await eventually(async () => (await status()).queue.deadLetters === 1 && (await status()).queue.pendingRecords === 0, 'the replayed letter back');
});

test('uses a config pushed at runtime from the next batch on', async () => {
  const pushed = await forwarder.admin('/v1/config', { method: 'PUT', body: JSON.stringify({ DATA_STREAM_NAMESPACE: 'pushed' }) });
  assert.equal(pushed.status, 200);
  assert.equal(((await pushed.json()) as any).origins.DATA_STREAM_NAMESPACE, 'runtime');
  await forwarder.post(auditBody(0, 10, 'pushed'));
  // Beside them lands the forwarder's own record of the change (event.action forwarderConfigChanged).
  await eventually(() => userIds('logs-mattermost.audit-pushed').filter((id) => String(id).startsWith('pushed-')).length === 10, 'ten documents in the pushed namespace');
  const handedBack = await forwarder.admin('/v1/config', { method: 'PUT', body: JSON.stringify({ DATA_STREAM_NAMESPACE: null }) });
  assert.deepEqual(((await handedBack.json()) as any).origins.DATA_STREAM_NAMESPACE, 'default');
});

test('reports Elasticsearch version, health and rate in the status', async () => {
  const report = await status();
  assert.equal(report.sink.kind, 'elasticsearch');
  assert.equal(report.sink.reachable, true);
  assert.match(report.sink.version, /^\d+\.\d+\.\d+$/);
  assert.equal(report.sink.health, 'yellow', 'one node cannot place the replicas of the data stream');
  assert.ok(report.sink.delivered > 0);
  assert.ok(typeof report.rate.perSecond1m === 'number');
  assert.equal(JSON.stringify(report).includes(ADMIN_TOKEN), false);
});
