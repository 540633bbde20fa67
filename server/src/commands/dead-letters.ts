/** `dead-letters list|replay`: what Elasticsearch refused for good, and sending it again. */
import { loadSettings } from '../config/load.js';
import type { Settings } from '../config/schema.js';
import { AuditQueue } from '../queue/audit-queue.js';
import { DeadLetters } from '../queue/dead-letters.js';
import { redisKeys } from '../queue/keys.js';
import { connectRedis, type RedisClient } from '../queue/redis-connection.js';
import { ReplicaAcks } from '../queue/replica-acks.js';
import { urlWithoutCredentials } from '../url-credentials.js';
import { StartupError } from '../startup-failure.js';

const CONNECT_TIMEOUT_MS = 5000;

/**
 * A command's own Redis connection: unlike the forwarder's workers, it does not wait out an
 * outage, so an unreachable Redis is one line naming it instead of a command that hangs. Later
 * connection errors are one line each (ioredis would print every retry as a plain stack).
 */
async function connectOnce(settings: Settings): Promise<{ redis: RedisClient; reportError: (error: Error) => void }> {
  const redis = connectRedis(settings, 'cli', { failFast: true, extraTimeoutMs: settings.REDIS_WAIT_TIMEOUT_MS });
  let lastError = '';
  const reportError = (error: Error) => {
    if (error.message !== lastError) process.stderr.write(`mattermost-audit-elastic: Redis: ${error.message}\n`);
    lastError = error.message;
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer within ${CONNECT_TIMEOUT_MS / 1000} s`)), CONNECT_TIMEOUT_MS);
      redis.once('ready', () => { clearTimeout(timer); resolve(); });
      // The error event says why; connect() alone would only say "Connection is closed".
      redis.once('error', (error: Error) => { clearTimeout(timer); reject(error); });
    });
  } catch (error) {
    redis.disconnect();
    const where = settings.REDIS_CLUSTER_NODES ? `in the cluster ${settings.REDIS_CLUSTER_NODES} (REDIS_CLUSTER_NODES)`
      : settings.REDIS_SENTINELS ? `through the sentinels ${settings.REDIS_SENTINELS} (REDIS_SENTINELS)` : `at ${urlWithoutCredentials(settings.REDIS_URL)} (REDIS_URL)`;
    throw new StartupError(`cannot reach Redis ${where}: ${(error as Error).message}`, { cause: error });
  }
  redis.on('error', reportError);
  return { redis, reportError };
}

async function withDeadLetters<T>(use: (letters: DeadLetters, queue: () => AuditQueue) => Promise<T>): Promise<T> {
  const settings = loadSettings();
  const keys = redisKeys(settings.QUEUE_PREFIX);
  const { redis, reportError } = await connectOnce(settings);
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

/** `limit` is already validated (deadLetterLimit); `--json` prints one JSON array, `[]` when there are none. */
export async function listDeadLetters(options: { limit: number; json?: boolean }): Promise<void> {
  await withDeadLetters(async (letters) => {
    const count = await letters.count();
    const list = await letters.list(options.limit);
    if (options.json) {
      process.stdout.write(list.length === 0 ? '[]\n' : `[\n${list.map((letter) => JSON.stringify(letter)).join(',\n')}\n]\n`);
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
