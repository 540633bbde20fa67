/** A sleep that ends early, without an error, when the input stops. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Exponential backoff after the `attempt`-th failure (1 s, 2 s, 4 s, ...), capped at `maxMs`. */
export function retryDelayMs(attempt: number, maxMs: number): number {
  return Math.min(1000 * 2 ** (attempt - 1), maxMs);
}
