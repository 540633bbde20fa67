import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { generate, OUTPUT } from '../scripts/generate-uap-regexes.js';
import { toEcs } from '../server/src/transform/index.js';
import { isInetAddress } from '../server/src/transform/inet-address.js';
import { javaDouble, NumberLiterals, renderMustache } from '../server/src/transform/java-text.js';

const line = (fields: string) => `{"timestamp":"2021-12-04 23:19:32.051 Z",${fields}}`;

test("takes for an IP address what Elasticsearch's own parser takes", () => {
  for (const ip of ['89.160.20.156', '0.0.0.0', '::', '::1', '2001:db8::1', '::ffff:1.2.3.4', 'fe80::1%eth0', '1.2.3.4%x', '00001::', '2001:0db8:0000:0000:0000:0000:0000:0001']) {
    assert.equal(isInetAddress(ip), true, ip);
  }
  for (const ip of ['', '1.2.3', '01.2.3.4', '256.1.1.1', '1.2.3.4.5', 'fe80::1%', ':::', '1::2::3', '::g', '１.２.３.４', ' 1.2.3.4', '1.2.3.4:80', '[::1]', 'localhost', '1:2:3:4:5:6:7:8:9']) {
    assert.equal(isInetAddress(ip), false, ip);
  }
});

test('a line with a key twice fails as in Elastic, and comments are allowed', () => {
  const repeated = toEcs(line('"event":"login","event":"Logout"'), { keepOriginal: true }) as any;
  assert.equal(repeated.event.kind, 'pipeline_error');
  assert.equal(repeated.event.action, undefined);
  const nested = toEcs(line('"user":{"id":"a","id":"b"}')) as any;
  assert.equal(nested.event.kind, 'pipeline_error');
  // A value that starts with a colon is no key.
  assert.equal((toEcs(line('"ip_address":"::g","event":"login"')) as any).event.kind, 'event');
  const commented = toEcs('{"timestamp":"2021-12-04 23:19:32.051 Z", /* why */ "event":"login" // end\n}') as any;
  assert.equal(commented.event.action, 'login');
});

test('a failed line keeps what the pipeline had not moved yet under json, as Elastic does', () => {
  const doc = toEcs('{"event":"login","user_id":"u1","level":"info"}', { keepOriginal: true }) as any;
  assert.equal(doc.event.kind, 'pipeline_error');
  assert.deepEqual(doc.json, { event: 'login', user_id: 'u1', level: 'info' });
  assert.deepEqual((toEcs('[1,2]') as any).json, [1, 2]);
  assert.equal((toEcs('{"timestamp":"2021-12-04 23:19:32.051 Z"}') as any).json, undefined);
});

test('a line failing after its renames keeps under json only the fields not moved, nested ones too', () => {
  const line = JSON.stringify({
    timestamp: '2021-12-04 23:19:32.051 Z', event: 'patchTeam', status: 'success', user_id: 'u1',
    user: { id: 't1', name: 'target', extra: 'kept' }, patch: { id: 'a' }, patched: { id: 'b' },
  });
  const doc = toEcs(line) as any;
  assert.deepEqual(doc.error.message, ['field [mattermost.audit.patch] already exists']);
  // No key of a moved field is left behind, not even as undefined: the object is what Elastic keeps.
  assert.deepStrictEqual(doc.json, { timestamp: '2021-12-04 23:19:32.051 Z', status: 'success', user: { extra: 'kept' }, patched: { id: 'b' } });
  assert.deepStrictEqual(doc.user, { id: 'u1', target: { id: 't1', name: 'target' } });
  assert.equal(JSON.stringify(doc.json), '{"timestamp":"2021-12-04 23:19:32.051 Z","status":"success","user":{"extra":"kept"},"patched":{"id":"b"}}');
});

test('renders values in templates as Java does', () => {
  assert.deepEqual([1, 1.5, 1e21, 1e-4, 12345678, 0].map(javaDouble), ['1.0', '1.5', '1.0E21', '1.0E-4', '1.2345678E7', '0.0']);
  const numbers = new NumberLiterals('{"a":1.0,"b":7,"c":"1.0 in a string"}');
  assert.equal(renderMustache(1, numbers), '1.0');
  assert.equal(renderMustache(7, numbers), '7');
  assert.equal(renderMustache(['x', 'y'], numbers), '{0=x, 1=y}');
  assert.equal(renderMustache({ id: 'x', name: 'alice', display_name: 'sysadmin' }, numbers), '{name=alice, id=x, display_name=sysadmin}');
  const doc = toEcs(line('"user_id":1.0,"event":"login"')) as any;
  assert.deepEqual(doc.related.user, ['1.0']);
});

test('the committed user-agent regexes are those of the pinned uap-core', () => {
  assert.equal(readFileSync(OUTPUT, 'utf8'), generate(), 'run: npx tsx scripts/generate-uap-regexes.ts');
});
