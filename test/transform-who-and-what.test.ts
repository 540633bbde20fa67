/**
 * What security work searches for, read from the record itself (no enrichment): the login name of
 * a failed login, the target of a deletion, and REST actions that carry no id.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AUDIT_EVENT_CATALOG } from '../server/src/transform/audit-event-catalog.js';
import { toEcs } from '../server/src/transform/index.js';
import { REST_ROUTE_EVENT_NAMES, restRoute } from '../server/src/transform/rest-routes.js';

const ALICE = 'alice0000000000000000000aa';
const ADMIN = 'admin0000000000000000000aa';
const TEAM = 'team00000000000000000000aa';
const CHANNEL = 'chan00000000000000000000aa';
const POST = 'post00000000000000000000aa';

function modern(record: Record<string, unknown>): any {
  return toEcs(JSON.stringify({ timestamp: '2024-03-01 10:15:30.123 Z', level: 'audit', msg: '', meta: {}, error: {}, ...record }));
}

function rest(action: string, extra: Record<string, unknown> = {}): any {
  return toEcs(JSON.stringify({ id: 'audit0000000000000000000aa', create_at: 1709288130123, user_id: ADMIN, action, extra_info: '', ip_address: '192.0.2.10', session_id: 's', ...extra }));
}

test('a failed modern login carries its login name in user.name and related.user', () => {
  const doc = modern({
    event_name: 'login', status: 'fail', actor: { user_id: '', ip_address: '198.51.100.7' },
    event: { parameters: { login_id: 'mallory', device_id: '' }, prior_state: {}, resulting_state: {}, object_type: '' },
    error: { description: 'Enter a valid email or username and/or password.', status_code: 401 },
  });
  assert.equal(doc.event.outcome, 'failure');
  assert.equal(doc.user.name, 'mallory');
  assert.equal(doc.user.id, undefined);
  assert.deepEqual(doc.related.user, ['mallory']);
  assert.deepEqual(doc.event.category, ['authentication', 'session']);
});

test('a 7.x login that kept its login name in meta gives it too', () => {
  const doc = modern({ event_name: 'login', status: 'attempt', actor: { user_id: '' }, event: {}, meta: { login_id: 'alice@example.com', api_path: '/api/v4/users/login' } });
  assert.equal(doc.user.name, 'alice@example.com');
  assert.ok(doc.related.user.includes('alice@example.com'));
});

test('a failed REST login carries the login name of its extra_info', () => {
  for (const extra of ['attempt - login_id=mallory', 'failure - login_id=mallory']) {
    const doc = rest('/api/v4/users/login', { user_id: '', extra_info: extra });
    assert.equal(doc.user.name, 'mallory', extra);
    assert.deepEqual(doc.related.user, ['mallory']);
    assert.equal(doc.event.action, 'login');
  }
  assert.equal(rest('/api/v4/users/login', { extra_info: 'failure - login_id=mallory' }).event.outcome, 'failure');
  assert.equal(rest('/api/v4/users/login', { extra_info: 'success' }).user.name, undefined);
});

test('a deletion takes its target from prior_state when resulting_state is empty', () => {
  const user = modern({
    event_name: 'deleteUser', status: 'success', actor: { user_id: ADMIN },
    event: { parameters: { user_id: ALICE }, prior_state: { id: ALICE, username: 'alice', roles: 'system_user' }, resulting_state: {}, object_type: 'user' },
  });
  assert.equal(user.user.target.id, ALICE);
  assert.equal(user.user.target.name, 'alice');
  assert.deepEqual(user.user.target.roles, ['system_user']);
  assert.deepEqual(user.event.type, ['user', 'deletion']);

  const channel = modern({
    event_name: 'deleteChannel', status: 'success', actor: { user_id: ADMIN },
    event: { parameters: {}, prior_state: { id: CHANNEL, team_id: TEAM, type: 'P' }, resulting_state: {}, object_type: 'channel' },
  });
  assert.deepEqual(channel.mattermost.audit.channel, { id: CHANNEL, type: 'P' });
  assert.equal(channel.mattermost.audit.team.id, TEAM);

  const post = modern({
    event_name: 'deletePost', status: 'success', actor: { user_id: ADMIN },
    event: { parameters: {}, prior_state: { id: POST, channel_id: CHANNEL, is_pinned: true }, resulting_state: {}, object_type: 'post' },
  });
  assert.deepEqual(post.mattermost.audit.post, { id: POST, channel: { id: CHANNEL }, pinned: true });

  const team = modern({
    event_name: 'deleteTeam', status: 'success', actor: { user_id: ADMIN },
    event: { parameters: {}, prior_state: { id: TEAM, type: 'O' }, resulting_state: {}, object_type: 'team' },
  });
  assert.equal(team.mattermost.audit.team.id, TEAM);
  assert.equal(team.group.id, TEAM);
});

test('a change still prefers its resulting state', () => {
  const doc = modern({
    event_name: 'patchUser', status: 'success', actor: { user_id: ADMIN },
    event: { prior_state: { id: ALICE, username: 'alice' }, resulting_state: { id: ALICE, username: 'alice2' }, object_type: 'user' },
  });
  assert.equal(doc.user.target.name, 'alice2');
  assert.equal(doc.user.changes.name, 'alice2');
});

test('a REST action names the handler of its route, never an id; url.path keeps the real path', () => {
  const roles = rest(`/api/v4/users/${ALICE}/roles`, { extra_info: `user=${ALICE} roles=system_user system_admin` });
  assert.equal(roles.event.action, 'updateUserRoles');
  assert.equal(roles.url.path, `/api/v4/users/${ALICE}/roles`);
  assert.equal(roles.mattermost.audit.api_path, `/api/v4/users/${ALICE}/roles`);
  assert.deepEqual(roles.event.category, ['iam']);
  assert.deepEqual(roles.event.type, ['user', 'change']);
  assert.equal(roles.user.target.id, ALICE);
  assert.ok(roles.related.user.includes(ALICE));

  assert.equal(rest('/api/v4/users/logout').event.action, 'logout');
  assert.deepEqual(rest('/api/v4/users/logout').event.type, ['end']);
  assert.deepEqual(rest(`/api/v4/users/${ALICE}/active`).event.category, ['iam']);
  assert.deepEqual(rest(`/api/v4/users/${ALICE}/password`).event.category, ['iam']);

  const member = rest(`/api/v4/channels/${CHANNEL}/members/${ALICE}`);
  assert.equal(member.event.action, 'removeChannelMember');
  assert.equal(member.mattermost.audit.channel.id, CHANNEL);
  assert.equal(member.user.target.id, ALICE);
  assert.deepEqual(member.mattermost.audit.related.channel, [CHANNEL]);

  const teamMembers = rest(`/api/v4/teams/${TEAM}/members/batch?graceful=true`);
  assert.equal(teamMembers.event.action, 'addTeamMembers');
  assert.equal(teamMembers.mattermost.audit.team.id, TEAM);
  assert.equal(teamMembers.url.query, 'graceful=true');
});

test('a REST route several handlers share keeps the route, its ids as placeholders', () => {
  const doc = rest(`/api/v4/channels/${CHANNEL}`, { extra_info: 'name=town-square' });
  assert.equal(doc.event.action, '/api/v4/channels/{channel_id}');
  assert.equal(doc.url.path, `/api/v4/channels/${CHANNEL}`);
  assert.equal(doc.mattermost.audit.channel.id, CHANNEL);
  assert.deepEqual(doc.event.category, ['configuration']);
  assert.equal(rest(`/api/v4/posts/${POST}`).event.action, '/api/v4/posts/{post_id}');
  assert.equal(rest(`/api/v4/posts/${POST}`).mattermost.audit.post.id, POST);
});

test('REST routes replace ids, names and e-mail addresses by placeholders and keep the rest', () => {
  const cases: Array<[string, string]> = [
    [`/api/v4/users/${ALICE}/sessions/revoke/all`, '/api/v4/users/{user_id}/sessions/revoke/all'],
    ['/api/v4/users/me/patch', '/api/v4/users/{user_id}/patch'],
    ['/api/v4/users/username/alice', '/api/v4/users/username/{username}'],
    ['/api/v4/users/email/alice@example.com', '/api/v4/users/email/{email}'],
    ['/api/v4/users/email/verify', '/api/v4/users/email/verify'],
    ['/api/v4/teams/name/eng/channels/name/town-square', '/api/v4/teams/name/{team_name}/channels/name/{channel_name}'],
    [`/api/v4/hooks/incoming/${POST}`, '/api/v4/hooks/incoming/{hook_id}'],
    ['/api/v4/plugins/com.mattermost.calls/enable', '/api/v4/plugins/{plugin_id}/enable'],
    ['/api/v4/plugins/marketplace', '/api/v4/plugins/marketplace'],
    [`/api/v4/oauth/apps/${POST}/regen_secret?x=1`, '/api/v4/oauth/apps/{app_id}/regen_secret'],
  ];
  for (const [path, route] of cases) assert.equal(restRoute(path).route, route, path);
  assert.equal(rest('/api/v4/plugins/com.mattermost.calls/disable').event.action, 'disablePlugin');
});

test('every event name of the REST route table is a categorized Mattermost event', () => {
  const unknown = REST_ROUTE_EVENT_NAMES.filter((name) => !Object.hasOwn(AUDIT_EVENT_CATALOG, name));
  assert.deepEqual(unknown, []);
});
