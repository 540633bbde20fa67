/**
 * The forwarder's HTTP API as this page uses it (server/src/status/routes.ts), with every way a
 * call can fail turned into one of a few problems with a sentence an admin can act on: the
 * browser only says "TypeError: Failed to fetch" for a stopped forwarder, a CORS refusal and
 * mixed content alike.
 */
import type { ConfigView, ConnectionTestResult, ForwarderStatus } from '../../plugin-contract/forwarder-api.js';
import type { ForwarderUpdate } from '../../plugin-contract/settings-map.js';

export type ForwarderProblem = 'not-configured' | 'token-hidden' | 'unreachable' | 'timeout' | 'unauthorized' | 'forbidden' | 'rejected' | 'unavailable' | 'http';

/** Which of the forwarder's tokens a client calls with: the status token reads, the admin token changes. */
export type TokenKind = 'status' | 'admin';

const TOKEN_NAMES: Record<TokenKind, { setting: string; env: string }> = {
  status: { setting: '“Forwarder status token”', env: 'STATUS_TOKEN' },
  admin: { setting: '“Forwarder admin token”', env: 'ADMIN_TOKEN' },
};

export class ForwarderError extends Error {
  override readonly name = 'ForwarderError';
  constructor(readonly problem: ForwarderProblem, message: string, readonly status?: number) {
    super(message);
  }
}

const DEFAULT_TIMEOUT_MS = 8000;
// The forwarder's Elasticsearch client gives up after 30 s; a test must outwait it to hear why.
const TEST_TIMEOUT_MS = 40_000;

export class ForwarderClient {
  readonly baseUrl: string;

  private constructor(baseUrl: string, private readonly token: string, readonly tokenKind: TokenKind) {
    this.baseUrl = baseUrl;
  }

  /** A client for the entered URL and token, or the reason there can't be one yet. */
  static create(url: unknown, token: unknown, tokenKind: TokenKind = 'admin'): ForwarderClient | ForwarderError {
    const base = typeof url === 'string' ? url.trim().replace(/\/+$/, '') : '';
    const secret = typeof token === 'string' ? token.trim() : '';
    const name = TOKEN_NAMES[tokenKind];
    if (base === '') return new ForwarderError('not-configured', `Enter the forwarder URL and its ${tokenKind} token, then press Save.`);
    if (!/^https?:\/\/[^\s/]+/.test(base) || !URL.canParse(base)) {
      return new ForwarderError('not-configured', `“${base}” is not a forwarder URL: expected http(s)://host:port.`);
    }
    if (secret === '') return new ForwarderError('not-configured', `Enter the forwarder’s ${tokenKind} token (its ${name.env}) in ${name.setting}, then press Save.`);
    return new ForwarderClient(base, secret, tokenKind);
  }

  status(): Promise<ForwarderStatus> {
    return this.request<ForwarderStatus>('GET', '/v1/status');
  }

  config(): Promise<ConfigView> {
    return this.request<ConfigView>('GET', '/v1/config');
  }

  putConfig(update: ForwarderUpdate): Promise<ConfigView> {
    return this.request<ConfigView>('PUT', '/v1/config', update);
  }

  testConnection(body: ForwarderUpdate): Promise<ConnectionTestResult> {
    return this.request<ConnectionTestResult>('POST', '/v1/config/test', body, TEST_TIMEOUT_MS);
  }

  replayDeadLetters(): Promise<{ replayed: number }> {
    return this.request<{ replayed: number }>('POST', '/v1/dead-letters/replay');
  }

  private async request<T>(method: string, path: string, body?: unknown, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<T> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: controller.signal,
        // Never send Mattermost's cookies to another origin.
        credentials: 'omit',
      });
    } catch (error) {
      if (controller.signal.aborted) {
        throw new ForwarderError('timeout', `The forwarder at ${this.baseUrl} did not answer within ${Math.round(timeoutMs / 1000)} s.`);
      }
      throw new ForwarderError('unreachable', this.unreachableMessage(error));
    } finally {
      clearTimeout(timer);
    }
    const payload = await response.json().catch(() => undefined) as { error?: string } | undefined;
    if (response.ok) return payload as T;
    throw this.httpError(response.status, payload?.error);
  }

  private unreachableMessage(error: unknown): string {
    const reason = error instanceof Error && error.message ? ` (${error.message})` : '';
    const origin = globalThis.location?.origin ?? 'this site';
    const mixed = globalThis.location?.protocol === 'https:' && this.baseUrl.startsWith('http:')
      ? ' This page is HTTPS and the forwarder URL is plain HTTP, which browsers block.'
      : '';
    return `Can’t reach the forwarder at ${this.baseUrl}${reason}. Is it running and reachable from your browser, and is its MATTERMOST_SITE_URL set to ${origin}?${mixed}`;
  }

  private httpError(status: number, message: string | undefined): ForwarderError {
    const name = TOKEN_NAMES[this.tokenKind];
    if (status === 401) {
      return new ForwarderError('unauthorized', `The forwarder refused the ${this.tokenKind} token (HTTP 401). Set ${name.setting} to the forwarder’s ${name.env}.`, status);
    }
    if (status === 403) {
      return new ForwarderError('forbidden', `The forwarder refused this change (HTTP 403: ${message ?? 'forbidden'}). Changes need the admin token.`, status);
    }
    if (status === 400) return new ForwarderError('rejected', `The forwarder refused a setting: ${message ?? 'bad request'}`, status);
    if (status === 503) {
      return new ForwarderError('unavailable', `The forwarder is up but can’t answer now (HTTP 503: ${message ?? 'unavailable'}). Is its Redis running?`, status);
    }
    return new ForwarderError('http', `The forwarder answered HTTP ${status}${message ? `: ${message}` : ''}.`, status);
  }
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
