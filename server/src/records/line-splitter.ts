/**
 * Splits a byte stream into lines without decoding it, so that invalid UTF-8 reaches toEcs as
 * bytes, and caps a line's length so one endless line cannot exhaust memory.
 */
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

  constructor(private readonly maxLineBytes: number, startOffset = 0) {
    this.lineStart = startOffset;
  }

  /**
   * Complete lines in this chunk; a trailing partial line is copied and waits for the next chunk.
   * A line that lies whole in the chunk is a view of it (no copy): the chunk must stay unchanged
   * until the caller has made its lines into records, as the file and TCP inputs do at once.
   */
  push(chunk: Buffer): Line[] {
    const lines: Line[] = [];
    let from = 0;
    for (let nl = chunk.indexOf(10, from); nl !== -1; nl = chunk.indexOf(10, from)) {
      if (this.pendingBytes === 0 && this.droppedBytes === 0 && nl - from <= this.maxLineBytes) {
        lines.push(this.wholeLine(chunk.subarray(from, nl)));
      } else {
        this.keep(chunk.subarray(from, nl));
        lines.push(this.takeLine(1));
      }
      from = nl + 1;
    }
    if (from < chunk.length) this.keep(chunk.subarray(from));
    return lines;
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
    // Cut before a character, not inside one: the kept start of a valid line stays valid UTF-8.
    let cut = room;
    while (cut > 0 && (part[cut]! & 0xc0) === 0x80) cut--;
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

  /** Most lines: no part of them came in an earlier chunk, and they are within the cap. */
  private wholeLine(bytes: Buffer): Line {
    const line: Line = { bytes: withoutCarriageReturn(bytes), offset: this.lineStart };
    this.lineStart += bytes.length + 1;
    return line;
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

function withoutCarriageReturn(bytes: Buffer): Buffer {
  return bytes.length > 0 && bytes[bytes.length - 1] === 13 ? bytes.subarray(0, bytes.length - 1) : bytes;
}
