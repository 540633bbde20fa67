import { blockLength, blockRecords, LineBlockReader, type LineBlock, type RawRecord } from '../records/index.js';
import type { RecordSource } from '../transform/index.js';

/** The data of one BullMQ job: a batch of raw records from one source, never one job a record. */
export interface AuditBatch {
  records: RawRecord[];
  source: RecordSource;
  receivedAt: string;
}

/**
 * A batch of the file input's lines as bytes (direct delivery, records/line-block.ts): it goes
 * to a transform thread as such, and is never a job.
 */
export interface LineBatch {
  lines: LineBlock;
  source: RecordSource;
  receivedAt: string;
}

/** What the transform and delivery take: a job's records or a file's lines. */
export type RecordBatch = AuditBatch | LineBatch;

export function batchLength(batch: RecordBatch): number {
  return 'lines' in batch ? blockLength(batch.lines) : batch.records.length;
}

/** The batch's records as objects (dead letters, a batch split in halves: the rare ways). */
export function batchRecords(batch: RecordBatch): RawRecord[] {
  return 'lines' in batch ? blockRecords(batch.lines) : batch.records;
}

/** Reads a batch's records one at a time; a file's lines are decoded only here, on the thread that transforms them. */
export interface BatchRecords {
  readonly length: number;
  /** About the total length of the records' text. */
  readonly chars: number;
  record(i: number): RawRecord;
  /** Record i's bytes when the batch has them (a file's lines), what its text was decoded from. */
  bytes(i: number): Uint8Array | undefined;
}

export function readBatch(batch: RecordBatch): BatchRecords {
  if ('lines' in batch) {
    const reader = new LineBlockReader(batch.lines);
    return { length: reader.length, chars: reader.bytes, record: (i) => reader.record(i), bytes: (i) => reader.lineBytes(i) };
  }
  const { records } = batch;
  let chars = 0;
  for (const record of records) chars += record.text.length;
  return { length: records.length, chars, record: (i) => records[i]!, bytes: () => undefined };
}

export const AUDIT_QUEUE_NAME = 'audit';

/**
 * Where the file input hands its lines: the queue (Redis holds them once enqueueLines resolves)
 * or DirectDelivery (the sink holds them). Only then may the input move its checkpoint.
 */
export interface RecordDestination {
  /** The lines of one read, blank lines left out already. */
  enqueueLines(lines: LineBlock, source: RecordSource, receivedAt?: string): Promise<number>;
  /** Records handed over but not yet delivered: what QUEUE_HIGH_WATER_MARK is compared with. */
  pendingRecords(): Promise<number>;
}
