/**
 * The forwarder on Redis Sentinel (a master, a replica, three sentinels, AOF on): records stream
 * into the webhook while the master is killed with -9 (its replica lagging behind just then, as a
 * replica behind a slow link does, and Elasticsearch away so that the records wait in Redis), and later while the sentinels switch masters on purpose (the
 * demoted master is still up: READONLY, clients killed). Every record answered 202 is indexed
 * exactly once, and the pending count ends at 0.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { startEsEmulator, type EsEmulator } from './es-emulator/index.js';
import { tally } from './support/audit-records.js';
import { eventually, ForwarderProcess } from './support/forwarder-process.js';
import { streamRecords, type StreamResult } from './support/record-stream.js';
import { RedisSentinelSetup } from './support/redis-sentinel.js';

/** A failover that is never followed must fail the test, not hold the whole suite up. */
const FAILOVER_TEST_TIMEOUT_MS = 240_000;

const DATA_STREAM = 'logs-mattermost.audit-default';
let sentinel: RedisSentinelSetup;
let es: EsEmulator;
let dir: string;
let forwarder: ForwarderProcess;

before(async () => {
  sentinel = await RedisSentinelSetup.start();
  es = await startEsEmulator();
  dir = await mkdtemp(join(tmpdir(), 'mae-sentinel-'));
  forwarder = await ForwarderProcess.start({
    // Password and db would still come from REDIS_URL; the address comes from the sentinels.
    REDIS_URL: 'redis://127.0.0.1:1', REDIS_SENTINELS: sentinel.sentinelsSetting, REDIS_SENTINEL_NAME: sentinel.name,
    ELASTICSEARCH_URL: es.url, DATA_DIR: dir, BATCH_SIZE: '1000',
  }, join(dir, 'forwarder.log'));
});

after(async () => {
  await forwarder?.stop();
  await es?.close();
  await sentinel?.stop();
  if (dir && !process.env.KEEP_TEST_DIR) await rm(dir, { recursive: true, force: true });
});

async function assertEachAcknowledgedOnce(tag: string, { acknowledged, answers }: StreamResult, t: { diagnostic(message: string): void }): Promise<void> {
  const ids = () => es.documents(DATA_STREAM).map((d) => String((d._source.user as any)?.id)).filter((id) => id.startsWith(`${tag}-`));
  await eventually(() => ids().length >= acknowledged.size, `${acknowledged.size} ${tag} documents`, 90_000);
  const indexed = ids();
  const found = new Set(indexed);
  assert.deepEqual([...acknowledged].filter((id) => !found.has(id)), [], 'every acknowledged record indexed');
  assert.deepEqual(tally(indexed), { distinct: acknowledged.size, duplicates: [] });
  // A batch whose "done" was lost with the old master is delivered again once BullMQ's stalled
  // check gives it back (its lock, 15 s, then a check every 15 s): only then is it counted out.
  // /v1/status itself may answer 503 for a moment while Redis switches.
  await eventually(async () => ((await (await forwarder.admin('/v1/status')).json()) as any).queue?.pendingRecords === 0, 'the pending count back at 0', 60_000);
  t.diagnostic(`${tag}: answers ${JSON.stringify(answers)}, ${es.stats().conflicts} conflicts (records sent again after a 503, or a batch delivered twice)`);
}

test('indexes every record answered 202 exactly once through a kill -9 of the master mid-stream, its replica lagging', { timeout: FAILOVER_TEST_TIMEOUT_MS }, async (t) => {
  const old = await sentinel.master();
  const result = await streamRecords(forwarder, {
    total: 12_000, perPost: 500, clients: 3, tag: 'killed',
    midway: async () => {
      // What the master takes in while the link to its replica is slow is not on the replica:
      // only a WAIT tells; without it those records were answered 202 and lost with the master.
      // Elasticsearch away meanwhile: the records wait in Redis, as a backlog does.
      es.setFault({ down: true });
      sentinel.replicaLink.hold();
      await sleep(1500);
      await old.kill();
      sentinel.replicaLink.cut();
      const killedAt = Date.now();
      const promoted = await sentinel.waitForFailover(old);
      es.setFault({});
      t.diagnostic(`replication held back 1.5 s, master on port ${old.port} killed; port ${promoted.port} master ${Date.now() - killedAt} ms later`);
    },
  });
  await assertEachAcknowledgedOnce('killed', result, t);
  assert.equal(result.acknowledged.size, 12_000);
});

test('loses nothing when the sentinels switch masters on purpose while records stream in', { timeout: FAILOVER_TEST_TIMEOUT_MS }, async (t) => {
  const killed = sentinel.nodes.find((node) => !node.running)!;
  await sentinel.rejoinAsReplica(killed);
  const old = await sentinel.master();
  const result = await streamRecords(forwarder, {
    total: 6000, perPost: 500, clients: 3, tag: 'switched',
    midway: async () => {
      await sentinel.failover();
      const switchedAt = Date.now();
      const promoted = await sentinel.waitForFailover(old);
      t.diagnostic(`master switched from port ${old.port} to ${promoted.port} in ${Date.now() - switchedAt} ms`);
    },
  });
  await assertEachAcknowledgedOnce('switched', result, t);
  assert.deepEqual(forwarder.plainLogLines(), [], 'every log line ECS JSON, Redis errors included');
});
