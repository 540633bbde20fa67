import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toEcs } from '../server/src/transform/index.js';

const CHROME_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

function modern(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    timestamp: '2024-03-01 10:15:30.123 Z', level: 'audit', msg: '',
    event_name: 'updateUserRoles', status: 'success',
    actor: { user_id: 'admin0000000000000000000001', session_id: 'sess000000000000000000000a', client: CHROME_MAC, ip_address: '10.1.2.3', x_forwarded_for: '' },
    event: {
      parameters: { user_id: 'user0000000000000000000002', roles: 'system_user system_admin' },
      prior_state: { id: 'user0000000000000000000002', username: 'alice', roles: 'system_user' },
      resulting_state: { id: 'user0000000000000000000002', username: 'alice', roles: 'system_user system_admin', email: 'alice@example.com' },
      object_type: 'user',
    },
    meta: { api_path: '/api/v4/users/user0000000000000000000002/roles', cluster_id: 'cluster0000000000000000001', role_change: true },
    error: {},
    ...overrides,
  });
}

test('maps a modern record onto the same ECS fields as a legacy line', () => {
  const doc = toEcs(modern()) as any;
  assert.equal(doc['@timestamp'], '2024-03-01T10:15:30.123Z');
  assert.equal(doc.event.action, 'updateUserRoles');
  assert.equal(doc.event.outcome, 'success');
  assert.deepEqual(doc.event.category, ['iam']);
  assert.equal(doc.user.id, 'admin0000000000000000000001');
  assert.equal(doc.user.target.id, 'user0000000000000000000002');
  assert.equal(doc.user.target.name, 'alice');
  assert.deepEqual(doc.user.target.roles, ['system_user', 'system_admin']);
  assert.equal(doc.source.ip, '10.1.2.3');
  assert.equal(doc.mattermost.audit.session.id, 'sess000000000000000000000a');
  assert.equal(doc.mattermost.audit.cluster.id, 'cluster0000000000000000001');
  assert.equal(doc.mattermost.audit.api_path, '/api/v4/users/user0000000000000000000002/roles');
  assert.equal(doc.url.path, '/api/v4/users/user0000000000000000000002/roles');
  assert.equal(doc.user_agent.name, 'Chrome');
  assert.equal(doc.user_agent.os.name, 'Mac OS X');
  assert.equal(doc.user_agent.device.name, 'Mac');
  assert.deepEqual(new Set(doc.related.user), new Set(['admin0000000000000000000001', 'user0000000000000000000002', 'alice']));
  assert.deepEqual(doc.related.ip, ['10.1.2.3']);
  assert.equal(doc.mattermost.audit.status, 'success');
  assert.equal(doc.data_stream.dataset, 'mattermost.audit');
});

test("keeps a modern record's event objects under mattermost.audit.event", () => {
  const doc = toEcs(modern()) as any;
  assert.equal(doc.mattermost.audit.event.object_type, 'user');
  assert.equal(doc.mattermost.audit.event.parameters.roles, 'system_user system_admin');
  assert.equal(doc.mattermost.audit.event.prior_state.roles, 'system_user');
  assert.equal(doc.mattermost.audit.event.resulting_state.email, 'alice@example.com');
  assert.deepEqual(doc.mattermost.audit.meta, { role_change: true });
});

test('maps a failed modern record to failure with its error message and HTTP status', () => {
  const doc = toEcs(modern({ status: 'fail', error: { description: 'You do not have the appropriate permissions.', status_code: 403 } })) as any;
  assert.equal(doc.event.outcome, 'failure');
  assert.equal(doc.mattermost.audit.error.message, 'You do not have the appropriate permissions.');
  assert.equal(doc.http.response.status_code, 403);
});

test('maps an attempt to outcome unknown', () => {
  assert.equal((toEcs(modern({ status: 'attempt' })) as any).event.outcome, 'unknown');
});

test('reads the team, channel and post a modern record is about', () => {
  const post = toEcs(JSON.stringify({
    timestamp: '2024-03-01 10:15:30.123 +02:00', event_name: 'createPost', status: 'success',
    actor: { user_id: 'u1', ip_address: '2001:db8::7' },
    event: { parameters: {}, resulting_state: { id: 'post1', channel_id: 'chan1', is_pinned: false }, object_type: 'post' },
    meta: { api_path: '/api/v4/posts' }, error: {},
  })) as any;
  assert.equal(post['@timestamp'], '2024-03-01T08:15:30.123Z');
  assert.deepEqual(post.mattermost.audit.post, { id: 'post1', channel: { id: 'chan1' }, pinned: false });
  assert.deepEqual(post.mattermost.audit.related.channel, ['chan1']);
  assert.equal(post.source.ip, '2001:db8::7');
  assert.deepEqual(post.event.type, ['creation']);

  const team = toEcs(JSON.stringify({
    timestamp: '2024-03-01 10:15:30.123 Z', event_name: 'addTeamMembers', status: 'success', actor: { user_id: 'u1' },
    event: { parameters: { team_id: 'team1', userIds: ['u2', 'u3'] }, object_type: 'team', resulting_state: { id: 'team1', name: 'eng', type: 'O' } },
    meta: {}, error: {},
  })) as any;
  assert.deepEqual(team.user.target.id, ['u2', 'u3']);
  assert.deepEqual(team.user.target.group, { id: 'team1', name: 'eng' });
  assert.deepEqual(team.mattermost.audit.related.team, ['team1']);
});

test('records a username change as user.changes.name', () => {
  const doc = toEcs(modern({
    event_name: 'patchUser',
    event: { parameters: {}, prior_state: { id: 'u2', username: 'alice' }, resulting_state: { id: 'u2', username: 'alice2' }, object_type: 'user' },
  })) as any;
  assert.equal(doc.user.changes.name, 'alice2');
  assert.ok(doc.related.user.includes('alice2'));
});

test('maps a REST /api/v4/audits record with its id, time, action and path', () => {
  const doc = toEcs(JSON.stringify({
    id: 'audit00000000000000000001', create_at: 1709288130123, user_id: 'u1', action: '/api/v4/users/login',
    extra_info: 'success session_user=u1', ip_address: '192.0.2.10', session_id: 's1',
  })) as any;
  assert.equal(doc.event.id, 'audit00000000000000000001');
  assert.equal(doc['@timestamp'], '2024-03-01T10:15:30.123Z');
  assert.equal(doc.event.action, 'login');
  assert.equal(doc.url.path, '/api/v4/users/login');
  assert.deepEqual(doc.event.category, ['authentication', 'session']);
  assert.equal(doc.event.outcome, 'success');
  assert.equal(doc.user.id, 'u1');
  assert.equal(doc.source.ip, '192.0.2.10');
  assert.equal(doc.mattermost.audit.session.id, 's1');
  assert.equal(doc.mattermost.audit.extra_info, 'success session_user=u1');
});

test('leaves event.original out unless asked to keep it', () => {
  const line = modern();
  assert.equal((toEcs(line) as any).event.original, undefined);
  const kept = toEcs(line, { keepOriginal: true }) as any;
  assert.equal(kept.event.original, line);
  assert.ok(kept.tags.includes('preserve_original_event'));
});

test('puts documents in the configured namespace', () => {
  assert.deepEqual((toEcs(modern(), { namespace: 'prod' }) as any).data_stream, { type: 'logs', dataset: 'mattermost.audit', namespace: 'prod' });
});
