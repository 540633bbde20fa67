/**
 * Seeded generator of modern audit records (Mattermost 7.x+: event_name, actor, event, meta, error)
 * and REST audits (`/api/v4/audits` entries) in their usual and odd forms: every catalog event,
 * missing or wrongly typed parts, empty values to prune, list values, the key spellings handlers
 * use, nested and too deep values, `__proto__` keys. The same seed gives the same lines. It feeds
 * the golden test of these mappers (test/transform-modern-golden.test.ts).
 */
import { AUDIT_EVENT_CATALOG } from '../../server/src/transform/audit-event-catalog.js';
import { REST_ROUTE_EVENT_NAMES } from '../../server/src/transform/rest-routes.js';
import type { GeoLookup, TransformMeta } from '../../server/src/transform/types.js';
import { API_PATHS, seededRandom, type Random } from './legacy-line-generator.js';
import { CLIENT_USER_AGENTS } from './user-agent-samples.js';

const EVENT_NAMES = [...new Set([...Object.keys(AUDIT_EVENT_CATALOG), ...REST_ROUTE_EVENT_NAMES])];
const ODD_EVENT_NAMES = ['', 'unknownEvent', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'LOGIN', 'x'.repeat(200)];
const STATUSES: unknown[] = ['success', 'fail', 'attempt', '', 'SUCCESS', 'constructor', 'toString', '__proto__', 5, null, ['success']];
const TIMESTAMPS: unknown[] = [
  '2024-03-01 10:15:30.123 +02:00', '2024-03-01 10:15:30 Z', '2024-03-01T10:15:30.123456789Z', '2024-03-01 10:15:30.123-0500',
  '2024-02-30 10:15:30.123 Z', '2024-03-01 24:00:00.000 Z', ' 2024-03-01 10:15:30.123 Z', '', 'yesterday', 1709288130123, null,
];
const IPS: unknown[] = ['203.0.113.7', '2001:db8::7', '10.0.0.1', '::ffff:1.2.3.4', 'fe80::1%eth0', '256.1.1.1', 'localhost', '', ' 10.0.0.1', 7, null];
const FORWARDED: unknown[] = ['198.51.100.1', '198.51.100.1, 10.0.0.2', ' 2001:db8::9 ,x', 'unknown', '', ',1.2.3.4', 4];
const OBJECT_TYPES: unknown[] = ['user', 'bot', 'team', 'channel', 'post', 'User', 'TEAM', '', 'session', 'config', 3, null];
const NAMES = ['alice', 'bob.smith', 'Zoë', '名前', '', ' padded ', 'a"quote'];
const ROLES: unknown[] = ['system_user', 'system_user system_admin', '  system_user  ', '', '\t', 5, ['system_user']];
const ODD_VALUES: unknown[] = [null, '', 0, 17, 1.5, true, false, [], [''], [null, ''], {}, { id: '' }, { a: { b: '' } }];
const USER_KEYS = ['user_id', 'userID', 'userId', 'user', 'user_ids', 'userIds', 'users', 'target_user_id', 'remove_user_id', 'member', 'bot_user_id', 'UserId'];
const OTHER_KEYS = ['team_id', 'teamId', 'team', 'channel_id', 'channelID', 'channel', 'post_id', 'postId', 'post', 'login_id', 'roles', 'props', 'device_id'];
const REST_TEMPLATES = [
  '/api/v4/users/login', '/api/v4/users/logout', '/api/v4/users/{id}/roles', '/api/v4/users/{id}/patch', '/api/v4/users/me/patch',
  '/api/v4/users/{id}/sessions/revoke/all', '/api/v4/users/{id}/active', '/api/v4/users/username/alice', '/api/v4/users/email/a@b.c',
  '/api/v4/teams/{id}/members/{id}', '/api/v4/teams/{id}/members/batch?graceful=true', '/api/v4/teams/{id}/patch', '/api/v4/teams',
  '/api/v4/teams/name/eng/channels/name/town-square', '/api/v4/channels/{id}', '/api/v4/channels/{id}/members/{id}',
  '/api/v4/channels/{id}/members/{id}/roles', '/api/v4/posts/{id}', '/api/v4/posts/{id}/pin', '/api/v4/hooks/incoming/{id}',
  '/api/v4/plugins/com.mattermost.calls/enable', '/api/v4/plugins/marketplace', '/api/v4/oauth/apps/{id}/regen_secret?x=1',
  '/api/v4/bots/{id}/assign/{id}', '/api/v4/config/patch', '/api/v4/emoji/{id}', '/api/v4/users/{id}/tokens', '/api/v4/system/ping',
  '/api/v4/files/{id}/preview.png', '/api/v4/users/{id}/image.', '/api/v4/users//', '/api/v3/users/login', 'relative/path', '',
  '/api/v4/users/search?term=al%20ice#top', 'https://chat.example.com:8443/api/v4/system/ping?format=old', '/api/v4/posts/x y',
  '/api/v4/users/{ID}/roles', '/api/v4/users/{id}/roles/', '/api/v4/teams/{id}/members?page=0&per_page=60#', '/api/v4/users/?',
];
const EXTRA_INFO: unknown[] = [
  'success session_user={id}', 'attempt - login_id=mallory', 'failure - login_id=mallory', ' Failure - login_id= ', 'success',
  'FAIL', 'name=town-square', 'login_id=', 'x login_id=a login_id=b', '', 5, null,
];

