/**
 * A stand-in for the Mattermost API the enrichment reads, shaped as Mattermost answers it
 * (server/channels/api4/user.go, team.go, channel.go; model.User, Team, Channel):
 * - POST /api/v4/users/ids, POST /api/v4/users/usernames: a JSON array of ids (usernames) in, the
 *   users found out (unknown ones absent, duplicates once), 400 for an empty or non-array body;
 * - GET /api/v4/teams/{id}, GET /api/v4/channels/{id}: the object, or 404 with an AppError;
 * - 401 without the right Bearer token; GET /api/v4/audits answers an empty list, so the REST
 *   poller that MATTERMOST_URL also turns on stays quiet.
 * Every request is logged; faults on demand: a status for every request, a delay, or down.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface EmulatedUser { id: string; username: string; email: string; roles?: string }
export interface EmulatedTeam { id: string; name: string; display_name: string }
export interface EmulatedChannel { id: string; name: string; display_name: string; team_id: string; type: string }

export interface DirectoryRequest { method: string; path: string; body?: unknown; status: number }

export interface MattermostDirectoryEmulator {
  url: string;
  users: EmulatedUser[];
  teams: EmulatedTeam[];
  channels: EmulatedChannel[];
  /** Requests of the directory (audits polls and config reads left out), in arrival order. */
  requests(): DirectoryRequest[];
  /** Every request answers this status from now on (undefined: normal again). */
  answerAll(status: number | undefined): void;
  /** Every directory answer waits this long first. */
  delay(ms: number): void;
  /** Stops listening (connections refused) until `up()`, on the same port. */
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

/** A Mattermost id (model.NewId): 26 lower-case letters and digits, here made from a label. */
export function mattermostId(label: string): string {
  return label.toLowerCase().replace(/[^a-z0-9]/g, '').padEnd(26, '0').slice(0, 26);
}

function appError(id: string, message: string, status: number): Record<string, unknown> {
  return { id, message, detailed_error: '', request_id: 'emulatedrequest00000000000', status_code: status };
}

/** model.User as GET answers it to a system admin (sanitized: no password, auth data or MFA secret). */
function userJson(user: EmulatedUser): Record<string, unknown> {
  return {
    id: user.id, create_at: 1_700_000_000_000, update_at: 1_700_000_000_000, delete_at: 0, username: user.username, auth_data: '',
    auth_service: '', email: user.email, nickname: '', first_name: '', last_name: '', position: '', roles: user.roles ?? 'system_user',
    locale: 'en', timezone: { automaticTimezone: '', manualTimezone: '', useAutomaticTimezone: 'true' }, disable_welcome_email: false,
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startMattermostDirectoryEmulator(options: { token: string }): Promise<MattermostDirectoryEmulator> {
  const users: EmulatedUser[] = [];
  const teams: EmulatedTeam[] = [];
  const channels: EmulatedChannel[] = [];
  const log: DirectoryRequest[] = [];
  let forcedStatus: number | undefined;
  let delayMs = 0;
  let port = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const text = await readBody(req);
    const send = (status: number, body: unknown, logged = true) => {
      if (logged) log.push({ method: req.method ?? '', path, body: text === '' ? undefined : safeJson(text), status });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (path === '/api/v4/audits' || path === '/api/v4/config') {
      if (path === '/api/v4/audits') send(200, [], false);
      else send(404, appError('api.context.404.app_error', 'Sorry, we could not find the page.', 404), false);
      return;
    }
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (forcedStatus !== undefined) return send(forcedStatus, appError('emulated.fault', 'emulated failure', forcedStatus));
    if (req.headers.authorization !== `Bearer ${options.token}`) {
      return send(401, appError('api.context.session_expired.app_error', 'Invalid or expired session, please login again.', 401));
    }
    if (req.method === 'POST' && (path === '/api/v4/users/ids' || path === '/api/v4/users/usernames')) {
      const keys = safeJson(text);
      const param = path.endsWith('/ids') ? 'user_ids' : 'usernames';
      if (!Array.isArray(keys) || keys.length === 0) {
        return send(400, appError('api.context.invalid_body_param.app_error', `Invalid or missing ${param} in request body.`, 400));
      }
      const wanted = new Set(keys);
      return send(200, users.filter((u) => wanted.has(path.endsWith('/ids') ? u.id : u.username)).map(userJson));
    }
    const team = /^\/api\/v4\/teams\/([a-z0-9]+)$/.exec(path);
    if (req.method === 'GET' && team) {
      const found = teams.find((t) => t.id === team[1]);
      if (!found) return send(404, appError('app.team.get.find.app_error', 'We couldn’t find the existing team.', 404));
      return send(200, { ...found, create_at: 1_700_000_000_000, update_at: 1_700_000_000_000, delete_at: 0, description: '', email: '', type: 'O', allow_open_invite: true, scheme_id: null, group_constrained: null, policy_id: null });
    }
    const channel = /^\/api\/v4\/channels\/([a-z0-9]+)$/.exec(path);
    if (req.method === 'GET' && channel) {
      const found = channels.find((c) => c.id === channel[1]);
      if (!found) return send(404, appError('app.channel.get.existing.app_error', 'Unable to find the existing channel.', 404));
      return send(200, { ...found, create_at: 1_700_000_000_000, update_at: 1_700_000_000_000, delete_at: 0, header: '', purpose: '', last_post_at: 0, total_msg_count: 0, creator_id: '', scheme_id: null, props: null });
    }
    send(404, appError('api.context.404.app_error', 'Sorry, we could not find the page.', 404));
  };

  let server: Server | undefined;
  const listen = async () => {
    server = createServer((req, res) => {
      handle(req, res).catch(() => res.destroy());
    });
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as { port: number }).port;
  };
  const stop = () => new Promise<void>((resolve) => {
    if (!server) return resolve();
    server.closeAllConnections();
    server.close(() => resolve());
    server = undefined;
  });
  await listen();

  return {
    url: `http://127.0.0.1:${port}`,
    users, teams, channels,
    requests: () => log.slice(),
    answerAll: (status) => {
      forcedStatus = status;
    },
    delay: (ms) => {
      delayMs = ms;
    },
    down: stop,
    up: listen,
    close: stop,
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
