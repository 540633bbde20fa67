/**
 * One REST poller per Mattermost server among all the processes that could poll it (several
 * ROLE=api processes behind a load balancer): a lease in Redis, a key holding the holder's id
 * with an expiry, taken with SET NX and renewed every third of its time to live. When the holder
 * dies its lease expires and the next try of another process takes it; a stopping holder
 * releases it at once. The lease lives for half a poll interval (1 s to 30 s) and is tried for
 * every quarter interval, so another process polls within one interval of the holder's death.
 *
 * The holder counts the lease as its own only up to a time to live after it *sent* its last
 * successful renewal, so a stalled or cut-off process stops before another can start; its
 * checkpoint writes are fenced by the lease too (rest-checkpoint.ts).
 */
import { pause } from '../../backoff.js';
import type { RedisClient } from '../../queue/redis-connection.js';

// KEYS: lease; ARGV: holder, ttl ms. Takes a free lease or renews our own.
const HOLD = `
local holder = redis.call('GET', KEYS[1])
if holder == false then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
return 0`;

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export function leaseTtlMs(pollIntervalSeconds: number): number {
  return Math.min(30_000, Math.max(1000, (pollIntervalSeconds * 1000) / 2));
}

export class PollLease {
  private heldUntil = 0;
  /** Counts the times the lease was taken: a new term means another process may have polled meanwhile. */
  term = 0;
  private waiters: Array<() => void> = [];
  private loop: Promise<void> | undefined;

  constructor(
    private readonly redis: RedisClient,
    readonly key: string,
    readonly holder: string,
    private readonly ttlMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  get held(): boolean {
    return Date.now() < this.heldUntil;
  }

  /** Keeps trying to take the lease, and renewing it once held, until `signal` aborts. */
  keep(signal: AbortSignal): void {
    this.loop ??= (async () => {
      while (!signal.aborted) {
        await this.tryHold();
        await pause(this.held ? this.ttlMs / 3 : this.ttlMs / 2, signal);
      }
    })();
  }

  /** Resolves when the lease is ours (or `signal` aborts). */
  async acquired(signal: AbortSignal): Promise<void> {
    if (this.held || signal.aborted) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.waiters.push(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  /** After keep()'s signal aborted: waits for its loop, then gives the lease up for another process. */
  async release(): Promise<void> {
    await this.loop;
    if (!this.held) return;
    this.heldUntil = 0;
    await this.redis.eval(RELEASE, 1, this.key, this.holder).catch(this.onError);
  }

  private async tryHold(): Promise<void> {
    const wasHeld = this.held;
    const sentAt = Date.now();
    try {
      const ours = (await this.redis.eval(HOLD, 1, this.key, this.holder, Math.round(this.ttlMs))) === 1;
      this.heldUntil = ours ? sentAt + this.ttlMs : 0;
    } catch (error) {
      // Unknown whether Redis kept it: it stays ours only until its time to live is over.
      this.onError(error);
    }
    if (this.held && !wasHeld) {
      this.term++;
      const waiters = this.waiters;
      this.waiters = [];
      for (const wake of waiters) wake();
    }
  }
}
