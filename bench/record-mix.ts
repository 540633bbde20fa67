import { once } from 'node:events';
import { createWriteStream, statSync } from 'node:fs';

/**
 * A realistic mix of audit records for benchmarks: legacy lines like Elastic's fixture, modern
 * records, REST audits and a few bad lines; a few hundred users behind a few dozen addresses and
 * a handful of client builds, as one Mattermost server sees them.
 */
const CLIENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Mattermost/5.6.0 Chrome/118.0.5993.159 Electron/27.1.2 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.43 Mobile Safari/537.36',
  'mmctl/9.3.0',
];
const LEGACY_EVENTS = ['login', 'Logout', 'createPost', 'updatePreferences', 'patchUser', 'createChannel', 'addTeamMembers', 'getConfig', 'updateConfig', 'removeChannelMember'];
const MODERN_EVENTS = ['login', 'logout', 'createPost', 'updatePost', 'patchChannel', 'updateUserRoles', 'addChannelMember', 'uploadFile', 'createTeam', 'revokeSession'];

/** The ids the mix names: 300 users (`u…`), 80 channels (`c…`). */
export const MIX_USERS = 300;
export const MIX_CHANNELS = 80;

export function id(n: number, tag: string): string {
  return `${tag}${n.toString(36)}`.padEnd(26, 'x');
}

function pick<T>(list: readonly T[], n: number): T {
  return list[n % list.length]!;
}

function legacy(n: number, time: Date): string {
  const user = id(n % 300, 'u');
  const stamp = time.toISOString().replace('T', ' ').replace('Z', ' Z');
  const record: Record<string, unknown> = {
    timestamp: stamp, event: pick(LEGACY_EVENTS, n), status: n % 17 === 0 ? 'fail' : 'success', user_id: user,
    session_id: id(n % 500, 's'), ip_address: `198.51.100.${n % 40}`, api_path: `/api/v4/users/${user}/patch`,
    cluster_id: 'jq3utry71f8a7q9qgebmjccf4r', client: pick(CLIENTS, n % 11),
  };
  if (n % 3 === 0) record.user = { id: user, name: `user${n % 300}`, roles: 'system_user' };
  if (n % 5 === 0) record.channel = { id: id(n % 80, 'c'), name: `channel-${n % 80}`, type: 'O' };
  return JSON.stringify(record);
}

function modern(n: number, time: Date): string {
  const user = id(n % 300, 'u');
  return JSON.stringify({
    timestamp: time.toISOString().replace('T', ' ').replace('Z', ' Z'), level: 'audit', msg: '',
    event_name: pick(MODERN_EVENTS, n), status: n % 13 === 0 ? 'fail' : 'success',
    actor: { user_id: user, session_id: id(n % 500, 's'), client: pick(CLIENTS, n % 7), ip_address: `203.0.113.${n % 30}`, x_forwarded_for: '' },
    event: {
      parameters: { channel_id: id(n % 80, 'c'), post: { id: id(n, 'p'), channel_id: id(n % 80, 'c') } },
      prior_state: {}, resulting_state: { id: id(n, 'p'), channel_id: id(n % 80, 'c'), user_id: user, is_pinned: false, type: '' },
      object_type: 'post',
    },
    meta: { api_path: '/api/v4/posts', cluster_id: 'jq3utry71f8a7q9qgebmjccf4r' },
    error: n % 13 === 0 ? { description: 'permission denied', status_code: 403 } : {},
  });
}

function rest(n: number, time: Date): string {
  return JSON.stringify({
    id: id(n, 'a'), create_at: time.getTime(), user_id: id(n % 300, 'u'), action: '/api/v4/users/login',
    extra_info: 'success session_user=' + id(n % 300, 'u'), ip_address: `192.0.2.${n % 20}`, session_id: id(n % 500, 's'),
  });
}

/** When a backlog's first record happened, and the time between two records. */
export const BACKLOG_START = Date.UTC(2024, 0, 1);
export const LINE_INTERVAL_MS = 37;

/** `count` lines: 60% legacy, 30% modern, 9% REST, 1% bad. */
export function recordMix(count: number, start = BACKLOG_START): string[] {
  const lines: string[] = [];
  for (let n = 0; n < count; n++) {
    const time = new Date(start + n * LINE_INTERVAL_MS);
    const slot = n % 100;
    if (slot < 60) lines.push(legacy(n, time));
    else if (slot < 90) lines.push(modern(n, time));
    else if (slot < 99) lines.push(rest(n, time));
    else lines.push(n % 2 ? `not json at all ${n}` : `[${n},2,3]`);
  }
  return lines;
}

/**
 * A backlog file of `lines` legacy lines, written in 50,000-line chunks; the tail and rsyslog
 * benchmarks both call it, so they read byte-identical files. Resolves to the file's size.
 */
export async function writeLegacyBacklog(path: string, lines: number, start = BACKLOG_START): Promise<number> {
  const out = createWriteStream(path);
  for (let from = 0; from < lines; from += 50_000) {
    const text = `${legacyLines(Math.min(50_000, lines - from), start + from * LINE_INTERVAL_MS).join('\n')}\n`;
    if (!out.write(text)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return statSync(path).size;
}

/** Legacy lines only: what file-based peers (rsyslog) and the tail benchmark read. */
export function legacyLines(count: number, start = BACKLOG_START): string[] {
  return Array.from({ length: count }, (_, n) => legacy(n, new Date(start + n * LINE_INTERVAL_MS)));
}
