/**
 * One followed file: its open descriptor (which keeps reading a renamed or deleted file possible,
 * and its inode from being reused meanwhile), how far it has been read and how far the queue
 * safely holds it, and the lines not yet complete.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { endOfLastLine, inodeKey, readFingerprint } from './file-identity.js';
import { LineBlockMemory, lineBlockOf, LineSplitter, type LineBlock } from '../../records/index.js';
import { isMissing } from './path-patterns.js';

export type FileChange = 'unchanged' | 'grown' | 'truncated';

export interface ReadChunk {
  /** Its complete lines, blank ones left out. */
  lines: LineBlock;
  bytes: number;
}

export class TailedFile {
  /** dev:ino:fingerprint, known once the head is fixed; part of every document id. */
  identity: string | undefined;
  fingerprint: string | undefined;
  /** Start of the first line the queue does not hold yet: the checkpoint. */
  committed = 0;
  /** Bytes handed to the splitter (complete lines plus the partial one it keeps). */
  readOffset = 0;
  size: number;
  /** When the file stopped being at any watched path (renamed away or deleted). */
  detachedAt: number | undefined;
  lastGrowthAt = Date.now();
  /** Bumped by every restart: commits of an older generation never move the checkpoint. */
  generation = 0;
  /** An enqueue of this generation failed: read again from `committed` after a pause. */
  failure: Error | undefined;
  retryAt = 0;
  failures = 0;
  /** The chain of commits in read order; never rejects. */
  committing: Promise<void> = Promise.resolve();
  pumping: Promise<void> | undefined;
  private splitter: LineSplitter;
  private readBuffer = Buffer.alloc(0);
  /** The memory of delivered blocks, for the next reads' (releaseBlock); a few reads are under way at a time. */
  private readonly blockMemory = new LineBlockMemory(6);

  private constructor(
    private readonly handle: FileHandle,
    public path: string,
    readonly dev: string,
    readonly ino: string,
    size: number,
    /** The size when first seen, where AUDIT_LOG_START=end starts. */
    readonly initialSize: number,
    private readonly maxLineBytes: number,
  ) {
    this.size = size;
    this.splitter = new LineSplitter(maxLineBytes, 0, this.blockMemory);
  }

  /** Opens a path; undefined when it vanished meanwhile. Identity comes from the descriptor. */
  static async open(path: string, maxLineBytes: number): Promise<TailedFile | undefined> {
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    try {
      const stats = await handle.stat({ bigint: true });
      const size = Number(stats.size);
      return new TailedFile(handle, path, String(stats.dev), String(stats.ino), size, size, maxLineBytes);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  get key(): string {
    return inodeKey(this.dev, this.ino);
  }

  /** Where the partial line (if any) starts: the checkpoint once the lines before are queued. */
  get lineOffset(): number {
    return this.splitter.offset;
  }

  get detached(): boolean {
    return this.detachedAt !== undefined;
  }

  /** Fresh size from the descriptor; a shrink, or a changed head, means copytruncate or rewrite. */
  async refresh(): Promise<FileChange> {
    const size = Number((await this.handle.stat({ bigint: true })).size);
    if (size < this.readOffset) return 'truncated';
    if (size === this.size) return 'unchanged';
    this.size = size;
    this.lastGrowthAt = Date.now();
    if (this.fingerprint !== undefined && (await readFingerprint(this.handle, size)) !== this.fingerprint) return 'truncated';
    return 'grown';
  }

  head(final: boolean): Promise<string | undefined> {
    return readFingerprint(this.handle, this.size, final);
  }

  /** Where the last complete line before `size` ends (AUDIT_LOG_START=end). */
  endOfLastLine(size: number): Promise<number> {
    return endOfLastLine(this.handle, size);
  }

  /** Reads up to `maxBytes` after `readOffset`; only complete lines come out. */
  async read(maxBytes: number): Promise<ReadChunk> {
    const length = Math.min(maxBytes, this.size - this.readOffset);
    if (length <= 0) return { lines: lineBlockOf([]), bytes: 0 };
    // One buffer per file, used again by every read: a file's reads come one after the other, and
    // each is copied out (the block, the splitter's partial line) before the next begins.
    if (this.readBuffer.length < length) this.readBuffer = Buffer.allocUnsafeSlow(Math.max(length, maxBytes));
    const buffer = this.readBuffer;
    const { bytesRead } = await this.handle.read(buffer, 0, length, this.readOffset);
    this.readOffset += bytesRead;
    return { lines: this.splitter.pushBlock(buffer.subarray(0, bytesRead)), bytes: bytesRead };
  }

  /** A block from read() whose lines are all delivered (or queued as records): its memory serves a later read. */
  releaseBlock(block: LineBlock): void {
    this.blockMemory.give(block);
  }

  /** The partial last line, for a file that is finished: where it starts and its block (empty when blank). */
  takeLastLine(): { offset: number; lines: LineBlock } | undefined {
    const line = this.splitter.end();
    return line && { offset: line.offset, lines: lineBlockOf([line]) };
  }

  /** Reading starts over at `offset` (a checkpoint, 0 after truncation); lines after it come again. */
  restartAt(offset: number): void {
    this.splitter = new LineSplitter(this.maxLineBytes, offset, this.blockMemory);
    this.readOffset = offset;
    this.committed = offset;
    this.generation++;
    this.failure = undefined;
  }

  /** Bytes of a partial line that a restart throws away (logged on truncation). */
  get pendingBytes(): number {
    return this.readOffset - this.splitter.offset;
  }

  fail(error: Error, generation: number): void {
    if (generation === this.generation && this.failure === undefined) this.failure = error;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}
