/**
 * The producer side: inputs hand over raw records, which go to Redis as BullMQ jobs of up to
 * BATCH_SIZE records. enqueue resolves only once the records are in Redis *and* on the replicas
 * (replica-acks.ts), so that an acknowledgement survives the loss of the master; the ledger of
 * records not yet delivered (pending-records.ts) backs the high-water mark.
 */
import { Queue } from 'bullmq';
import { blockRecords, type LineBlock, type RawRecord } from '../records/index.js';
import type { RecordSource } from '../transform/index.js';
import { AUDIT_QUEUE_NAME, type AuditBatch } from './batch.js';
import type { RedisKeys } from './keys.js';
import { PendingRecords, type PendingKeys } from './pending-records.js';
import { RedisUnavailableError, type RedisClient } from './redis-connection.js';
import type { ReplicaAcks } from './replica-acks.js';

export interface AuditQueueOptions {
  /** A fail-fast connection: an enqueue that cannot reach Redis fails instead of waiting. */
  connection: RedisClient;
  /** Where the pending count is read, if not `connection` (whose WAITs would hold the read up). */
  reads?: RedisClient;
  prefix: string;
  keys: RedisKeys;
  batchSize: number;
  attempts: number;
  replicas: ReplicaAcks;
  /** BullMQ's own reports (the connection's errors, again): logged by the caller. */
  onError: (error: Error) => void;
}

export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  pendingRecords: number;
}

export function pendingKeys(keys: RedisKeys, prefix: string): PendingKeys {
  return { ledger: keys.pendingJobs, total: keys.pendingTotal, deliveredMark: keys.pendingDelivered, job: (id) => `${prefix}:${AUDIT_QUEUE_NAME}:${id}` };
}

export class AuditQueue {
  readonly queue: Queue<AuditBatch>;
  private readonly pending: PendingRecords;
  private readonly pendingReads: PendingRecords;

  constructor(private readonly options: AuditQueueOptions) {
    this.queue = new Queue<AuditBatch>(AUDIT_QUEUE_NAME, {
      connection: options.connection,
      prefix: options.prefix,
      defaultJobOptions: {
        attempts: options.attempts,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: true,
        removeOnFail: { count: 10_000 },
      },
    });
    this.queue.on('error', options.onError);
    this.pending = new PendingRecords(options.connection, pendingKeys(options.keys, options.prefix));
    this.pendingReads = options.reads ? new PendingRecords(options.reads, pendingKeys(options.keys, options.prefix)) : this.pending;
  }

  /**
   * Resolves once Redis and its replicas hold every record; only then may an input acknowledge
   * them. Rejects with RedisUnavailableError when Redis is away or its replicas do not confirm.
   */
  async enqueue(records: readonly RawRecord[], source: RecordSource, receivedAt = new Date().toISOString()): Promise<number> {
    if (records.length === 0) return 0;
    const jobs: Array<{ name: string; data: AuditBatch }> = [];
    for (let i = 0; i < records.length; i += this.options.batchSize) {
      jobs.push({ name: source.input, data: { records: records.slice(i, i + this.options.batchSize), source, receivedAt } });
    }
    try {
      await this.options.replicas.durably(async () => {
        const added = await this.queue.addBulk(jobs);
        await this.pending.enter(added.map((job) => ({ id: job.id!, records: job.data.records.length })));
      });
    } catch (error) {
      throw new RedisUnavailableError(error);
    }
    return records.length;
  }

  /** The file input's lines (AUDIT_LOG_DELIVERY=queue): as records, since a job is JSON. */
  enqueueLines(lines: LineBlock, source: RecordSource, receivedAt?: string): Promise<number> {
    return this.enqueue(blockRecords(lines), source, receivedAt);
  }

  async pendingRecords(): Promise<number> {
    try {
      return await this.pendingReads.total();
    } catch (error) {
      throw new RedisUnavailableError(error);
    }
  }

  async counts(): Promise<QueueCounts> {
    const [counts, pendingRecords] = await Promise.all([
      this.queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized'),
      this.pendingRecords(),
    ]);
    return {
      waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
      active: counts.active ?? 0,
      delayed: counts.delayed ?? 0,
      failed: counts.failed ?? 0,
      pendingRecords,
    };
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
