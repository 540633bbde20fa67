/**
 * The 202 rule on a real master and replica: a write counts once the replica holds it (WAIT);
 * a replica that does not answer, too few replicas, or a reconnect between the write and its
 * WAIT make it fail, and the webhook answers 503 + Retry-After instead of 202.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { connectRedis, untilReady, type Redis, type RedisClient } from '../server/src/queue/redis-connection.js';
import { ReplicaAcks, ReplicasNotConfirmedError } from '../server/src/queue/replica-acks.js';
import { parseReplicationInfo, ReplicaCount } from '../server/src/queue/replica-count.js';
import { auditBody } from './support/audit-records.js';
import { eventually, ForwarderProcess } from './support/forwarder-process.js';
import { RedisServer } from './support/redis-server.js';

let master: RedisServer;
let replica: RedisServer;
let client: RedisClient;
let dir: string;

before(async () => {
  master = await RedisServer.start();
  replica = await RedisServer.start({ args: () => ['--replicaof', '127.0.0.1', String(master.port)] });
  client = connectRedis({ REDIS_URL: master.url, REDIS_COMMAND_TIMEOUT_MS: 3000 }, 'test', { failFast: true });
  dir = await mkdtemp(join(tmpdir(), 'mae-replicas-'));
  await untilReady(client);
  await eventually(async () => /state=online/.test(await client.info('replication')), 'the replica in sync');
});

after(async () => {
  replica?.resume();
  await client?.quit();
  await replica?.stop();
  await master?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const acks = (minReplicas: number | undefined, timeoutMs = 500) => new ReplicaAcks(client, { minReplicas, timeoutMs, slotKey: 'x' });

test('confirms a write once every connected replica holds it; the replica has it then', async () => {
  assert.equal(await acks(undefined).required(), 1);
  await acks(undefined, 5000).durably(() => client.set('acked', 'yes'));
  const reader = replica.client();
  try {
    assert.equal(await reader.get('acked'), 'yes');
  } finally {
    reader.disconnect();
  }
});

test('reads the replicas a master reports connected, and its replication id', () => {
  assert.deepEqual(parseReplicationInfo('# Replication\r\nrole:master\r\nconnected_slaves:2\r\nslave0:ip=127.0.0.1,port=1,state=wait_bgsave\r\nmaster_replid:ab12\r\n'), { connected: 2, replicationId: 'ab12' });
  assert.deepEqual(parseReplicationInfo('# Replication\r\nrole:master\r\nconnected_slaves:0\r\n'), { connected: 0, replicationId: undefined });
});

test('keeps requiring a replica a master just lost (a switchover), but not on the master promoted next', async () => {
  const count = new ReplicaCount();
  const reporting = (connected: number, replid: string) => ({ info: async () => `connected_slaves:${connected}\r\nmaster_replid:${replid}\r\n` }) as unknown as Redis;
  assert.equal(await count.required(reporting(1, 'old')), 1);
  assert.equal(await count.required(reporting(0, 'old')), 1, 'the old master, its replica gone a moment ago');
  assert.equal(await count.required(reporting(0, 'promoted')), 0, 'the promoted replica, a master without replicas');
});

test('refuses a write more replicas must hold than there are, or one the replica does not confirm in time', async () => {
  await assert.rejects(acks(2).durably(() => client.set('two', 'replicas')), /1 of 2 Redis replicas confirmed the write within 500 ms/);
  replica.pause();
  try {
    const started = Date.now();
    await assert.rejects(acks(undefined).durably(() => client.set('paused', 'replica')), ReplicasNotConfirmedError);
    assert.ok(Date.now() - started < 3000, 'refused within the WAIT timeout');
  } finally {
    replica.resume();
  }
});

test('refuses a write whose connection broke before its WAIT (it would confirm nothing)', async () => {
  const own = connectRedis({ REDIS_URL: master.url, REDIS_COMMAND_TIMEOUT_MS: 3000 }, 'reconnect', { failFast: true }) as Redis;
  try {
    await untilReady(own);
    const replicas = new ReplicaAcks(own, { minReplicas: undefined, timeoutMs: 500, slotKey: 'x' });
    await assert.rejects(replicas.durably(async () => {
      await own.set('reconnected', 'before its wait');
      own.disconnect(true);
      await new Promise((resolve) => own.once('ready', resolve));
    }), /connection changed/);
  } finally {
    own.disconnect();
  }
});

test('the webhook answers 503 + Retry-After while the replica does not confirm, and 202 again once it does', async () => {
  const forwarder = await ForwarderProcess.start({ REDIS_URL: master.url, DATA_DIR: dir, REDIS_WAIT_TIMEOUT_MS: '1000', QUEUE_PREFIX: '{replicas}' }, join(dir, 'forwarder.log'));
  try {
    await eventually(async () => (await forwarder.post(auditBody(0, 10, 'confirmed'))).status === 202, 'a 202 with the replica answering');
    const status = (await (await forwarder.admin('/v1/status')).json()) as any;
    assert.deepEqual(status.redis, { replicasRequired: 1 });
    replica.pause();
    try {
      const refused = await forwarder.post(auditBody(10, 10, 'unconfirmed'));
      assert.equal(refused.status, 503);
      assert.equal(refused.headers.get('retry-after'), '5');
      assert.match(((await refused.json()) as { error: string }).error, /0 of 1 Redis replicas confirmed the write within 1000 ms/);
    } finally {
      replica.resume();
    }
    await eventually(async () => (await forwarder.post(auditBody(10, 10, 'unconfirmed'))).status === 202, 'a 202 once the replica answers');
  } finally {
    await forwarder.stop();
  }
});

test('refuses a write on a master whose replica was just promoted away from it (a switchover), though it reports none left', async () => {
  const replicas = acks(undefined, 1000);
  await replicas.durably(() => client.set('before', 'switch'));
  const promoted = replica.client();
  try {
    await promoted.call('REPLICAOF', 'NO', 'ONE');
    await eventually(async () => /connected_slaves:0/.test(await client.info('replication')), 'the master without its replica');
    await sleep(1100); // past the cache of INFO answers: what is tested is the memory of the count
    // Required stays 1 for a while: a WAIT for it cannot succeed, so the write is not confirmed.
    await assert.rejects(replicas.durably(() => client.set('after', 'switch')), /0 of 1 Redis replicas confirmed/);
  } finally {
    await promoted.call('REPLICAOF', '127.0.0.1', String(master.port)).catch(() => undefined);
    promoted.disconnect();
  }
});
