/**
 * Seeded generator of legacy (5.x/6.x) Mattermost audit lines for the differential test against
 * Elastic's pipeline: every key the pipeline reads, in its usual and odd forms (missing, empty,
 * null, wrongly typed), non-object and broken lines, duplicate keys and comments. The same seed
 * gives the same lines. Inputs whose handling differs between the oracle's Elasticsearch (7.10.2)
 * and today's (trailing text after the object, IPv4 with a scope id, integers beyond 64 bits) are
 * not generated.
 */
import { AUDIT_EVENT_CATALOG } from '../../server/src/transform/audit-event-catalog.js';
import { CLIENT_USER_AGENTS } from './user-agent-samples.js';

export type Random = () => number;

/** mulberry32: small, fast and good enough to spread the cases. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ELASTIC_ACTIONS = [
  'login', 'Logout', 'revokeAllSessionsForUser', 'getConfig', 'updateConfig', 'updatePassword', 'updatePreferences',
  'updateUserActive', 'patchUser', 'createPost', 'createChannel', 'patchChannel', 'deleteChannel', 'convertChannelToPrivate',
  'restoreChannel', 'removeChannelMember', 'createTeam', 'patchTeam', 'deleteTeam', 'addTeamMembers', 'removeTeamMember',
];
const TEAM_ACTIONS = ['createTeam', 'patchTeam', 'deleteTeam', 'addTeamMembers', 'removeTeamMember'];
const OTHER_ACTIONS = Object.keys(AUDIT_EVENT_CATALOG).filter((a) => !ELASTIC_ACTIONS.includes(a));
const NAMES = ['alice', 'bob.smith', 'Zoë', '名前', 'user🙂', 'שלום', 'e\u0301lise', 'o\'brien', 'a"quote', 'back\\slash', ' padded ', 'sysadmin'];
const IPS = [
  '89.160.20.156', '89.160.20.200', '2a02:cf40::1', '2a02:cf47:ffff::abcd', '10.0.0.1', '192.168.1.20', '127.0.0.1', '::1',
  'fe80::1%eth0', '::ffff:89.160.20.156', '2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1:0:0:1', '::', '0.0.0.0',
  '256.1.1.1', '01.2.3.4', '1.2.3', '1.2.3.4.5', 'localhost', ' 10.0.0.1', '10.0.0.1:8065', '[::1]', '::g', '1:2:3:4:5:6:7:8:9',
  '1.2.3.4, 5.6.7.8', 'fe80::1%', '2001:db8::1::2', 'mattermost.example.com', '00001::', '1.2.3.4%'
];
export const API_PATHS = [
  '/api/v4/users/login', '/api/v4/config', '/api/v4/users/me/patch', '/api/v4/teams/ab12/members', '/api/v4/channels?page=0&per_page=60',
  '/api/v4/users/search?term=al%20ice#top', '/api/v4/files/a%2Fb.png', '/api/v4/teams/名前', '/api/v4/users/{user_id}/roles',
  '/api/v4/posts/x y', 'https://chat.example.com:8443/api/v4/system/ping?format=old', '/api/v4/emoji/smile.png', '/', '',
  '/api/v4/users/logout?redirect_to=%2Flogin%3Fx%3D1', 'relative/path', '/api/v4/users/me/sessions/revoke/all',
];
const ERRORS = ['[]', '[api.user.login.invalid_credentials]', '[a, b,  c]', 'first,second', 'one, two', '', '[unterminated', '[[nested]]'];
const TIMESTAMP_ODDITIES = [
  '2020-02-29 12:00:00.000 Z', '2021-02-29 12:00:00.000 Z', '2021-02-30 00:00:00.000 Z', '2021-13-01 00:00:00.000 Z',
  '2021-00-10 00:00:00.000 Z', '2021-12-04 24:00:00.000 Z', '2021-12-04 23:60:00.000 Z', '2021-12-04 23:59:60.000 Z',
  '2021-12-04T23:19:32.051Z', '2021-12-04 23:19:32 Z', '2021-12-04 23:19:32.051 +01:00', '2021-12-04 23:19:32.051', '0000-01-01 00:00:00.000 Z',
  '9999-12-31 23:59:59.999 Z', ' 2021-12-04 23:19:32.051 Z', '2021-12-04 23:19:32.051 z', '2021-12-04 23:19:32.0511 Z', '', 'yesterday',
];
const ODD_VALUES: unknown[] = [null, '', 0, 17, -1, 1.5, true, false, [], ['x'], {}, { id: 'x' }];
const ODD_LINES = [
  '', '   ', 'not json', '{broken', '[1,2]', 'null', 'true', '42', '"a string"', '{"timestamp": }', '{"a":1,}', "{'single':1}",
  '{"timestamp":"2021-12-04 23:19:32.051 Z","event":"login","event":"Logout"}',
  '{"timestamp":"2021-12-04 23:19:32.051 Z","user":{"id":"a","id":"b"}}',
  '{"timestamp":"2021-12-04 23:19:32.051 Z", /* comment */ "event":"login"}',
  '{"timestamp":"2021-12-04 23:19:32.051 Z", // to the end\n"event":"getConfig"}',
  '{"timestamp":"2021-12-04 23:19:32.051 Z","user_id":1.0,"event":"login"}',
  '{"timestamp":"2021-12-04 23:19:32.051 Z","user_id":1e21,"event":"login"}',
  '{"timestamp":"2021-12-04 23:19:32.051 Z","user":{"id":2.50,"name":100.0},"event":"patchUser"}',
  '{"timestamp":"2021-12-04 23:19:32.051 Z","team":{"id":7,"name":1.5e-7},"event":"createTeam"}',
];

