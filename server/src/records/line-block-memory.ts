/**
 * Shared memory for the line blocks of one file's reads, used again once a block's lines are
 * delivered. A new SharedArrayBuffer per read (1 MiB) is memory the kernel maps and zeroes afresh
 * (the bin has glibc map every buffer over 128 KiB on its own, to give it back when freed): under
 * load those page faults cost the main thread about 1 µs a line, more than splitting the lines.
 */
import type { LineBlock } from './line-block.js';
import { takeSmallestSpare } from './smallest-spare.js';

/** Sizes are rounded up to this, so that a spare fits the next read's block, which is seldom the same size. */
const SIZE_STEP = 256 * 1024;

export class LineBlockMemory {
  private readonly spares: SharedArrayBuffer[] = [];

  constructor(private readonly most: number) {}

  /** Memory for `bytes`: the smallest spare that big, else new; its old contents left in it. */
  take(bytes: number): SharedArrayBuffer {
    return takeSmallestSpare(this.spares, bytes) ?? new SharedArrayBuffer(Math.ceil(bytes / SIZE_STEP) * SIZE_STEP);
  }

  /**
   * A block nothing reads any more (all its lines delivered): its memory is kept for a later read.
   * Giving a block that some batch still reads would let a later read overwrite its lines.
   */
  give(block: LineBlock): void {
    const memory = block.bytes.buffer;
    if (!(memory instanceof SharedArrayBuffer) || memory.byteLength < SIZE_STEP) return;
    if (this.spares.length < this.most && !this.spares.includes(memory)) this.spares.push(memory);
  }
}
