import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { generate } from '../scripts/generate-template-fields.js';
import { recordMix } from '../bench/record-mix.js';
import { indexTemplate, templateFields } from '../server/src/sinks/index-template.js';
import { toEcs } from '../server/src/transform/index.js';
import { flatten } from './support/parity.js';
import { PROJECT_ROOT, sharedFixture } from './support/shared-fixtures.js';
import { isMapped } from './support/template-coverage.js';

test("the committed field mappings are what Elastic's field definitions generate", () => {
  const committed = readFileSync(`${PROJECT_ROOT}/server/src/sinks/fixture-fields.generated.ts`, 'utf8');
  assert.equal(committed, generate(), 'run: npx tsx scripts/generate-template-fields.ts');
});

test('maps the fields of the expected documents with the types Elastic declares', () => {
  const fields = templateFields();
  assert.deepEqual(fields['source.ip'], { type: 'ip' });
  assert.deepEqual(fields['mattermost.audit.post.pinned'], { type: 'boolean' });
  assert.equal(fields['source.geo.location']?.type, 'geo_point');
  assert.deepEqual(fields['event.dataset'], { type: 'constant_keyword', value: 'mattermost.audit' });
  const { expected } = JSON.parse(readFileSync(sharedFixture('elastic', 'test-audit.log-expected.json'), 'utf8')) as { expected: object[] };
  for (const doc of expected) {
    for (const field of flatten(doc).keys()) {
      assert.ok(isMapped(field), `${field} of an expected document has no explicit mapping`);
    }
  }
});

test('maps every field our documents carry, so indexing adds no dynamic fields', () => {
  const unmapped = new Set<string>();
  for (const line of recordMix(2000)) {
    const doc = toEcs(line, { keepOriginal: true, receivedAt: '2024-01-01T00:00:00.000Z', source: { input: 'file', path: '/a', offset: 1, host: 'h' } });
    for (const field of flatten(doc).keys()) if (!isMapped(field)) unmapped.add(field);
  }
  // Free-form objects of legacy lines (channel/team/post/patch) keep Elastic's dynamic string mapping.
  const allowed = /^mattermost\.audit\.(channel|team|post|patch)\./;
  assert.deepEqual([...unmapped].filter((f) => !allowed.test(f)), []);
});

test('maps every field of the forwarder\'s own record of a config change', () => {
  const record = JSON.stringify({
    forwarder_event: 'forwarderConfigChanged', at: '2024-01-01T00:00:00.000Z', version: 3, host: 'h', service_version: '0.1.0',
    actor: { token: 'admin', address: '10.0.0.7' }, changes: [{ setting: 'INPUT_TCP', old: true, new: false }, { setting: 'INGEST_TOKEN', old: 'changed', new: 'changed' }],
  });
  const doc = toEcs(record, { keepOriginal: true, receivedAt: '2024-01-01T00:00:00.000Z', source: { input: 'forwarder', identity: 'forwarder:config-changes' } });
  assert.equal((doc.event as any).action, 'forwarderConfigChanged');
  assert.deepEqual([...flatten(doc).keys()].filter((field) => !isMapped(field)), []);
  // The same JSON from any other input is a Mattermost record, not the forwarder's word.
  const posted = toEcs(record, { source: { input: 'http' } });
  assert.notEqual((posted.event as any).action, 'forwarderConfigChanged');
});

test('targets logs-mattermost.audit-* at priority 250 as a data stream template', () => {
  const template = indexTemplate() as any;
  assert.deepEqual(template.index_patterns, ['logs-mattermost.audit-*']);
  assert.equal(template.priority, 250);
  assert.deepEqual(template.data_stream, {});
  assert.equal(template.template.mappings.properties.mattermost.properties.audit.properties.event.properties.prior_state.type, 'flattened');
});
