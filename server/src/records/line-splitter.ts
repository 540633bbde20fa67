/**
 * Splits a byte stream into lines without decoding it, so that invalid UTF-8 reaches toEcs as
 * bytes, and caps a line's length so one endless line cannot exhaust memory.
 */
import { isBlankLine, isBlankRange } from './blank-line.js';
import type { LineBlock } from './line-block.js';
import type { LineBlockMemory } from './line-block-memory.js';

export interface Line {
  bytes: Buffer;
  /** Byte offset of the line's first byte in the stream. */
  offset: number;
  /** The line's full length when it was longer than the cap and `bytes` holds only its start. */
  truncatedFromBytes?: number;
}

export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private droppedBytes = 0;
  private lineStart: number;
  /**
   * What the last scan found, used again by every chunk: the line begun in earlier chunks that
   * this one completed, then the ranges of the chunk's own complete lines (without newline or CR,
   * cut to the cap), and (index, full length) pairs for those that were cut.
   */
  private continued: Line | undefined;
  private starts = new Uint32Array(64);
  private ends = new Uint32Array(64);
  private readonly truncations: number[] = [];
  /** The stream offset of the scanned chunk's first byte. */
  private chunkOffset = 0;

  /** `memory`: where pushBlock's blocks go (the file input's, used again), else new memory per block. */
  constructor(private readonly maxLineBytes: number, startOffset = 0, private readonly memory?: LineBlockMemory) {
    this.lineStart = startOffset;
  }

  /**
   * Complete lines in this chunk; a trailing partial line is copied and waits for the next chunk.
   * A line that starts in the chunk is a view of it (no copy): the chunk must stay unchanged
   * until the caller has made its lines into records, as the TCP input and the CLI do at once.
   */
  push(chunk: Buffer): Line[] {
    const count = this.scan(chunk, false);
    const lines: Line[] = this.continued ? [this.continued] : [];
    let cut = 0;
    for (let i = 0; i < count; i++) {
      const start = this.starts[i]!;
      const line: Line = { bytes: chunk.subarray(start, this.ends[i]), offset: this.chunkOffset + start };
      if (this.truncations[cut] === i) {
        line.truncatedFromBytes = this.truncations[cut + 1]!;
        cut += 2;
      }
      lines.push(line);
    }
    return lines;
  }

  /**
   * The chunk's complete lines that are not blank, as a block (what `lineBlockOf(push(chunk))`
   * gives) without a Buffer or an object per line: the block's bytes are the line continued from
   * earlier chunks, if any, then the chunk's span from its first kept line to its last, copied
   * in one piece. The chunk may be used again as soon as this returns.
   */
  pushBlock(chunk: Buffer): LineBlock {
    const count = this.scan(chunk, true);
    const head = this.continued && !isBlankLine(this.continued.bytes) ? this.continued : undefined;
    const headBytes = head ? head.bytes.length : 0;
    const first = head ? 1 : 0;
    const spanStart = count > 0 ? this.starts[0]! : 0;
    const spanEnd = count > 0 ? this.ends[count - 1]! : 0;
    // Into shared memory V8 copies word by word only where source and target are aligned alike, byte
    // by byte otherwise (3-5 times as long): the span goes in at its source's alignment, after at most
    // 7 unused bytes.
    const spanAt = headBytes + ((chunk.byteOffset + spanStart - headBytes) & 7);
    const size = spanAt + spanEnd - spanStart;
    const bytes = this.memory ? new Uint8Array(this.memory.take(size), 0, size) : new Uint8Array(new SharedArrayBuffer(size));
    // Memory used before holds an older block's bytes: the gap, which a slice of the block may span, is zeroed
    // as new memory is, so that the block's one UTF-8 check (LineBlockReader) does not fail on them.
    if (this.memory) bytes.fill(0, headBytes, spanAt);
    if (head) bytes.set(head.bytes);
    if (count > 0) bytes.set(chunk.subarray(spanStart, spanEnd), spanAt);
    const starts = new Uint32Array(first + count);
    const ends = new Uint32Array(first + count);
    const offsets = new Float64Array(first + count);
    let truncated: Map<number, number> | undefined;
    if (head) {
      ends[0] = headBytes;
      offsets[0] = head.offset;
      if (head.truncatedFromBytes !== undefined) (truncated = new Map()).set(0, head.truncatedFromBytes);
    }
    const shift = spanAt - spanStart;
    for (let i = 0; i < count; i++) {
      const start = this.starts[i]!;
      starts[first + i] = start + shift;
      ends[first + i] = this.ends[i]! + shift;
      offsets[first + i] = this.chunkOffset + start;
    }
    for (let cut = 0; cut < this.truncations.length; cut += 2) (truncated ??= new Map()).set(first + this.truncations[cut]!, this.truncations[cut + 1]!);
    return truncated ? { bytes, starts, ends, offsets, truncated } : { bytes, starts, ends, offsets };
  }

  /** The last line when the stream ends without a newline. */
  end(): Line | undefined {
    if (this.pendingBytes === 0 && this.droppedBytes === 0) return undefined;
    return this.takeLine(0);
  }

  /** Bytes of the partial line it keeps, waiting for the rest. */
  get heldBytes(): number {
    return this.pendingBytes;
  }

  /** Where the next unread line starts: a safe checkpoint. */
  get offset(): number {
    return this.lineStart;
  }

  /**
   * One pass over a chunk for both ways of handing its lines out: the continued line (taken whole,
   * as a copy), the ranges of the others into `starts`/`ends` (blank ones left out when asked), the
   * trailing partial line kept. Returns how many ranges it wrote.
   */
  private scan(chunk: Buffer, skipBlank: boolean): number {
    this.continued = undefined;
    this.truncations.length = 0;
    this.chunkOffset = this.lineStart + this.pendingBytes + this.droppedBytes;
    let from = 0;
    let newline = chunk.indexOf(10);
    if (newline !== -1 && (this.pendingBytes > 0 || this.droppedBytes > 0)) {
      this.keep(chunk.subarray(0, newline));
      this.continued = this.takeLine(1);
      from = newline + 1;
      newline = chunk.indexOf(10, from);
    }
    let count = 0;
    for (; newline !== -1; newline = chunk.indexOf(10, from)) {
      const long = newline - from > this.maxLineBytes;
      let end = long ? from + characterCut(chunk, from, this.maxLineBytes) : newline;
      if (end > from && chunk[end - 1] === 13) end--;
      if (!skipBlank || !isBlankRange(chunk, from, end)) {
        if (count === this.starts.length) this.grow();
        this.starts[count] = from;
        this.ends[count] = end;
        if (long) this.truncations.push(count, newline - from);
        count++;
      }
      from = newline + 1;
    }
    if (from > 0) this.lineStart = this.chunkOffset + from;
    if (from < chunk.length) this.keep(chunk.subarray(from));
    return count;
  }

  private grow(): void {
    const starts = new Uint32Array(this.starts.length * 2);
    const ends = new Uint32Array(this.ends.length * 2);
    starts.set(this.starts);
    ends.set(this.ends);
    this.starts = starts;
    this.ends = ends;
  }

  private keep(part: Buffer): void {
    // Past the cap, the rest of the line is only counted.
    if (this.droppedBytes > 0) {
      this.droppedBytes += part.length;
      return;
    }
    const room = this.maxLineBytes - this.pendingBytes;
    if (part.length <= room) {
      // Copy: the caller may reuse its chunk buffer.
      this.pending.push(Buffer.from(part));
      this.pendingBytes += part.length;
      return;
    }
    const cut = characterCut(part, 0, room);
    if (cut > 0) {
      this.pending.push(Buffer.from(part.subarray(0, cut)));
      this.pendingBytes += cut;
    } else if ((part[0]! & 0xc0) === 0x80) {
      // The cap falls inside a character that began in an earlier chunk: its start goes too.
      this.dropHeldCharacterStart();
    }
    this.droppedBytes += part.length - cut;
  }

  /** Drops the held bytes' trailing continuation bytes and the byte before them, as a cut inside one chunk would. */
  private dropHeldCharacterStart(): void {
    let continuation = true;
    while (this.pendingBytes > 0 && continuation) {
      const last = this.pending[this.pending.length - 1]!;
      let keep = last.length;
      while (keep > 0 && continuation) continuation = (last[--keep]! & 0xc0) === 0x80;
      this.droppedBytes += last.length - keep;
      this.pendingBytes -= last.length - keep;
      if (keep > 0) this.pending[this.pending.length - 1] = last.subarray(0, keep);
      else this.pending.pop();
    }
  }

  private takeLine(terminatorBytes: number): Line {
    const bytes = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    const line: Line = { bytes: withoutCarriageReturn(bytes), offset: this.lineStart };
    if (this.droppedBytes > 0) line.truncatedFromBytes = this.pendingBytes + this.droppedBytes;
    this.lineStart += this.pendingBytes + this.droppedBytes + terminatorBytes;
    this.pending = [];
    this.pendingBytes = 0;
    this.droppedBytes = 0;
    return line;
  }
}

/**
 * How many of the bytes from `start` (more than `room` of them) to keep: at most `room`, cut
 * before a character, not inside one, so that the kept start of a valid line stays valid UTF-8.
 */
function characterCut(bytes: Buffer, start: number, room: number): number {
  let cut = room;
  while (cut > 0 && (bytes[start + cut]! & 0xc0) === 0x80) cut--;
  return cut;
}

function withoutCarriageReturn(bytes: Buffer): Buffer {
  return bytes.length > 0 && bytes[bytes.length - 1] === 13 ? bytes.subarray(0, bytes.length - 1) : bytes;
}
