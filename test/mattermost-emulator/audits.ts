/**
 * A minimal Mattermost for the REST poller: GET /api/v4/audits?page&per_page, newest first,
 * per_page capped at 200, 401 without the right Bearer token, 429 and 500 on demand, and a list
 * that can grow between (or during) the poller's requests.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export interface EmulatedAudit {
  id: string;
  create_at: number;
  user_id: string;
  action: string;
  extra_info: string;
  ip_address: string;
  session_id: string;
}

export interface AuditsFault {
  status: 429 | 500 | 503;
  /** How many requests get it. */
  times: number;
  /** Retry-After seconds sent with a 429. */
  retryAfter?: number;
}

export interface MattermostAuditsEmulator {
  url: string;
  /** Adds `count` audits, newer than all before unless `createAt` pins them to one millisecond. */
  add(count: number, options?: { createAt?: number }): EmulatedAudit[];
  /** Every audit ever added, oldest first. */
  audits(): EmulatedAudit[];
  /** The next requests fail with this status. */
  fail(fault: AuditsFault): void;
  /** Adds this many audits just before answering each request (pages shift under the poller). */
  growOnEachRequest(count: number): void;
  /**
   * requests: every request, /api/v4/config too. pollStarts: requests for page 0 of the audits,
   * each the start of a poll (a retried page 0 counts again), however many pages the poll reads.
   */
  stats(): { requests: number; pollStarts: number; byStatus: Record<number, number> };
  close(): Promise<void>;
}

const MAX_PER_PAGE = 200;

export async function startMattermostAuditsEmulator(options: { token: string }): Promise<MattermostAuditsEmulator> {
  const list: EmulatedAudit[] = [];
  const faults: AuditsFault[] = [];
  const byStatus: Record<number, number> = {};
  let requests = 0;
  let pollStarts = 0;
  let growth = 0;
  let clock = Date.UTC(2024, 0, 1);

  const add = (count: number, pinned?: { createAt?: number }): EmulatedAudit[] => {
    const added: EmulatedAudit[] = [];
    for (let i = 0; i < count; i++) {
      const n = list.length;
      const createAt = pinned?.createAt ?? (clock += 7);
      clock = Math.max(clock, createAt);
      const audit: EmulatedAudit = {
        id: `audit${String(n).padStart(21, '0')}`, create_at: createAt, user_id: `user-${n}`, action: '/api/v4/users/login',
        extra_info: `success session_user=user-${n}`, ip_address: '192.0.2.10', session_id: `session-${n % 7}`,
      };
      list.push(audit);
      added.push(audit);
    }
    return added;
  };

  const answer = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    byStatus[status] = (byStatus[status] ?? 0) + 1;
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests++;
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET' || url.pathname !== '/api/v4/audits') return answer(res, 404, { id: 'api.context.404.app_error', status_code: 404 });
    const page = Math.max(0, Number(url.searchParams.get('page') ?? 0) || 0);
    if (page === 0) pollStarts++;
    if (req.headers.authorization !== `Bearer ${options.token}`) {
      return answer(res, 401, { id: 'api.context.session_expired.app_error', message: 'Invalid or expired session, please login again.', status_code: 401 });
    }
    const fault = faults[0];
    if (fault) {
      if (--fault.times <= 0) faults.shift();
      const headers: Record<string, string> = fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {};
      return answer(res, fault.status, { message: 'emulated failure', status_code: fault.status }, headers);
    }
    if (growth > 0) add(growth);
    const perPage = Math.min(MAX_PER_PAGE, Math.max(1, Number(url.searchParams.get('per_page') ?? 60) || 60));
    // Newest first; a stable order for audits of the same millisecond, as a database index gives.
    const newestFirst = list.slice().sort((a, b) => b.create_at - a.create_at || (a.id < b.id ? 1 : -1));
    answer(res, 200, newestFirst.slice(page * perPage, (page + 1) * perPage));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;

  return {
    url: `http://127.0.0.1:${port}`,
    add: (count, pinned) => add(count, pinned),
    audits: () => list.slice(),
    fail: (fault) => faults.push({ ...fault }),
    growOnEachRequest: (count) => {
      growth = count;
    },
    stats: () => ({ requests, pollStarts, byStatus: { ...byStatus } }),
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
