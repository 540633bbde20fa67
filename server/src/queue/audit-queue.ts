/**
 * The producer side: inputs hand over raw records, which go to Redis as BullMQ jobs of up to
 * BATCH_SIZE records. A count of records not yet delivered backs the high-water mark.
 */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { RawRecord } from '../records/index.js';
import type { RecordSource } from '../transform/index.js';
import { AUDIT_QUEUE_NAME, type AuditBatch } from './batch.js';
import type { RedisKeys } from './keys.js';

export interface AuditQueueOptions {
  connection: Redis;
  prefix: string;
  keys: RedisKeys;
  batchSize: number;
  attempts: number;
}

export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  pendingRecords: number;
}

export class AuditQueue {
  readonly queue: Queue<AuditBatch>;

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
  }

  /** Resolves once Redis holds every record; only then may an input acknowledge them. */
  async enqueue(records: readonly RawRecord[], source: RecordSource, receivedAt = new Date().toISOString()): Promise<number> {
    if (records.length === 0) return 0;
    const jobs = [];
    for (let i = 0; i < records.length; i += this.options.batchSize) {
      jobs.push({ name: source.input, data: { records: records.slice(i, i + this.options.batchSize), source, receivedAt } });
    }
    await this.queue.addBulk(jobs);
    await this.options.connection.incrby(this.options.keys.pendingRecords, records.length);
    return records.length;
  }

  async pendingRecords(): Promise<number> {
    return Number((await this.options.connection.get(this.options.keys.pendingRecords)) ?? 0);
  }

  async counts(): Promise<QueueCounts> {
    const counts = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized');
    return {
      waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
      active: counts.active ?? 0,
      delayed: counts.delayed ?? 0,
      failed: counts.failed ?? 0,
      pendingRecords: Math.max(0, await this.pendingRecords()),
    };
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