export function generateLegacyLines(count: number, seed: number): string[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => generateLine(random, i));
}

function generateLine(random: Random, index: number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const chance = (p: number) => random() < p;
  // Every odd line appears early, then at random.
  if (index < ODD_LINES.length) return ODD_LINES[index]!;
  if (chance(0.03)) return pick(ODD_LINES);
  const id = () => Array.from({ length: 26 }, () => 'abcdefghijkmnopqrstuwxyz0123456789'[Math.floor(random() * 34)]).join('');
  const odd = (usual: () => unknown, p = 0.08): unknown => (chance(p) ? pick(ODD_VALUES) : usual());
  const record: Record<string, unknown> = {};
  const put = (key: string, value: () => unknown, p = 0.85) => {
    if (chance(p)) record[key] = value();
  };

  put('timestamp', () => (chance(0.06) ? odd(() => pick(TIMESTAMP_ODDITIES), 0.3) : timestamp(random)), 0.97);
  const action = chance(0.7) ? pick(ELASTIC_ACTIONS) : chance(0.85) ? pick(OTHER_ACTIONS) : pick(['', 'LOGIN', 'login ', 'événement', 'x'.repeat(300)]);
  put('event', () => odd(() => action, 0.04), 0.95);
  put('status', () => odd(() => pick(['success', 'fail', 'attempt', 'SUCCESS', 'failure'])), 0.9);
  const userIdForm = random();
  if (userIdForm < 0.7) record.user_id = odd(id, 0.05);
  else if (userIdForm < 0.8) record.user_id = '';
  if (chance(0.3)) record.login_id = odd(() => pick([...NAMES, 'user@example.com']), 0.1);
  put('session_id', () => odd(id, 0.05), 0.8);
  put('device_id', () => odd(() => pick(['android:' + id(), 'apple:' + id(), id()]), 0.1), 0.15);
  put('cluster_id', () => odd(id, 0.05), 0.6);
  put('ip_address', () => odd(() => pick(IPS), 0.05), 0.85);
  put('client', () => odd(() => pick(CLIENT_USER_AGENTS), 0.04), 0.8);
  put('api_path', () => odd(() => pick(API_PATHS), 0.04), 0.8);
  put('err', () => odd(() => pick(['api.user.login.invalid_credentials', 'store.sql_user.save.app_error'])), 0.1);
  put('errors', () => (chance(0.15) ? pick([['x', 'y'], 5, null, ['[a, b]']]) : pick(ERRORS)), 0.15);
  put('code', () => odd(() => pick([200, 201, 400, 401, 403, 500, '403'])), 0.15);
  addTargets(record, action, random, pick, chance, id);
  if (chance(0.2)) record.level = 'info';
  if (chance(0.05)) record[pick(['extra', 'meta', 'λ'])] = pick(ODD_VALUES);
  return JSON.stringify(shuffled(record, random));
}

