/** What every client of Mattermost's REST API shares (the REST poller, the enrichment). */

/**
 * The base URL requests go to and status and logs show: MATTERMOST_URL may carry a subpath
 * (https://host/mattermost); credentials never go in a URL, so any written into it are dropped.
 */
export function mattermostApiBase(url: string): string {
  const parsed = new URL(url);
  parsed.username = '';
  parsed.password = '';
  return parsed.toString().replace(/\/+$/, '');
}

/**
 * Runs a request with a signal that aborts with the caller's, or with a TimeoutError after `ms`,
 * whichever comes first; the timeout covers reading the answer too. The timer is ours: on Node 20
 * `AbortSignal.any([signal, AbortSignal.timeout(ms)])` can lose the timeout to garbage collection
 * (nodejs/node#57736), and a Mattermost that takes the connection and never answers then holds
 * the request for undici's 300 s.
 */
export async function withTimeout<T>(signal: AbortSignal, ms: number, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException(`no answer within ${ms / 1000} s`, 'TimeoutError')), ms);
  const forward = () => controller.abort(signal.reason);
  if (signal.aborted) forward();
  else signal.addEventListener('abort', forward, { once: true });
  try {
    return await run(controller.signal);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', forward);
  }
}
