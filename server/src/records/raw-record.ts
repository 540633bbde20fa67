/**
 * One raw audit record as an input read it, before any transform: what every stage (inputs, the
 * queue, the transform threads, dead letters, the CLI) passes along.
 */
import { isUtf8 } from 'node:buffer';
import type { Line } from './line-splitter.js';

export interface RawRecord {
  text: string;
  /** Byte offset in its file (file inputs). */
  offset?: number;
  truncatedFromBytes?: number;
  invalidUtf8?: boolean;
}

/** A line read from bytes, as a record: invalid UTF-8 is flagged, since job data is JSON text. */
export function recordFromLine(line: Line): RawRecord {
  const record: RawRecord = { text: line.bytes.toString('utf8'), offset: line.offset };
  if (line.truncatedFromBytes !== undefined) record.truncatedFromBytes = line.truncatedFromBytes;
  if (!isUtf8(line.bytes)) record.invalidUtf8 = true;
  return record;
}
