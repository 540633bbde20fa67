/**
 * Moves the audit records of config changes (RuntimeConfigStore left them in an outbox list)
 * into the queue, where they go to the sink like every record. A record leaves the outbox only
 * after the queue holds it, so a crash in between queues it again later (same text, same
 * document id: Elasticsearch answers 409), and no change is ever lost. Every process relays:
 * at start, right after a change it made, and every few seconds for changes made elsewhere.
 */
import type { Logger } from '../logger.js';
import type { RecordSource } from '../transform/index.js';
import type { AuditQueue } from './audit-queue.js';
import type { RedisClient } from './redis-connection.js';
import type { RedisKeys } from './keys.js';

const INTERVAL_MS = 5000;
const MAX_PER_FLUSH = 100;

/** The source of the forwarder's own records: part of their document ids. */
export const FORWARDER_SOURCE: RecordSource = { input: 'forwarder', identity: 'forwarder:config-changes' };

export class ConfigChangeRelay {
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<number> | undefined;
  private again = false;
  private lastProblem: string | undefined;

  constructor(private readonly redis: RedisClient, private readonly keys: RedisKeys, private readonly queue: AuditQueue, private readonly logger: Logger) {}

  start(): void {
    this.kick();
    this.timer = setInterval(() => this.kick(), INTERVAL_MS);
    this.timer.unref();
  }

  /** Relays now (or right after the relay under way); never throws. */
  kick(): Promise<number> {
    if (this.flushing) {
      this.again = true;
      return this.flushing;
    }
    this.flushing = this.flush()
      .catch((error: unknown) => {
        const message = `cannot queue the audit records of config changes (they stay in Redis and are retried): ${(error as Error).message}`;
        if (message !== this.lastProblem) this.logger.warn({ err: error }, message);
        this.lastProblem = message;
        return 0;
      })
      .finally(() => {
        this.flushing = undefined;
        if (this.again) {
          this.again = false;
          void this.kick();
        }
      });
    return this.flushing;
  }

  /** Queues what the outbox holds; resolves with how many records it moved. */
  async flush(): Promise<number> {
    let moved = 0;
    for (;;) {
      const texts = await this.redis.lrange(this.keys.configChanges, 0, MAX_PER_FLUSH - 1);
      if (texts.length === 0) return moved;
      await this.queue.enqueue(texts.map((text) => ({ text })), FORWARDER_SOURCE);
      // LREM by value: a relay in another process that queued the same records removes nothing twice.
      const pipeline = this.redis.pipeline();
      for (const text of texts) pipeline.lrem(this.keys.configChanges, 1, text);
      await pipeline.exec();
      moved += texts.length;
      this.lastProblem = undefined;
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flushing;
  }
}
