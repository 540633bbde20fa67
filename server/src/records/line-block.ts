/**
 * The lines of one file read as ranges of one byte buffer, not as a string and an object per
 * line: the file input hands a backlog over this way (direct delivery), so that the main thread
 * neither decodes lines nor keeps a heap string per record while its batch is under way (those
 * strings, copied by every scavenge and then promoted, were most of its garbage collection), and
 * a transform thread gets the bytes in one copy instead of a thousand strings to clone.
 * Records are made from it where they are needed: on the transform thread, for dead letters, for
 * the queue.
 */
import { isUtf8 } from 'node:buffer';
import { isBlankLine } from './blank-line.js';
import type { Line } from './line-splitter.js';
import type { RawRecord } from './raw-record.js';

export interface LineBlock {
  /**
   * The lines' bytes, in a SharedArrayBuffer: a block and its slices go to a transform thread
   * without a copy (nothing writes to it once it is made).
   */
  bytes: Uint8Array;
  /** Line i is bytes[starts[i], ends[i]): without its newline (or CR). */
  starts: Uint32Array;
  ends: Uint32Array;
  /** Line i's byte offset in its file. */
  offsets: Float64Array;
  /** Line i → its full length, for lines longer than the cap (only their start is kept). */
  truncated?: Map<number, number>;
}

/**
 * The lines that are not blank, as a block. Lines that lie one after another in one buffer (a
 * read's) are copied as one span, the newlines between them included: one copy per read rather
 * than one per line.
 */
export function lineBlockOf(lines: readonly Line[]): LineBlock {
  const kept = lines.filter((line) => !isBlankLine(line.bytes));
  const spans: Array<{ source: ArrayBufferLike; start: number; end: number }> = [];
  const spanOf: number[] = [];
  let size = 0;
  for (const { bytes } of kept) {
    const span = spans[spans.length - 1];
    if (span && span.source === bytes.buffer && bytes.byteOffset >= span.end) {
      size += bytes.byteOffset + bytes.length - span.end;
      span.end = bytes.byteOffset + bytes.length;
    } else {
      spans.push({ source: bytes.buffer, start: bytes.byteOffset, end: bytes.byteOffset + bytes.length });
      size += bytes.length;
    }
    spanOf.push(spans.length - 1);
  }
  const bytes = new Uint8Array(new SharedArrayBuffer(size));
  const spanAt: number[] = [];
  let at = 0;
  for (const span of spans) {
    spanAt.push(at);
    bytes.set(new Uint8Array(span.source, span.start, span.end - span.start), at);
    at += span.end - span.start;
  }
  const starts = new Uint32Array(kept.length);
  const ends = new Uint32Array(kept.length);
  const offsets = new Float64Array(kept.length);
  let truncated: Map<number, number> | undefined;
  kept.forEach((line, i) => {
    const span = spanOf[i]!;
    starts[i] = spanAt[span]! + line.bytes.byteOffset - spans[span]!.start;
    ends[i] = starts[i]! + line.bytes.length;
    offsets[i] = line.offset;
    if (line.truncatedFromBytes !== undefined) (truncated ??= new Map()).set(i, line.truncatedFromBytes);
  });
  return truncated ? { bytes, starts, ends, offsets, truncated } : { bytes, starts, ends, offsets };
}

export function blockLength(block: LineBlock): number {
  return block.starts.length;
}

/** Lines [from, to) as a block: a view of the same bytes, ranges of its own. */
export function sliceBlock(block: LineBlock, from: number, to: number): LineBlock {
  const first = block.starts[from] ?? 0;
  const last = to > from ? block.ends[to - 1]! : first;
  const starts = block.starts.slice(from, to);
  const ends = block.ends.slice(from, to);
  for (let i = 0; i < starts.length; i++) {
    starts[i] = starts[i]! - first;
    ends[i] = ends[i]! - first;
  }
  let truncated: Map<number, number> | undefined;
  for (const [i, length] of block.truncated ?? []) if (i >= from && i < to) (truncated ??= new Map()).set(i - from, length);
  const slice = { bytes: block.bytes.subarray(first, last), starts, ends, offsets: block.offsets.slice(from, to) };
  return truncated ? { ...slice, truncated } : slice;
}

/**
 * Reads a block's lines as records. The block's bytes are checked as UTF-8 once: a line is
 * checked alone only when the block holds invalid bytes somewhere.
 */
export class LineBlockReader {
  private readonly text: Buffer;
  private readonly allValid: boolean;

  constructor(private readonly block: LineBlock) {
    // A block that crossed a thread is a plain Uint8Array again: a Buffer view decodes it.
    this.text = Buffer.from(block.bytes.buffer, block.bytes.byteOffset, block.bytes.byteLength);
    this.allValid = isUtf8(this.text);
  }

  get length(): number {
    return this.block.starts.length;
  }

  record(i: number): RawRecord {
    const start = this.block.starts[i]!;
    const end = this.block.ends[i]!;
    const record: RawRecord = { text: this.text.toString('utf8', start, end), offset: this.block.offsets[i]! };
    const truncatedFrom = this.block.truncated?.get(i);
    if (truncatedFrom !== undefined) record.truncatedFromBytes = truncatedFrom;
    if (!this.allValid && !isUtf8(this.text.subarray(start, end))) record.invalidUtf8 = true;
    return record;
  }

  /** Line i's bytes, a view: what its record's text was decoded from. */
  lineBytes(i: number): Uint8Array {
    return this.text.subarray(this.block.starts[i], this.block.ends[i]);
  }

  /** Total bytes of the lines: about the size of their text. */
  get bytes(): number {
    return this.block.bytes.byteLength;
  }
}

/** Every line as a record, for where records must be objects (the queue's jobs, dead letters). */
export function blockRecords(block: LineBlock): RawRecord[] {
  const reader = new LineBlockReader(block);
  return Array.from({ length: reader.length }, (_, i) => reader.record(i));
}
