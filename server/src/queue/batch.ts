import type { RecordSource } from '../transform/index.js';

/** One raw audit record as an input read it. */
export interface RawRecord {
  text: string;
  /** Byte offset in its file (file inputs). */
  offset?: number;
  truncatedFromBytes?: number;
  invalidUtf8?: boolean;
}

/** The data of one BullMQ job: a batch of raw records from one source, never one job a record. */
export interface AuditBatch {
  records: RawRecord[];
  source: RecordSource;
  receivedAt: string;
}

export const AUDIT_QUEUE_NAME = 'audit';
