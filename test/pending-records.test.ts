/**
 * The records-not-delivered count on a real Redis: a job delivered twice (a killed worker, a lost
 * lock) is subtracted once, a job delivered before its enqueuer entered it is never added, and
 * the count is what it is (no clamping to 0 anywhere).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AuditQueue, pendingKeys } from '../server/src/queue/audit-queue.js';
import { redisKeys } from '../server/src/queue/keys.js';
import { PendingRecords } from '../server/src/queue/pending-records.js';
import { connectRedis, untilReady, type RedisClient } from '../server/src/queue/redis-connection.js';
import { ReplicaAcks } from '../server/src/queue/replica-acks.js';
import { RedisServer } from './support/redis-server.js';

let redis: RedisServer;
let client: RedisClient;
const queues: AuditQueue[] = [];

before(async () => {
  redis = await RedisServer.start();
  client = connectRedis({ REDIS_URL: redis.url, REDIS_COMMAND_TIMEOUT_MS: 2000 }, 'test', { failFast: true });
  await untilReady(client);
});

after(async () => {
  await Promise.all(queues.map((queue) => queue.close()));
  await client?.quit();
  await redis?.stop();
});

function queueFor(prefix: string): { queue: AuditQueue; pending: PendingRecords } {
  const keys = redisKeys(prefix);
  const replicas = new ReplicaAcks(client, { minReplicas: undefined, timeoutMs: 1000, slotKey: keys.pendingTotal });
  const queue = new AuditQueue({ connection: client, prefix, keys, batchSize: 1000, attempts: 3, replicas, onError: (error) => assert.fail(error) });
  queues.push(queue);
  return { queue, pending: new PendingRecords(client, pendingKeys(keys, prefix)) };
}

test('counts each enqueued record once, and each job out once however often it is delivered', async () => {
  const { queue, pending } = queueFor('{pending-twice}');
  await queue.enqueue(Array.from({ length: 2500 }, (_, i) => ({ text: `record ${i}` })), { input: 'http' });
  assert.equal(await queue.pendingRecords(), 2500);
  const jobs = await queue.queue.getJobs(['waiting']);
  assert.deepEqual(jobs.map((job) => job.data.records.length).sort((a, b) => a - b), [500, 1000, 1000]);
  const big = jobs.find((job) => job.data.records.length === 1000)!;
  // Delivered, then delivered again after its worker died before BullMQ marked it done.
  await pending.takeOut(big.id!);
  await pending.takeOut(big.id!);
  assert.equal(await queue.pendingRecords(), 1500);
  for (const job of jobs) await pending.takeOut(job.id!);
  assert.equal(await queue.pendingRecords(), 0);
});

test('does not count a job a fast worker delivered before it was entered, nor one no longer in Redis', async () => {
  const { queue, pending } = queueFor('{pending-race}');
  const [job] = await queue.queue.addBulk([{ name: 'http', data: { records: [{ text: 'a' }, { text: 'b' }], source: { input: 'http' }, receivedAt: new Date().toISOString() } }]);
  await pending.takeOut(job!.id!);
  await pending.enter([{ id: job!.id!, records: 2 }]);
  await pending.enter([{ id: 'no-such-job', records: 7 }]);
  assert.equal(await queue.pendingRecords(), 0);
});
