/** `dead-letters list|replay`: what Elasticsearch refused for good, and sending it again. */
import { Redis } from 'ioredis';
import { loadSettings } from '../config/load.js';
import type { Settings } from '../config/schema.js';
import { AuditQueue } from '../queue/audit-queue.js';
import { DeadLetters } from '../queue/dead-letters.js';
import { redisKeys } from '../queue/keys.js';
import { redisOptions } from '../queue/redis-connection.js';
import { urlWithoutCredentials } from '../url-credentials.js';
import { StartupError } from '../startup-failure.js';

/**
 * A command's own Redis connection: unlike the forwarder's, it does not wait out an outage, so an
 * unreachable Redis is one line naming it instead of a command that hangs.
 */
async function connectOnce(settings: Settings): Promise<Redis> {
  const redis = new Redis({ ...redisOptions(settings), lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null, connectTimeout: 5000, connectionName: 'mattermost-audit-elastic:cli' });
  // The error event says why (connect() only says "Connection is closed"); unheard, ioredis prints its stack.
  let reason: Error | undefined;
  redis.on('error', (error: Error) => {
    reason = error;
  });
  try {
    await redis.connect();
    return redis;
  } catch (error) {
    redis.disconnect();
    const where = settings.REDIS_SENTINELS ? `through the sentinels ${settings.REDIS_SENTINELS} (REDIS_SENTINELS)` : `at ${urlWithoutCredentials(settings.REDIS_URL)} (REDIS_URL)`;
    throw new StartupError(`cannot reach Redis ${where}: ${(reason ?? (error as Error)).message}`, { cause: error });
  }
}

async function withDeadLetters<T>(use: (letters: DeadLetters, queue: () => AuditQueue) => Promise<T>): Promise<T> {
  const settings = loadSettings();
  const keys = redisKeys(settings.QUEUE_PREFIX);
  const redis = await connectOnce(settings);
  let queue: AuditQueue | undefined;
  try {
    return await use(new DeadLetters(redis, keys.deadLetters), () => {
      queue ??= new AuditQueue({ connection: redis, prefix: settings.QUEUE_PREFIX, keys, batchSize: settings.BATCH_SIZE, attempts: settings.JOB_ATTEMPTS });
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
