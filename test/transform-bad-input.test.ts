import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toEcs } from '../server/src/transform/index.js';

const RECEIVED = '2024-01-01T00:00:00.000Z';

function assertPipelineError(doc: any, original: string, messagePattern: RegExp): void {
  assert.equal(doc.event.kind, 'pipeline_error');
  assert.equal(doc.event.original, original);
  assert.ok(doc.tags.includes('preserve_original_event'));
  assert.match(doc.error.message.join(' '), messagePattern);
  assert.equal(doc['@timestamp'], RECEIVED, 'a data stream needs @timestamp: the receive time stands in');
}

test('turns a line that is not JSON into a pipeline_error document that keeps it', () => {
  assertPipelineError(toEcs('this is not json', { receivedAt: RECEIVED }), 'this is not json', /cannot parse JSON/);
});

test('turns JSON that is not an object into a pipeline_error document', () => {
  for (const line of ['[1,2]', '"text"', '42', 'null']) {
    assertPipelineError(toEcs(line, { receivedAt: RECEIVED }), line, /Missing JSON object/);
  }
});

test('turns an empty line into a pipeline_error document', () => {
  assertPipelineError(toEcs('', { receivedAt: RECEIVED }), '', /empty record/);
});

test('turns invalid UTF-8 into a pipeline_error document', () => {
  const bytes = Buffer.concat([Buffer.from('{"event":"login","x":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
  const doc = toEcs(bytes, { receivedAt: RECEIVED }) as any;
  assert.equal(doc.event.kind, 'pipeline_error');
  assert.match(doc.error.message[0], /not valid UTF-8/);
  assert.ok(doc.event.original.startsWith('{"event":"login"'));
});

test('truncates an oversized record, tags it and says by how much', () => {
  const line = `{"event":"login","pad":"${'x'.repeat(5000)}"}`;
  const doc = toEcs(line, { receivedAt: RECEIVED, maxRecordBytes: 1000 }) as any;
  assert.equal(doc.event.kind, 'pipeline_error');
  assert.equal(Buffer.byteLength(doc.event.original), 1000);
  assert.ok(doc.tags.includes('truncated'));
  assert.match(doc.error.message[0], new RegExp(`${Buffer.byteLength(line)} bytes`));
});

test('fails like Elastic when a legacy line has no timestamp', () => {
  const line = '{"event":"login","status":"success"}';
  assertPipelineError(toEcs(line, { receivedAt: RECEIVED }), line, /field \[timestamp\] not present/);
});

test('fails like Elastic when a rename would overwrite a field (patch and patched)', () => {
  const line = JSON.stringify({ timestamp: '2021-12-04 23:19:32.051 Z', event: 'patchTeam', status: 'success', user_id: 'u1', patch: { id: 'a' }, patched: { id: 'b' } });
  const doc = toEcs(line, { receivedAt: RECEIVED }) as any;
  assert.equal(doc.event.kind, 'pipeline_error');
  assert.deepEqual(doc.error.message, ['field [mattermost.audit.patch] already exists']);
  assert.equal(doc.event.action, 'patchTeam', 'the steps before the failure stay applied, as in Elastic');
  assert.equal(doc['@timestamp'], '2021-12-04T23:19:32.051Z');
});

test('fails like Elastic on a timestamp in another format', () => {
  const line = '{"timestamp":"2021-12-04T23:19:32Z","event":"login"}';
  assertPipelineError(toEcs(line, { receivedAt: RECEIVED }), line, /unable to parse date \[2021-12-04T23:19:32Z\]/);
});

test('fails like Elastic on a calendar date or clock time that does not exist', () => {
  for (const stamp of ['2021-02-29 10:00:00.000 Z', '2021-04-31 10:00:00.000 Z', '2021-12-04 24:00:00.000 Z', '2021-12-04 23:60:00.000 Z', '2021-12-04 23:59:60.000 Z']) {
    const line = JSON.stringify({ timestamp: stamp, event: 'login' });
    assertPipelineError(toEcs(line, { receivedAt: RECEIVED }), line, new RegExp(`unable to parse date \\[${stamp.replace(/[.]/g, '\\.')}\\]`));
  }
  const leapDay = toEcs(JSON.stringify({ timestamp: '2024-02-29 23:59:59.999 Z', event: 'login' })) as any;
  assert.equal(leapDay['@timestamp'], '2024-02-29T23:59:59.999Z');
});

test('uses login_id only when the record has no user_id key at all', () => {
  const base = { timestamp: '2021-12-04 23:19:32.051 Z', event: 'login', status: 'fail', login_id: 'bob' };
  assert.equal((toEcs(JSON.stringify(base)) as any).user.id, 'bob');
  assert.equal((toEcs(JSON.stringify({ ...base, user_id: '' })) as any).user, undefined);
});

test('keeps false and 0 while removing empty values', () => {
  const doc = toEcs(JSON.stringify({
    timestamp: '2021-12-04 23:19:32.051 Z', event: 'createPost', status: 'success', user_id: 'u1', session_id: '',
    post: { id: 'p1', channel_id: 'c1', type: '', pinned: false }, code: 0,
  })) as any;
  assert.deepEqual(doc.mattermost.audit.post, { id: 'p1', channel: { id: 'c1' }, pinned: false });
  assert.equal(doc.http.response.status_code, 0);
  assert.equal(doc.mattermost.audit.session, undefined);
});

test('removes the empty objects of the iam script, and keeps a __proto__ key of a record as a field', () => {
  const line = JSON.stringify({ timestamp: '2021-12-04 23:19:32.051 Z', event: 'patchUser', status: 'success', user_id: 'u1' })
    .replace(/}$/, ',"patch":{"__proto__":{"polluted":true},"name":"","email":"a@example.com"}}');
  const doc = toEcs(line) as any;
  assert.equal(doc.group, undefined, 'the script made group {}: pruned');
  assert.deepEqual(Object.keys(doc.user), ['id'], 'user.changes and user.target {}: pruned');
  const patch = doc.mattermost.audit.patch;
  assert.deepEqual(Object.keys(patch), ['__proto__', 'email']);
  assert.equal(Object.getPrototypeOf(patch), Object.prototype);
  assert.equal(({} as any).polluted, undefined);
  assert.match(JSON.stringify(doc), /"patch":\{"__proto__":\{"polluted":true\},"email":"a@example.com"\}/);
});

test('never throws, whatever the input', () => {
  const inputs = ['{', '{}', '{"timestamp":null}', '{"timestamp":"2021-12-04 23:19:32.051 Z","user":"x","team":5,"channel":[]}',
    '{"event_name":5}', '{"event_name":"x","actor":"y","event":[],"meta":null,"error":"z"}', '{"action":"/x","create_at":"soon"}',
    `{"timestamp":"2021-12-04 23:19:32.051 Z","event":"patchUser","patch":"str"}`, '\u0000', '{"__proto__":{"polluted":1}}'];
  for (const input of inputs) {
    const doc = toEcs(input, { receivedAt: RECEIVED }) as any;
    assert.equal(typeof doc.event, 'object', input);
  }
  assert.equal(({} as any).polluted, undefined);
});

test('truncates before a character, so the original stays valid and within the limit', () => {
  const line = `{"event":"${'é'.repeat(2000)}"}`;
  const doc = toEcs(line, { receivedAt: RECEIVED, maxRecordBytes: 1001 }) as any;
  assert.equal(Buffer.byteLength(doc.event.original), 1000);
  assert.ok(!doc.event.original.includes('\ufffd'));
  const invalid = toEcs(Buffer.alloc(2000, 0xff), { receivedAt: RECEIVED, maxRecordBytes: 1000 }) as any;
  assert.deepEqual(invalid.error.message, ['record is not valid UTF-8', 'record of 6000 bytes is over the limit of 1000 bytes: truncated']);
  assert.ok(Buffer.byteLength(invalid.event.original) <= 1000);
  assert.ok(invalid.tags.includes('truncated'));
});
