/**
 * The consumer side: a BullMQ worker takes a batch and hands it to BatchDelivery (toEcs on the
 * transform threads, then the sink); the job completes only after the sink has acknowledged it.
 * When the sink is unavailable the whole queue is rate-limited (backing off up to 30 s) instead
 * of failing jobs, so an outage of any length costs no attempts and drops nothing.
 *
 * Everything here runs on a patient connection: a Redis outage or failover is waited out, never
 * counted against a batch. The worker's own writes come before BullMQ marks the job done (dead
 * letters, the pending ledger), so whatever of them a failover keeps, the job's end is not ahead
 * of them: at worst the job is delivered again (same document ids), never lost.
 */
import { Queue, Worker, type Job } from 'bullmq';
import { retryDelayMs } from '../backoff.js';
import type { Logger } from '../logger.js';
import { SinkUnavailableError } from '../sinks/types.js';
import { pendingKeys } from './audit-queue.js';
import { AUDIT_QUEUE_NAME, type AuditBatch } from './batch.js';
import type { BatchDelivery } from './batch-delivery.js';
import type { DeadLetter, DeadLetters } from './dead-letters.js';
import type { RedisKeys } from './keys.js';
import { PendingRecords } from './pending-records.js';
import { ErrorLogThrottle, type RedisClient } from './redis-connection.js';

export interface AuditWorkerOptions {
  /** Patient (maxRetriesPerRequest null): BullMQ's and our writes wait out an outage. */
  connection: RedisClient;
  prefix: string;
  keys: RedisKeys;
  concurrency: number;
  delivery: BatchDelivery;
  /** On the same patient connection. */
  deadLetters: DeadLetters;
  logger: Logger;
}

export interface AuditWorker {
  close(): Promise<void>;
}

const MAX_BACKOFF_MS = 30_000;
const STALLED_TOO_OFTEN = 'stalled more than allowable limit';

function deadLettersOf(job: Job<AuditBatch>, reason: string): DeadLetter[] {
  const at = new Date().toISOString();
  return job.data.records.map((record, i): DeadLetter => ({
    id: `${job.id ?? 'job'}-${i}`, record, source: job.data.source, receivedAt: job.data.receivedAt, reason, at,
  }));
}

export function startAuditWorker(options: AuditWorkerOptions): AuditWorker {
  let consecutiveOutages = 0;
  const pending = new PendingRecords(options.connection, pendingKeys(options.keys, options.prefix));
  // The queue-wide rate limit is set through a Queue on the worker's own (patient) connection.
  const limiter = new Queue<AuditBatch>(AUDIT_QUEUE_NAME, { connection: options.connection, prefix: options.prefix });
  const errors = new ErrorLogThrottle(options.logger, { 'event.module': 'queue' });
  limiter.on('error', (error) => errors.error(error, 'queue error'));

  const processBatch = async (job: Job<AuditBatch>): Promise<void> => {
    try {
      await options.delivery.deliver(job.data);
      // Said once, so that the log shows where an outage ended as well as where it began.
      if (consecutiveOutages > 0) options.logger.info({ 'event.count': job.data.records.length }, 'sink reachable again: delivering the queue');
      consecutiveOutages = 0;
    } catch (error) {
      if (error instanceof SinkUnavailableError) {
        consecutiveOutages++;
        const delay = Math.max(error.retryAfterMs ?? 0, retryDelayMs(consecutiveOutages, MAX_BACKOFF_MS));
        // An expected condition: its reason, not a stack trace, at every pause.
        options.logger.warn({ 'error.type': error.name, 'error.message': error.message, 'event.delay_ms': delay }, 'sink unavailable: pausing the queue');
        await options.delivery.recordOutage(error);
        await limiter.rateLimit(delay);
        throw Worker.RateLimitError();
      }
      if (job.attemptsMade + 1 < (job.opts.attempts ?? 1)) throw error;
      // The last attempt: its records become dead letters before the job ends (completed), so
      // no crash or failover between the two can lose them.
      const attempts = job.attemptsMade + 1;
      await options.deadLetters.add(deadLettersOf(job, `batch failed ${attempts} times: ${(error as Error).message}`));
      options.logger.error({ err: error, 'event.count': job.data.records.length }, `a batch failed ${attempts} times: its records are kept as dead letters`);
    }
    await pending.takeOut(job.id!);
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

  // BullMQ fails a job on its own only when it stalled too often: its records must not vanish with it.
  worker.on('failed', (job, error) => {
    if (!job) return;
    if (!error.message.includes(STALLED_TOO_OFTEN)) {
      if (job.attemptsMade >= (job.opts.attempts ?? 1)) options.logger.error({ err: error, 'event.id': job.id }, 'a batch failed for good: it stays in the failed set');
      return;
    }
    void options.deadLetters.add(deadLettersOf(job, `batch ${error.message}`))
      .then(() => pending.takeOut(job.id!))
      .catch((err: unknown) => options.logger.error({ err }, 'cannot store dead letters of a failed batch; it stays in the failed set'));
  });
  worker.on('error', (error) => errors.error(error, 'worker error'));
  return {
    async close() {
      await worker.close();
      await limiter.close();
    },
  };
}