/** The meta objects the golden cases run with, by name (the fixture names them). */
export const META_VARIANTS: Readonly<Record<string, TransformMeta>> = {
  plain: { receivedAt: '2024-03-01T00:00:00.000Z' },
  kept: { receivedAt: '2024-03-01T00:00:00.000Z', keepOriginal: true, namespace: 'prod', tags: ['extra', 'mattermost-audit'] },
  file: { receivedAt: '2024-03-01T00:00:00.000Z', ingestedAt: '2024-03-01T00:00:01.000Z', source: { input: 'file', path: '/var/log/audit.log', offset: 42, host: 'mm1' } },
  geo: { receivedAt: '2024-03-01T00:00:00.000Z', geo: fakeGeo(), source: { input: 'rest', identity: 'x' } },
  shallow: { receivedAt: '2024-03-01T00:00:00.000Z', maxRecordDepth: 20 },
  deep32: { receivedAt: '2024-03-01T00:00:00.000Z', maxRecordDepth: 32, keepOriginal: true },
};

/** Fixed answers by address, some with empty values to prune, as a GeoIP database might give. */
function fakeGeo(): GeoLookup {
  const answers: Record<string, ReturnType<GeoLookup>> = {
    '203.0.113.7': { geo: { continent_name: 'Europe', country_iso_code: 'SE', city_name: '', location: { lat: 57.7, lon: 11.9 } }, as: { number: 29518, organization: { name: 'Bredband2 AB' } } },
    '2001:db8::7': { geo: { country_iso_code: 'DE' } },
    '10.0.0.1': { geo: undefined, as: undefined },
    '198.51.100.1': { as: { number: 1, organization: { name: '' } } },
  };
  return (ip) => answers[ip];
}

export interface GoldenCase { meta: string; line: string }

export function generateGoldenCases(seed: number, modernCount: number, restCount: number): GoldenCase[] {
  const random = seededRandom(seed);
  const variants = Object.keys(META_VARIANTS);
  const pickVariant = () => variants[Math.floor(random() * variants.length)]!;
  const cases: GoldenCase[] = [];
  // Every catalog event once first, then at random among the odd forms.
  for (let i = 0; i < modernCount; i++) cases.push({ meta: pickVariant(), line: modernLine(random, i < EVENT_NAMES.length ? EVENT_NAMES[i] : undefined) });
  for (let i = 0; i < restCount; i++) cases.push({ meta: pickVariant(), line: restLine(random, i < REST_TEMPLATES.length ? REST_TEMPLATES[i] : undefined) });
  for (const line of DEEP_LINES) for (const meta of ['plain', 'shallow', 'deep32']) cases.push({ meta, line });
  return cases;
}

