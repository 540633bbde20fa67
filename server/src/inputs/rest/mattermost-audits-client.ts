/**
 * GET /api/v4/audits of a Mattermost server: newest first, `per_page` at most 200, a personal
 * access token as Bearer. Failures are typed by what the poller does about them.
 */
import { z } from 'zod';
import { retryAfterMs } from '../../backoff.js';
import { mattermostApiBase, withTimeout } from '../../mattermost-api.js';

export const AUDITS_PER_PAGE = 200;
const REQUEST_TIMEOUT_MS = 30_000;

/** model.Audit: only what the poller relies on is checked; every other field goes on as sent. */
const auditSchema = z.object({ id: z.string().min(1), create_at: z.number().int() }).passthrough();
export type Audit = z.infer<typeof auditSchema>;

export type AuditsFailureKind = 'auth' | 'rate-limited' | 'unavailable';

export class AuditsRequestError extends Error {
  override readonly name = 'AuditsRequestError';
  constructor(readonly kind: AuditsFailureKind, message: string, readonly retryAfterMs?: number, options?: ErrorOptions) {
    super(message, options);
  }
}

export interface AuditsPage {
  audits: Audit[];
  /** Items of the page that are not audits (no id or no numeric create_at). */
  invalid: number;
  /** How many items the server sent: fewer than AUDITS_PER_PAGE means the last page. */
  received: number;
}

export class MattermostAuditsClient {
  private readonly base: string;

  constructor(url: string, private readonly token: string) {
    this.base = mattermostApiBase(url);
  }

  /** The URL without credentials, for status and logs. */
  get target(): string {
    return this.base;
  }

  page(page: number, signal: AbortSignal): Promise<AuditsPage> {
    return withTimeout(signal, REQUEST_TIMEOUT_MS, (bounded) => this.pageOnce(page, bounded));
  }

  private async pageOnce(page: number, signal: AbortSignal): Promise<AuditsPage> {
    const url = `${this.base}/api/v4/audits?page=${page}&per_page=${AUDITS_PER_PAGE}`;
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { authorization: `Bearer ${this.token}`, accept: 'application/json' },
        signal,
      });
    } catch (error) {
      // fetch says only "fetch failed"; the reason (ECONNREFUSED, a timeout...) is its cause.
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const reason = cause?.code ?? cause?.message ?? (error as Error).message;
      throw new AuditsRequestError('unavailable', `cannot reach ${this.base}: ${reason}`, undefined, { cause: error });
    }
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      throw new AuditsRequestError('auth', `Mattermost answered ${response.status}: MATTERMOST_TOKEN must be a valid personal access token of a user allowed to read audits (system admin)`);
    }
    if (response.status === 429) {
      await response.body?.cancel();
      throw new AuditsRequestError('rate-limited', 'Mattermost answered 429 (rate limited)', retryAfterMs(response.headers.get('retry-after')));
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new AuditsRequestError('unavailable', `Mattermost answered ${response.status} to GET /api/v4/audits`);
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      throw new AuditsRequestError('unavailable', `Mattermost sent audits that are not JSON: ${(error as Error).message}`, undefined, { cause: error });
    }
    if (!Array.isArray(body)) throw new AuditsRequestError('unavailable', 'Mattermost sent something else than a list of audits');
    const audits: Audit[] = [];
    for (const item of body) {
      const parsed = auditSchema.safeParse(item);
      if (parsed.success) audits.push(item as Audit);
    }
    return { audits, invalid: body.length - audits.length, received: body.length };
  }
}
