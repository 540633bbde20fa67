/**
 * The forwarder on Redis Cluster (three masters with a replica each, AOF on), QUEUE_PREFIX with
 * a {…} hash tag so that the queue's keys share one slot: the queue works, and survives a kill -9
 * of the master holding that slot while records stream in: every record answered 202 indexed
 * exactly once, the pending count back at 0.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startEsEmulator, type EsEmulator } from './es-emulator/index.js';
import { auditBody, tally } from './support/audit-records.js';
import { eventually, ForwarderProcess } from './support/forwarder-process.js';
import { streamRecords } from './support/record-stream.js';
import { RedisClusterSetup } from './support/redis-cluster.js';
import { PROJECT_ROOT } from './support/shared-fixtures.js';

/** A failover that is never followed must fail the test, not hold the whole suite up. */
const FAILOVER_TEST_TIMEOUT_MS = 240_000;

const DATA_STREAM = 'logs-mattermost.audit-default';
const PREFIX = '{mae-cluster}';
let cluster: RedisClusterSetup;
let es: EsEmulator;
let dir: string;
let forwarder: ForwarderProcess;

before(async () => {
  cluster = await RedisClusterSetup.start();
  es = await startEsEmulator();
  dir = await mkdtemp(join(tmpdir(), 'mae-cluster-'));
  forwarder = await ForwarderProcess.start({
    REDIS_CLUSTER_NODES: cluster.nodesSetting, QUEUE_PREFIX: PREFIX, ELASTICSEARCH_URL: es.url, DATA_DIR: dir, BATCH_SIZE: '500',
  }, join(dir, 'forwarder.log'));
});

after(async () => {
  await forwarder?.stop();
  await es?.close();
  await cluster?.stop();
  if (dir && !process.env.KEEP_TEST_DIR) await rm(dir, { recursive: true, force: true });
});

const ids = (tag: string) => es.documents(DATA_STREAM).map((d) => String((d._source.user as any)?.id)).filter((id) => id.startsWith(`${tag}-`));
const status = async () => (await (await forwarder.admin('/v1/status')).json()) as any;

test('refuses a queue prefix without a hash tag on a Cluster, naming the setting', () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/src/cli.ts', 'serve'], {
    cwd: PROJECT_ROOT, encoding: 'utf8', env: { PATH: process.env.PATH, REDIS_CLUSTER_NODES: cluster.nodesSetting, QUEUE_PREFIX: 'mattermost-audit', DATA_DIR: dir },
  });
  assert.equal(run.status, 2);
  assert.match(run.stderr, /^mattermost-audit-elastic: configuration error: QUEUE_PREFIX: needs a \{…\} hash tag/);
});

test('queues, delivers and counts records on a Cluster', async () => {
  for (let i = 0; i < 6; i++) assert.equal((await forwarder.post(auditBody(i * 500, 500, 'cluster'))).status, 202);
  await eventually(() => ids('cluster').length === 3000, '3000 documents');
  assert.deepEqual(tally(ids('cluster')), { distinct: 3000, duplicates: [] });
  await eventually(async () => (await status()).queue.pendingRecords === 0, 'the pending count back at 0');
  assert.equal((await fetch(`${forwarder.url}/readyz`)).status, 200);
  assert.deepEqual((await status()).redis, { replicasRequired: 1 });
});

test('indexes every record answered 202 exactly once through a kill -9 of the master holding the queue\'s slot', { timeout: FAILOVER_TEST_TIMEOUT_MS }, async (t) => {
  const old = await cluster.masterOf(`${PREFIX}:x`);
  const { acknowledged, answers } = await streamRecords(forwarder, {
    total: 9000, perPost: 500, clients: 3, tag: 'failover',
    midway: async () => {
      await old.kill();
      t.diagnostic(`master on port ${old.port} killed; its replica on port ${(await cluster.waitForFailover(`${PREFIX}:x`, old)).port} took the slot`);
    },
  });
  await eventually(() => ids('failover').length >= acknowledged.size, `${acknowledged.size} documents`, 90_000);
  const indexed = ids('failover');
  const found = new Set(indexed);
  assert.deepEqual([...acknowledged].filter((id) => !found.has(id)), [], 'every acknowledged record indexed');
  assert.deepEqual(tally(indexed), { distinct: 9000, duplicates: [] });
  // A batch whose "done" died with the master comes back by BullMQ's stalled check (up to ~45 s).
  await eventually(async () => (await status()).queue?.pendingRecords === 0, 'the pending count back at 0', 60_000);
  t.diagnostic(`answers ${JSON.stringify(answers)}, ${es.stats().conflicts} conflicts`);
  assert.deepEqual(forwarder.plainLogLines(), [], 'every log line ECS JSON, Redis errors included');
});
