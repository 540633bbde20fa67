/**
 * The consumer side: a BullMQ worker takes a batch, transforms every record with toEcs and hands
 * the documents to the sink; the job completes only after the sink has acknowledged them all.
 * When the sink is unavailable the whole queue is rate-limited (backing off up to 30 s) instead
 * of failing jobs, so an outage of any length costs no attempts and drops nothing.
 */
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { dataStreamName } from '../sinks/index-template.js';
import type { SinkProvider } from '../sinks/sink-provider.js';
import { SinkUnavailableError, type SinkDocument } from '../sinks/types.js';
import type { Activity } from '../status/activity.js';
import { documentId, toEcs, type GeoLookup, type TransformMeta } from '../transform/index.js';
import type { AuditQueue } from './audit-queue.js';
import { AUDIT_QUEUE_NAME, type AuditBatch } from './batch.js';
import type { DeadLetter, DeadLetters } from './dead-letters.js';
import type { RedisKeys } from './keys.js';

export interface AuditWorkerOptions {
  connection: Redis;
  redis: Redis;
  prefix: string;
  keys: RedisKeys;
  concurrency: number;
  maxRecordBytes: number;
  queue: AuditQueue;
  sinks: SinkProvider;
  deadLetters: DeadLetters;
  activity: Activity;
  geo: GeoLookup | undefined;
  logger: Logger;
}

const MAX_BACKOFF_MS = 30_000;

export function toSinkDocuments(batch: AuditBatch, meta: TransformMeta): SinkDocument[] {
  const identity = batch.source.identity ?? '';
  const dataStream = dataStreamName(meta.namespace ?? 'default');
  return batch.records.map((record) => {
    const source = record.offset === undefined ? batch.source : { ...batch.source, offset: record.offset };
    const doc = toEcs(record.text, { ...meta, source, truncatedFromBytes: record.truncatedFromBytes, invalidUtf8: record.invalidUtf8 });
    const id = documentId(record.text, record.offset === undefined ? identity : `${identity}@${record.offset}`);
    return { id, dataStream, json: JSON.stringify(doc) };
  });
}

export function startAuditWorker(options: AuditWorkerOptions): Worker<AuditBatch> {
  let consecutiveOutages = 0;

  const processBatch = async (job: Job<AuditBatch>): Promise<void> => {
    const { sink, config } = await options.sinks.current();
    const meta: TransformMeta = {
      namespace: config.settings.DATA_STREAM_NAMESPACE,
      keepOriginal: config.settings.KEEP_ORIGINAL,
      receivedAt: job.data.receivedAt,
      maxRecordBytes: options.maxRecordBytes,
      geo: options.geo,
    };
    const documents = toSinkDocuments(job.data, meta);
    let rejected;
    try {
      rejected = await sink.write(documents);
    } catch (error) {
      if (!(error instanceof SinkUnavailableError)) throw error;
      consecutiveOutages++;
      const delay = Math.max(error.retryAfterMs ?? 0, Math.min(500 * 2 ** consecutiveOutages, MAX_BACKOFF_MS));
      options.logger.warn({ err: error, 'event.delay_ms': delay }, 'sink unavailable: pausing the queue');
      await options.activity.recordSinkError(error.message);
      await options.queue.queue.rateLimit(delay);
      throw Worker.RateLimitError();
    }
    consecutiveOutages = 0;
    if (rejected.length > 0) {
      const at = new Date().toISOString();
      const indexOf = new Map(documents.map((d, i) => [d.id, i]));
      await options.deadLetters.add(rejected.map(({ document, status, reason }): DeadLetter => ({
        id: document.id, record: job.data.records[indexOf.get(document.id)!]!, source: job.data.source,
        receivedAt: job.data.receivedAt, reason, status, at,
      })));
      options.logger.warn({ 'event.count': rejected.length, 'error.message': rejected[0]!.reason }, 'documents refused by the sink: kept as dead letters');
    }
    await options.redis.decrby(options.keys.pendingRecords, job.data.records.length);
    await options.activity.recordDelivered(documents.length - rejected.length);
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
