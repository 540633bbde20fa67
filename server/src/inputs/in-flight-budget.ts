/**
 * One budget (MAX_IN_FLIGHT_BYTES) for the bytes the inputs hold before Redis has them: webhook
 * bodies being read, split and queued, and what TCP connections have read but not queued yet
 * (their partial lines above all). It keeps the process's memory bounded whatever the clients
 * send at once.
 * - The webhook asks before it reads (tryTake, or a Reservation that grows as a body without a
 *   Content-Length arrives) and answers 503 when there is no room.
 * - A TCP connection cannot give back what it has already read: it charges it (take), and stops
 *   reading while the budget is over its limit, until room comes back (waitForRoom). So that
 *   connections that each hold part of a line cannot all wait for each other, one of them at a
 *   time may go on reading past the limit until its line is complete (the overdraft), then hands
 *   it to the next in line: a line is at most MAX_RECORD_BYTES, so the overdraft is that much.
 */
export class InFlightBudget {
  private used = 0;
  /** Readers waiting for room, in the order they stopped: the overdraft goes to the first. */
  private waiters: Array<{ holder: object; wake: () => void }> = [];
  private overdraftHolder: object | undefined;

  constructor(readonly limit: number) {}

  get bytes(): number {
    return this.used;
  }

  get overLimit(): boolean {
    return this.used >= this.limit;
  }

  /** Takes the bytes when they fit under the limit; false (and nothing taken) otherwise. */
  tryTake(bytes: number): boolean {
    if (bytes > 0 && this.used + bytes > this.limit) return false;
    this.used += bytes;
    return true;
  }

  /** Charges bytes that are already in memory: this may go over the limit. */
  take(bytes: number): void {
    this.used += bytes;
  }

  give(bytes: number): void {
    if (bytes <= 0) return;
    this.used = Math.max(0, this.used - bytes);
    // Under the limit, every waiter may read again: each takes at most what one read brings
    // before it checks again, so the limit is exceeded by one read per waiter at most.
    if (this.used < this.limit) {
      const waiters = this.waiters;
      this.waiters = [];
      for (const waiter of waiters) waiter.wake();
    }
  }

  /** Room for a body: undefined when even its known size does not fit now. */
  reserve(bytes: number): Reservation | undefined {
    return this.tryTake(bytes) ? new Reservation(this, bytes) : undefined;
  }

  /**
   * Resolves once the budget is under its limit, or `holder` has been handed the overdraft, or
   * `signal` aborts (at once if one of them is already so).
   */
  waitForRoom(holder: object, signal: AbortSignal): Promise<void> {
    if (!this.overLimit || this.overdraftHolder === holder || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter = {
        holder,
        wake: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.waiters = this.waiters.filter((other) => other !== waiter);
        resolve();
      };
      this.waiters.push(waiter);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** The overdraft for `holder` when nobody else has it; true when `holder` has it now. */
  claimOverdraft(holder: object): boolean {
    this.overdraftHolder ??= holder;
    return this.overdraftHolder === holder;
  }

  /** Gives the overdraft up: still over the limit, it goes to the first waiter, who reads on. */
  releaseOverdraft(holder: object): void {
    if (this.overdraftHolder !== holder) return;
    this.overdraftHolder = undefined;
    if (!this.overLimit) return;
    const next = this.waiters.shift();
    if (!next) return;
    this.overdraftHolder = next.holder;
    next.wake();
  }
}

/** What one webhook body holds of the budget, grown as it arrives, given back once. */
export class Reservation {
  private released = false;

  constructor(private readonly budget: InFlightBudget, private held: number) {}

  /** Makes the reservation cover `total` bytes; false when the budget has no room for them. */
  cover(total: number): boolean {
    if (total <= this.held) return true;
    if (!this.budget.tryTake(total - this.held)) return false;
    this.held = total;
    return true;
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.budget.give(this.held);
  }
}
