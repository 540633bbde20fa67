/**
 * The consumer side: a BullMQ worker takes a batch and hands it to BatchDelivery (toEcs on the
 * transform threads, then the sink); the job completes only after the sink has acknowledged it.
 * When the sink is unavailable the whole queue is rate-limited (backing off up to 30 s) instead
 * of failing jobs, so an outage of any length costs no attempts and drops nothing.
 */
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { retryDelayMs } from '../backoff.js';
import type { Logger } from '../logger.js';
import { SinkUnavailableError } from '../sinks/types.js';
import type { AuditQueue } from './audit-queue.js';
import { AUDIT_QUEUE_NAME, type AuditBatch } from './batch.js';
import type { BatchDelivery } from './batch-delivery.js';
import type { DeadLetter, DeadLetters } from './dead-letters.js';
import type { RedisKeys } from './keys.js';

export interface AuditWorkerOptions {
  connection: Redis;
  redis: Redis;
  prefix: string;
  keys: RedisKeys;
  concurrency: number;
  queue: AuditQueue;
  delivery: BatchDelivery;
  deadLetters: DeadLetters;
  logger: Logger;
}

const MAX_BACKOFF_MS = 30_000;

export function startAuditWorker(options: AuditWorkerOptions): Worker<AuditBatch> {
  let consecutiveOutages = 0;

  const processBatch = async (job: Job<AuditBatch>): Promise<void> => {
    try {
      await options.delivery.deliver(job.data);
    } catch (error) {
      if (!(error instanceof SinkUnavailableError)) throw error;
      consecutiveOutages++;
      const delay = Math.max(error.retryAfterMs ?? 0, retryDelayMs(consecutiveOutages, MAX_BACKOFF_MS));
      options.logger.warn({ err: error, 'event.delay_ms': delay }, 'sink unavailable: pausing the queue');
      await options.delivery.recordOutage(error);
      await options.queue.queue.rateLimit(delay);
      throw Worker.RateLimitError();
    }
    consecutiveOutages = 0;
    await options.redis.decrby(options.keys.pendingRecords, job.data.records.length);
  };

  const worker = new Worker<AuditBatch>(AUDIT_QUEUE_NAME, processBatch, {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency,
    // Stalled jobs (a worker killed mid-batch) come back; the stable ids make the retry harmless.
    maxStalledCount: 1000,
    // A killed worker's batch is back in the queue within ~15 s; live workers renew their lock meanwhile.
    lockDuration: 15_000,
    stalledInterval: 15_000,
    limiter: { max: 1_000_000, duration: 1000 },
  });

  worker.on('failed', (job, error) => {
    if (!job || job.attemptsMade < (job.opts.attempts ?? 1)) return;
    // Out of attempts: the records must not vanish with the job; keep them as dead letters.
    const at = new Date().toISOString();
    const letters = job.data.records.map((record, i): DeadLetter => ({
      id: `${job.id ?? 'job'}-${i}`, record, source: job.data.source, receivedAt: job.data.receivedAt, reason: `batch failed ${job.attemptsMade} times: ${error.message}`, at,
    }));
    void options.deadLetters.add(letters)
      .then(() => options.redis.decrby(options.keys.pendingRecords, letters.length))
      .catch((err: unknown) => options.logger.error({ err }, 'cannot store dead letters of a failed batch; it stays in the failed set'));
  });
  worker.on('error', (error) => options.logger.error({ err: error }, 'worker error'));
  return worker;
}