function tools(random: Random) {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const chance = (p: number) => random() < p;
  const id = () => Array.from({ length: 26 }, () => 'abcdefghijkmnopqrstuwxyz0123456789'[Math.floor(random() * 34)]).join('');
  const odd = (usual: () => unknown, p = 0.1): unknown => (chance(p) ? pick(ODD_VALUES) : usual());
  return { pick, chance, id, odd };
}

function modernLine(random: Random, eventName: string | undefined): string {
  const { pick, chance, id, odd } = tools(random);
  const record: Record<string, unknown> = {};
  if (chance(0.95)) record.timestamp = chance(0.8) ? new Date(Date.UTC(2024, 0, 1) + Math.floor(random() * 3e10)).toISOString().replace('T', ' ').replace('Z', ' Z') : pick(TIMESTAMPS);
  record.level = 'audit';
  record.msg = '';
  record.event_name = eventName ?? (chance(0.9) ? pick(EVENT_NAMES) : pick(ODD_EVENT_NAMES));
  if (chance(0.95)) record.status = chance(0.8) ? pick(['success', 'fail', 'attempt']) : pick(STATUSES);
  if (chance(0.95)) {
    const actor: Record<string, unknown> = {};
    if (chance(0.9)) actor.user_id = odd(id);
    if (chance(0.8)) actor.session_id = odd(id);
    if (chance(0.8)) actor.client = odd(() => pick(CLIENT_USER_AGENTS));
    if (chance(0.9)) actor.ip_address = pick(IPS);
    if (chance(0.7)) actor.x_forwarded_for = pick(FORWARDED);
    record.actor = chance(0.95) ? actor : pick(['actor', 3, null, []]);
  }
  if (chance(0.95)) record.event = chance(0.95) ? eventData(random) : pick(['event', 1, null, [{}]]);
  if (chance(0.9)) {
    const meta: Record<string, unknown> = {};
    if (chance(0.8)) meta.api_path = odd(() => pick(API_PATHS), 0.05);
    if (chance(0.7)) meta.cluster_id = odd(id, 0.05);
    if (chance(0.2)) meta.login_id = pick(NAMES);
    if (chance(0.3)) meta[pick(['role_change', 'extra', 'λ', 'nested'])] = chance(0.5) ? pick(ODD_VALUES) : { kept: id(), empty: '', list: ['', id()] };
    record.meta = chance(0.95) ? meta : pick(['meta', 2, null]);
  }
  if (chance(0.9)) {
    const error = chance(0.7) ? {} : { description: odd(() => 'permission denied', 0.3), status_code: pick([0, 401, 403, 500, '403', 1.5, null]) };
    record.error = chance(0.95) ? error : pick(['error', 0, null]);
  }
  if (chance(0.03)) record.actor_extra = pick(ODD_VALUES);
  let line = JSON.stringify(record);
  // Keys JSON.stringify cannot write from a literal: a `__proto__` key, a repeated key.
  if (chance(0.03) && line.includes('"meta":{"')) line = line.replace('"meta":{', '"meta":{"__proto__":{"x":"1"},');
  if (chance(0.02)) line = line.replace('"level":"audit"', '"level":"audit","status":"fail"');
  return line;
}

