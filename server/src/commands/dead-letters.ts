/** `dead-letters list|replay`: what Elasticsearch refused for good, and sending it again. */
import { loadSettings } from '../config/load.js';
import { AuditQueue } from '../queue/audit-queue.js';
import { DeadLetters } from '../queue/dead-letters.js';
import { redisKeys } from '../queue/keys.js';
import { connectRedis } from '../queue/redis-connection.js';
import { ReplicaAcks } from '../queue/replica-acks.js';

async function withDeadLetters<T>(use: (letters: DeadLetters, queue: () => AuditQueue) => Promise<T>): Promise<T> {
  const settings = loadSettings();
  const keys = redisKeys(settings.QUEUE_PREFIX);
  const redis = connectRedis(settings, 'cli');
  // One line per distinct connection error (ioredis would print every retry as a plain stack).
  let lastError = '';
  const reportError = (error: Error) => {
    if (error.message !== lastError) process.stderr.write(`mattermost-audit-elastic: Redis: ${error.message} (retrying)\n`);
    lastError = error.message;
  };
  redis.on('error', reportError);
  let queue: AuditQueue | undefined;
  try {
    return await use(new DeadLetters(redis, keys.deadLetters), () => {
      // Replayed records are confirmed by the replicas as the webhook's are; a BullMQ report is the connection's error again.
      const replicas = new ReplicaAcks(redis, { minReplicas: settings.REDIS_MIN_REPLICAS, timeoutMs: settings.REDIS_WAIT_TIMEOUT_MS, slotKey: keys.pendingTotal });
      queue ??= new AuditQueue({ connection: redis, prefix: settings.QUEUE_PREFIX, keys, batchSize: settings.BATCH_SIZE, attempts: settings.JOB_ATTEMPTS, replicas, onError: reportError });
      return queue;
    });
  } finally {
    await queue?.close();
    await redis.quit();
  }
}

export async function listDeadLetters(options: { limit: string; json?: boolean }): Promise<void> {
  await withDeadLetters(async (letters) => {
    const count = await letters.count();
    const list = await letters.list(Number(options.limit) || 20);
    if (options.json) {
      for (const letter of list) process.stdout.write(`${JSON.stringify(letter)}\n`);
      return;
    }
    process.stdout.write(`${count} dead letter${count === 1 ? '' : 's'}${count > list.length ? ` (showing ${list.length})` : ''}\n`);
    for (const letter of list) {
      process.stdout.write(`${letter.at}  ${letter.status ?? '-'}  ${letter.reason}\n    ${letter.record.text.slice(0, 160)}\n`);
    }
  });
}

export async function replayDeadLetters(): Promise<void> {
  await withDeadLetters(async (letters, queue) => {
    const total = await letters.count();
    const replayed = await letters.replay(queue(), (done) => process.stderr.write(`\rreplayed ${done} of ${total}`));
    process.stderr.write(total > 0 ? '\n' : '');
    process.stdout.write(`${replayed} dead letter${replayed === 1 ? '' : 's'} queued again\n`);
  });
}
