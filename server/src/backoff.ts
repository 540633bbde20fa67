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

/** An HTTP Retry-After (seconds or a date) in ms; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