function addTargets(
  record: Record<string, unknown>, action: string, random: Random, pick: <T>(l: readonly T[]) => T,
  chance: (p: number) => boolean, id: () => string,
): void {
  const isUserAction = action === 'patchUser' || action === 'updateUserActive' || action === 'updatePassword';
  if (isUserAction || chance(0.1)) {
    const user: Record<string, unknown> = {};
    if (chance(0.9)) user.id = chance(0.9) ? id() : pick(ODD_VALUES);
    if (chance(0.8)) user.name = pick(NAMES);
    if (chance(0.6)) user.roles = chance(0.85) ? pick(['system_user', 'system_user system_admin', ' system_user  ', '']) : pick(ODD_VALUES);
    record.user = chance(0.95) ? user : pick(['alice', 5, null]);
  }
  if (action === 'patchUser' || chance(0.05)) {
    const name = chance(0.5) && record.user && typeof record.user === 'object' ? (record.user as { name?: unknown }).name : pick(NAMES);
    const patch = chance(0.9) ? { name, ...(chance(0.3) ? { nickname: pick(NAMES) } : {}) } : pick(['patch', 3, null, {}]);
    const key = chance(0.85) ? 'patch' : 'patched';
    record[key] = patch;
    if (chance(0.05)) record[key === 'patch' ? 'patched' : 'patch'] = { name: pick(NAMES) };
  }
  if (TEAM_ACTIONS.includes(action) || chance(0.1)) {
    record.team = chance(0.9) ? { id: chance(0.9) ? id() : pick(ODD_VALUES), name: pick(NAMES), display_name: pick(NAMES) } : pick(['team', 4, null, []]);
  }
  if (chance(0.12)) record.remove_user_id = chance(0.9) ? id() : pick(ODD_VALUES);
  if (action === 'addTeamMembers' || chance(0.06)) {
    record.user_ids = chance(0.8) ? `[${Array.from({ length: Math.floor(random() * 4) }, id).join(' ')}]` : pick([[id(), id()], 'single', 9, '[ a  b ]']);
  }
  if (action.includes('Channel') || chance(0.08)) {
    const channel = chance(0.9) ? { id: chance(0.9) ? id() : pick(ODD_VALUES), name: pick(NAMES), type: pick(['O', 'P']) } : pick(['chan', 2, null]);
    record[chance(0.8) ? 'channel' : 'channeld'] = channel;
    if (chance(0.03)) record.channeld = { id: id() };
  }
  if (action === 'createPost' || chance(0.05)) {
    record.post = chance(0.9) ? { id: id(), channel_id: chance(0.9) ? id() : pick(ODD_VALUES), message: pick(NAMES) } : pick(['post', 1, null]);
  }
}

function timestamp(random: Random): string {
  const date = new Date(Date.UTC(2019, 0, 1) + Math.floor(random() * 5 * 365 * 86_400_000));
  return date.toISOString().replace('T', ' ').replace('Z', ' Z');
}

/** The same keys in another order: the pipeline must not depend on it. */
function shuffled(record: Record<string, unknown>, random: Random): Record<string, unknown> {
  const keys = Object.keys(record);
  for (let i = keys.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [keys[i], keys[j]] = [keys[j]!, keys[i]!];
  }
  return Object.fromEntries(keys.map((k) => [k, record[k]]));
}
