import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toEcs, toEcsJson } from '../server/src/transform/index.js';

const RECEIVED = '2024-01-01T00:00:00.000Z';
const LEGACY = { timestamp: '2021-12-04 23:19:32.051 Z', event: 'patchTeam', status: 'success', user_id: 'u1' };

/** `levels` objects, one inside the other: {"a":{"a":…1…}}. */
function objects(levels: number): string {
  return `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
}

function arrays(levels: number, inner = '"u9"'): string {
  return `${'['.repeat(levels)}${inner}${']'.repeat(levels)}`;
}

function legacyWith(key: string, json: string): string {
  return JSON.stringify(LEGACY).replace(/}$/, `,"${key}":${json}}`);
}

test('takes a legacy object as deep as Elasticsearch maps, and makes one deeper a pipeline_error document', () => {
  // mattermost.audit.team holds the record's team: its fields are at depth 4, 17 objects more reach 20.
  const deepest = toEcs(legacyWith('team', objects(17)), { receivedAt: RECEIVED }) as any;
  assert.equal(deepest.event.kind, 'event');
  assert.equal(deepest.event.action, 'patchTeam');
  const line = legacyWith('team', objects(18));
  const tooDeep = toEcs(line, { receivedAt: RECEIVED }) as any;
  assert.equal(tooDeep.event.kind, 'pipeline_error');
  assert.deepEqual(tooDeep.error.message, ['document nests deeper than Elasticsearch accepts (index.mapping.depth.limit 20) at [mattermost.audit.team.a.a.a.a.a… (20 keys)]']);
  assert.equal(tooDeep.event.original, line);
  assert.ok(tooDeep.tags.includes('preserve_original_event'));
  assert.equal(tooDeep['@timestamp'], RECEIVED);
  assert.equal(tooDeep.mattermost, undefined, 'none of its fields: they are what Elasticsearch would refuse');
});

test('counts arrays for nothing against Elasticsearch’s limit, but against MAX_RECORD_DEPTH', () => {
  const modern = (parameters: string) => JSON.stringify({ event_name: 'updateUserRoles', status: 'success', event: { parameters: { user_id: 'P' } } }).replace('"P"', parameters);
  const nested = toEcs(modern(arrays(40)), { receivedAt: RECEIVED }) as any;
  assert.equal(nested.event.kind, 'event');
  assert.equal(nested.user.target.id, 'u9', 'the id inside the nested arrays is found');
  const tooDeep = toEcs(modern(arrays(40)), { receivedAt: RECEIVED, maxRecordDepth: 32 }) as any;
  assert.equal(tooDeep.event.kind, 'pipeline_error');
  assert.match(tooDeep.error.message[0], /^record nests deeper than MAX_RECORD_DEPTH \(32 levels of objects and arrays\) at \[mattermost\.audit\.event\.parameters\.user_id\]/);
});

test('never overflows the stack, whatever the depth and wherever it is', () => {
  const cases = [
    legacyWith('team', objects(100_000)),
    legacyWith('channel', arrays(100_000, '{}')),
    legacyWith('unknown_key', objects(100_000)),
    JSON.stringify({ event_name: 'login', status: 'fail', actor: { user_id: 'u1' }, event: { parameters: { user_ids: 'P' }, resulting_state: 'R' } })
      .replace('"P"', arrays(100_000)).replace('"R"', objects(100_000)),
    arrays(100_000),
    // A pipeline failure (patch and patched) after a deep field was already moved.
    JSON.stringify({ ...LEGACY, patch: { a: 1 }, patched: { b: 1 } }).replace(/}$/, `,"team":${objects(50_000)}}`),
  ];
  for (const line of cases) {
    const doc = toEcs(line, { receivedAt: RECEIVED }) as any;
    assert.equal(typeof JSON.parse(JSON.stringify(doc)).event, 'object', line.slice(0, 80));
    assert.equal(typeof JSON.parse(toEcsJson(line, { receivedAt: RECEIVED })).event, 'object');
  }
  const unknown = toEcs(cases[2]!, { receivedAt: RECEIVED }) as any;
  assert.equal(unknown.event.kind, 'event', 'a deep key no field keeps is dropped like any unknown key');
  const failed = toEcs(cases[5]!, { receivedAt: RECEIVED }) as any;
  assert.equal(failed.error.message[0], 'field [mattermost.audit.patch] already exists', "Elastic's own failure comes first");
  assert.match(failed.error.message[1], /deeper than Elasticsearch accepts/);
  assert.equal(failed.mattermost, undefined);
});

test('keeps the legacy documents of ordinary records as they were', () => {
  const line = legacyWith('team', JSON.stringify({ id: 't1', name: 'core', nested: { a: [{ b: { c: 1 } }] } }));
  const doc = toEcs(line) as any;
  assert.deepEqual(doc.mattermost.audit.team, { id: 't1', name: 'core', nested: { a: [{ b: { c: 1 } }] } });
  assert.deepEqual(doc.group, { name: 'core', id: 't1' });
});
