/**
 * Backpressure for inputs that pull (file) or can stop reading (TCP): a bounded number of
 * enqueues in flight, and none while the queue is above QUEUE_HIGH_WATER_MARK, so a backlog or a
 * firehose waits in its file or socket instead of in Redis' memory.
 */
import type { RecordDestination } from '../queue/batch.js';
import { pause } from '../backoff.js';

const FULL_RETRY_MS = 500;

export class QueueRoom {
  private inFlight = 0;
  private waiters: Array<() => void> = [];
  private over = false;

  constructor(private readonly queue: RecordDestination, private readonly highWaterMark: number, private readonly maxInFlight: number) {}

  /** True while the queue is above its high-water mark (as last seen). */
  get paused(): boolean {
    return this.over;
  }

  /** Waits for a slot; false when `signal` aborts first. Every true must be paired with release(). */
  async acquire(signal: AbortSignal): Promise<boolean> {
    while (!signal.aborted) {
      if (this.inFlight >= this.maxInFlight) {
        await this.released(signal);
        continue;
      }
      if (await this.overHighWater()) {
        await pause(FULL_RETRY_MS, signal);
        continue;
      }
      this.inFlight++;
      return true;
    }
    return false;
  }

  release(): void {
    this.inFlight--;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  private released(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.waiters.push(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  /** Redis away counts as full: nothing could be queued anyway, so the input waits (and retries). */
  private async overHighWater(): Promise<boolean> {
    this.over = await this.queue.pendingRecords().then((pending) => pending >= this.highWaterMark, () => true);
    return this.over;
  }
}
