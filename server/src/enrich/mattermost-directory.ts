/**
 * Who and what Mattermost's ids name, read from its REST API with a personal access token:
 * `POST /api/v4/users/ids` and `POST /api/v4/users/usernames` (a JSON array in, the users found
 * out; unknown ones are simply absent), `GET /api/v4/teams/{id}` and `GET /api/v4/channels/{id}`
 * (404 when there is none). Answers are checked at this edge; failures are typed by what the
 * enricher does about them.
 */
import { z } from 'zod';
import { retryAfterMs } from '../backoff.js';
import { mattermostApiBase, withTimeout } from '../mattermost-api.js';

const REQUEST_TIMEOUT_MS = 10_000;

export interface DirectoryUser {
  id: string;
  username: string;
  /** Only kept when e-mail addresses are wanted (ENRICH_USER_EMAIL). */
  email?: string;
}

export interface DirectoryTeam {
  id: string;
  name: string;
  displayName?: string;
}

export interface DirectoryChannel {
  id: string;
  name: string;
  displayName?: string;
  type?: string;
  /** Empty for direct and group messages, which belong to no team. */
  teamId?: string;
}

const userSchema = z.object({ id: z.string().min(1), username: z.string().min(1), email: z.string().optional() });
const teamSchema = z.object({ id: z.string().min(1), name: z.string().min(1), display_name: z.string().optional() });
const channelSchema = z.object({
  id: z.string().min(1), name: z.string().min(1), display_name: z.string().optional(), type: z.string().optional(), team_id: z.string().optional(),
});

/**
 * `auth`: the token is refused (401) or may not read users (403): nothing will work until an
 * admin changes it. `forbidden`: this one team or channel may not be read. `unavailable`: down,
 * slow, 5xx or an answer we cannot read. `rate-limited`: 429.
 */
export type DirectoryFailureKind = 'auth' | 'forbidden' | 'rate-limited' | 'unavailable';

export class DirectoryRequestError extends Error {
  override readonly name = 'DirectoryRequestError';
  constructor(readonly kind: DirectoryFailureKind, message: string, readonly retryAfterMs?: number, options?: ErrorOptions) {
    super(message, options);
  }
}

export class MattermostDirectory {
  private readonly base: string;

  constructor(url: string, private readonly token: string, private readonly includeEmail: boolean) {
    this.base = mattermostApiBase(url);
  }

  /** The URL without credentials, for status and logs. */
  get target(): string {
    return this.base;
  }

  async usersByIds(ids: readonly string[], signal: AbortSignal): Promise<DirectoryUser[]> {
    return this.users('/api/v4/users/ids', ids, signal);
  }

  async usersByUsernames(usernames: readonly string[], signal: AbortSignal): Promise<DirectoryUser[]> {
    return this.users('/api/v4/users/usernames', usernames, signal);
  }

  /** The team, or undefined when Mattermost has none of that id. */
  async team(id: string, signal: AbortSignal): Promise<DirectoryTeam | undefined> {
    const body = await this.request(`/api/v4/teams/${encodeURIComponent(id)}`, undefined, signal);
    if (body === undefined) return undefined;
    const team = teamSchema.safeParse(body);
    if (!team.success) throw new DirectoryRequestError('unavailable', `Mattermost sent something else than a team for GET /api/v4/teams/${id}`);
    return { id: team.data.id, name: team.data.name, displayName: nonEmpty(team.data.display_name) };
  }

  /** The channel, or undefined when Mattermost has none of that id. */
  async channel(id: string, signal: AbortSignal): Promise<DirectoryChannel | undefined> {
    const body = await this.request(`/api/v4/channels/${encodeURIComponent(id)}`, undefined, signal);
    if (body === undefined) return undefined;
    const channel = channelSchema.safeParse(body);
    if (!channel.success) throw new DirectoryRequestError('unavailable', `Mattermost sent something else than a channel for GET /api/v4/channels/${id}`);
    const { data } = channel;
    return { id: data.id, name: data.name, displayName: nonEmpty(data.display_name), type: nonEmpty(data.type), teamId: nonEmpty(data.team_id) };
  }

  private async users(path: string, keys: readonly string[], signal: AbortSignal): Promise<DirectoryUser[]> {
    const body = await this.request(path, keys, signal);
    if (!Array.isArray(body)) throw new DirectoryRequestError('unavailable', `Mattermost sent something else than a list of users for POST ${path}`);
    const users: DirectoryUser[] = [];
    for (const item of body) {
      const user = userSchema.safeParse(item);
      if (!user.success) continue;
      const email = this.includeEmail ? nonEmpty(user.data.email) : undefined;
      users.push(email === undefined ? { id: user.data.id, username: user.data.username } : { id: user.data.id, username: user.data.username, email });
    }
    return users;
  }

  /** The parsed JSON answer; undefined for a 404 (no such team or channel). */
  private request(path: string, body: readonly string[] | undefined, signal: AbortSignal): Promise<unknown> {
    return withTimeout(signal, REQUEST_TIMEOUT_MS, (bounded) => this.requestOnce(path, body, bounded));
  }

  private async requestOnce(path: string, body: readonly string[] | undefined, signal: AbortSignal): Promise<unknown> {
    const what = `${body === undefined ? 'GET' : 'POST'} ${path}`;
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { authorization: `Bearer ${this.token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
    } catch (error) {
      if ((error as Error).name === 'TimeoutError') {
        throw new DirectoryRequestError('unavailable', `Mattermost did not answer ${what} within ${REQUEST_TIMEOUT_MS / 1000} s`, undefined, { cause: error });
      }
      // fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND...) is its cause.
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const reason = cause?.code ?? cause?.message ?? (error as Error).message;
      throw new DirectoryRequestError('unavailable', `cannot reach ${this.base} for ${what}: ${reason}`, undefined, { cause: error });
    }
    if (response.ok) {
      try {
        return await response.json();
      } catch (error) {
        if ((error as Error).name === 'TimeoutError') {
          throw new DirectoryRequestError('unavailable', `Mattermost did not finish answering ${what} within ${REQUEST_TIMEOUT_MS / 1000} s`, undefined, { cause: error });
        }
        throw new DirectoryRequestError('unavailable', `Mattermost answered ${what} with something that is not JSON`, undefined, { cause: error });
      }
    }
    await response.body?.cancel();
    const status = response.status;
    if (status === 404 && body === undefined) return undefined;
    if (status === 401) {
      throw new DirectoryRequestError('auth', `Mattermost answered 401 (Unauthorized) to ${what}: MATTERMOST_TOKEN is not a valid personal access token (revoked or expired?)`);
    }
    if (status === 403) {
      const kind = body === undefined ? 'forbidden' : 'auth';
      throw new DirectoryRequestError(kind, `Mattermost answered 403 (Forbidden) to ${what}: MATTERMOST_TOKEN's user may not read it (use a system admin's token)`);
    }
    if (status === 429) throw new DirectoryRequestError('rate-limited', `Mattermost answered 429 (rate limited) to ${what}`, retryAfterMs(response.headers.get('retry-after')));
    throw new DirectoryRequestError('unavailable', `Mattermost answered ${status} to ${what}`);
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