function eventData(random: Random): Record<string, unknown> {
  const { pick, chance, id, odd } = tools(random);
  const parameters: Record<string, unknown> = {};
  const keys = Math.floor(random() * 5);
  for (let k = 0; k < keys; k++) {
    const key = chance(0.5) ? pick(USER_KEYS) : pick(OTHER_KEYS);
    const form = random();
    parameters[key] = form < 0.5 ? odd(id) : form < 0.7 ? { id: odd(id), user_id: odd(id), name: pick(NAMES) }
      : form < 0.9 ? [id(), odd(id), [id(), { id: id() }], ''] : pick(NAMES);
  }
  const state = (): Record<string, unknown> => {
    if (chance(0.4)) return {};
    const s: Record<string, unknown> = { id: odd(id) };
    if (chance(0.5)) s.username = pick(NAMES);
    if (chance(0.3)) s.email = pick(['alice@example.com', '']);
    if (chance(0.3)) s.roles = pick(ROLES);
    if (chance(0.3)) s.team_id = odd(id);
    if (chance(0.3)) s.channel_id = odd(id);
    if (chance(0.3)) s.is_pinned = pick([true, false, 'true']);
    if (chance(0.3)) s.name = pick(NAMES);
    if (chance(0.3)) s.type = pick(['O', 'P', '']);
    if (chance(0.2)) s.props = { a: '', b: [], c: { d: null } };
    return s;
  };
  const data: Record<string, unknown> = {};
  if (chance(0.9)) data.parameters = chance(0.95) ? parameters : pick(['p', 1, null, []]);
  if (chance(0.9)) data.prior_state = chance(0.95) ? state() : pick(['s', null]);
  if (chance(0.9)) data.resulting_state = chance(0.95) ? state() : pick(['s', null]);
  if (chance(0.9)) data.object_type = pick(OBJECT_TYPES);
  return data;
}

function restLine(random: Random, template: string | undefined): string {
  const { pick, chance, id, odd } = tools(random);
  const user = id();
  const path = (template ?? pick(REST_TEMPLATES)).replace(/\{id\}/g, () => (chance(0.9) ? id() : 'not-an-id'));
  const record: Record<string, unknown> = {};
  if (chance(0.95)) record.id = odd(id, 0.05);
  record.create_at = chance(0.9) ? 1704067200000 + Math.floor(random() * 3e10) : pick([0, -1, 1.5, 8.64e15, 8.64e15 + 1, 1e300]);
  if (chance(0.9)) record.user_id = odd(() => user, 0.1);
  record.action = path;
  if (chance(0.9)) record.extra_info = String(pick(EXTRA_INFO)).replace('{id}', user);
  if (chance(0.9)) record.ip_address = pick(IPS);
  if (chance(0.9)) record.session_id = odd(id, 0.1);
  if (chance(0.05)) record.extra = pick(ODD_VALUES);
  return JSON.stringify(record);
}

function nested(levels: number, leaf: unknown, arrays = false): unknown {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = arrays ? [value] : { k: value };
  return value;
}

/** Records nesting past Elasticsearch's 20 levels or MAX_RECORD_DEPTH, in each part the documents copy and in one they do not. */
const DEEP_LINES = [
  ['parameters', (v: unknown) => ({ event: { parameters: { user_id: 'u1', deep: v }, object_type: 'user' } })],
  ['meta', (v: unknown) => ({ meta: { api_path: '/api/v4/x', deep: v } })],
  ['error', (v: unknown) => ({ error: { description: v, status_code: 500 } })],
  ['state', (v: unknown) => ({ event: { prior_state: { id: 'a', deep: v }, resulting_state: { id: 'b', deep: v }, object_type: 'team' } })],
  ['both', (v: unknown) => ({ meta: { deep: v }, event: { parameters: { deep: v } } })],
  ['actor', (v: unknown) => ({ actor: { user_id: 'u1', deep: v } })],
].flatMap(([, wrap]) => [nested(17, 'x'), nested(18, 'x'), nested(19, ''), nested(30, 'x', true), nested(70, 'x', true), nested(40, { a: '' })]
  .map((deep) => JSON.stringify({ timestamp: '2024-03-01 10:15:30.123 Z', event_name: 'updateUser', status: 'success', ...(wrap as (v: unknown) => object)(deep) })));
