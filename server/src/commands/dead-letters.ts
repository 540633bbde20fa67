/** `dead-letters list|replay`: what Elasticsearch refused for good, and sending it again. */
import { loadSettings } from '../config/load.js';
import { AuditQueue } from '../queue/audit-queue.js';
import { DeadLetters } from '../queue/dead-letters.js';
import { redisKeys } from '../queue/keys.js';
import { connectRedis } from '../queue/redis-connection.js';

async function withDeadLetters<T>(use: (letters: DeadLetters, queue: () => AuditQueue) => Promise<T>): Promise<T> {
  const settings = loadSettings();
  const keys = redisKeys(settings.QUEUE_PREFIX);
  const redis = connectRedis(settings, 'cli');
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
