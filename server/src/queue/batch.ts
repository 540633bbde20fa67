import type { RawRecord } from '../records/index.js';
import type { RecordSource } from '../transform/index.js';

/** The data of one BullMQ job: a batch of raw records from one source, never one job a record. */
export interface AuditBatch {
  records: RawRecord[];
  source: RecordSource;
  receivedAt: string;
}

export const AUDIT_QUEUE_NAME = 'audit';

/**
 * Where an input hands its records: the queue (Redis holds them once enqueue resolves) or, for
 * the file input, DirectDelivery (the sink holds them). Only then may the input acknowledge them
 * or move its checkpoint.
 */
export interface RecordDestination {
  enqueue(records: readonly RawRecord[], source: RecordSource, receivedAt?: string): Promise<number>;
  /** Records handed over but not yet delivered: what QUEUE_HIGH_WATER_MARK is compared with. */
  pendingRecords(): Promise<number>;
}
