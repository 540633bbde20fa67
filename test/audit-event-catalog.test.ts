import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { AUDIT_EVENT_CATALOG } from '../server/src/transform/audit-event-catalog.js';

const names: string[] = readFileSync(
  new URL('./fixtures/mattermost-audit-event-names.txt', import.meta.url),
  'utf8',
)
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'));

/** Mattermost 5.x/6.x actions Elastic's integration categorizes that audit_events.go no longer has. */
const LEGACY_ONLY = new Set(['Logout', 'convertChannelToPrivate']);

/** ECS 8.11 expected_event_types: the only event.type values allowed with each event.category. */
const EXPECTED_EVENT_TYPES: Record<string, readonly string[]> = {
  api: [
    'access', 'admin', 'allowed', 'change', 'creation', 'deletion', 'denied', 'end', 'info', 'start', 'user',
  ],
  authentication: ['start', 'end', 'info'],
  configuration: ['access', 'change', 'creation', 'deletion', 'info'],
  database: ['access', 'change', 'info', 'error'],
  driver: ['change', 'end', 'info', 'start'],
  email: ['info'],
  file: ['access', 'change', 'creation', 'deletion', 'info'],
  host: ['access', 'change', 'end', 'info', 'start'],
  iam: ['admin', 'change', 'creation', 'deletion', 'group', 'info', 'user'],
  intrusion_detection: ['allowed', 'denied', 'info'],
  library: ['start'],
  malware: ['info'],
  network: ['access', 'allowed', 'connection', 'denied', 'end', 'info', 'protocol', 'start'],
  package: ['access', 'change', 'deletion', 'info', 'installation', 'start'],
  process: ['access', 'change', 'end', 'info', 'start'],
  registry: ['access', 'change', 'creation', 'deletion'],
  session: ['start', 'end', 'info'],
  threat: ['indicator'],
  vulnerability: ['info'],
  web: ['access', 'error', 'info'],
};

test('maps every Mattermost audit event name to a category', () => {
  assert.ok(names.length > 300, `only ${names.length} names read from the fixture`);
  const missing = names.filter((name) => !Object.hasOwn(AUDIT_EVENT_CATALOG, name));
  assert.deepEqual(missing, []);
});

test('uses only ECS allowed category and type values', () => {
  const problems: string[] = [];
  for (const [name, { category, type }] of Object.entries(AUDIT_EVENT_CATALOG)) {
    if (category.length === 0 || type.length === 0) problems.push(`${name}: empty category or type`);
    for (const c of category) {
      const allowed = EXPECTED_EVENT_TYPES[c];
      if (allowed === undefined) {
        problems.push(`${name}: unknown category ${c}`);
        continue;
      }
      for (const t of type) {
        if (!allowed.includes(t)) problems.push(`${name}: type ${t} not allowed for ${c}`);
      }
    }
  }
  assert.deepEqual(problems, []);
});

test('has no entry that is not a Mattermost event name', () => {
  const known = new Set(names);
  const extra = Object.keys(AUDIT_EVENT_CATALOG).filter((key) => !known.has(key) && !LEGACY_ONLY.has(key));
  assert.deepEqual(extra, []);
});

test('categorizes security-relevant events deliberately', () => {
  const expected: Record<string, { category: string[]; type: string[] }> = {
    login: { category: ['authentication', 'session'], type: ['start'] },
    logout: { category: ['authentication', 'session'], type: ['end'] },
    Logout: { category: ['authentication', 'session'], type: ['end'] },
    revokeSession: { category: ['session'], type: ['end'] },
    revokeAllSessionsForUser: { category: ['session'], type: ['end'] },
    createUser: { category: ['iam'], type: ['user', 'creation'] },
    deleteUser: { category: ['iam'], type: ['user', 'deletion'] },
    updateUserRoles: { category: ['iam'], type: ['user', 'change'] },
    patchRole: { category: ['iam'], type: ['admin', 'change'] },
    updateConfig: { category: ['configuration'], type: ['change'] },
    getConfig: { category: ['configuration'], type: ['info'] },
    createPost: { category: ['configuration'], type: ['creation'] },
    createTeam: { category: ['iam'], type: ['group', 'creation'] },
    uploadFileMultipart: { category: ['file'], type: ['creation'] },
    installPluginFromURL: { category: ['package'], type: ['installation'] },
    removePlugin: { category: ['package'], type: ['deletion'] },
  };
  for (const [name, categorization] of Object.entries(expected)) {
    assert.deepEqual(AUDIT_EVENT_CATALOG[name], categorization, name);
  }
});
