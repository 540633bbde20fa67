/**
 * Putting what the cluster supports: the full template on a full distribution (the emulator's
 * default), stand-ins for the mapper types a cluster lacks (found from its modules, or from its
 * refusal when the credentials may not list modules), and what the status then says.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { mappingConflicts } from '../server/src/sinks/data-stream-check.js';
import { ElasticsearchSink } from '../server/src/sinks/elasticsearch.js';
import { indexTemplate, TEMPLATE_NAME } from '../server/src/sinks/index-template.js';
import { fitTemplate, refusedMapperType, typesMissingFrom } from '../server/src/sinks/template-fit.js';
import { startEsEmulator, type EsEmulator } from './es-emulator/index.js';

const INTEG_TEST_MODULES = ['apm', 'transport-netty4', 'x-pack-core', 'x-pack-security'];
let full: EsEmulator;
let integTest: EsEmulator;

before(async () => {
  [full, integTest] = await Promise.all([startEsEmulator({ version: '8.19.21' }), startEsEmulator({ version: '8.19.21', flavor: 'integ-test' })]);
});

after(async () => {
  await Promise.all([full?.close(), integTest?.close()]);
});

async function withSink<T>(url: string, use: (sink: ElasticsearchSink) => Promise<T>): Promise<T> {
  const sink = new ElasticsearchSink({ url, dataStream: 'logs-mattermost.audit-default' });
  try {
    return await use(sink);
  } finally {
    await sink.close();
  }
}

test('puts the full template, unchanged, where every module is there', async () => {
  await withSink(full.url, async (sink) => {
    assert.deepEqual(await sink.prepare(), { version: '8.19.21', leftOut: [], notes: [] });
    assert.deepEqual(full.templates()[TEMPLATE_NAME], indexTemplate({ lifecycle: {} }));
    assert.equal(await sink.ensureDataStream('logs-mattermost.audit-default'), 'created');
    const health = await sink.check();
    assert.deepEqual(health.template, { name: TEMPLATE_NAME, complete: true, leftOut: [], notes: [] });
    assert.deepEqual(health.dataStream?.problems, []);
  });
});

test('replaces the mapper types of missing modules by core types, field by field, and says so', () => {
  const { template, leftOut } = fitTemplate(indexTemplate({ lifecycle: {} }), typesMissingFrom(INTEG_TEST_MODULES));
  assert.deepEqual(leftOut.map(({ type, replacedBy, reason }) => [type, replacedBy, reason]), [
    ['constant_keyword', 'keyword', 'the cluster has no constant-keyword module'],
    ['match_only_text', 'text', 'the cluster has no mapper-extras module'],
    ['wildcard', 'keyword', 'the cluster has no wildcard module'],
  ]);
  assert.deepEqual(leftOut[0]!.fields, ['data_stream.dataset', 'data_stream.namespace', 'data_stream.type', 'event.dataset', 'event.module']);
  assert.deepEqual(leftOut[2]!.fields, ['url.original', 'url.path']);
  const properties = (template as any).template.mappings.properties;
  assert.deepEqual(properties.event.properties.dataset, { type: 'keyword' });
  assert.deepEqual(properties.url.properties.original, { type: 'keyword', ignore_above: 1024, fields: { text: { type: 'text', norms: false } } });
  assert.deepEqual(properties.error.properties.message, { type: 'text', norms: false });
  assert.deepEqual(properties.source.properties.ip, { type: 'ip' });
  assert.deepEqual((template as any)._meta.left_out, leftOut);
  // Nothing else changes.
  const untouched = fitTemplate(indexTemplate({ lifecycle: {} }), new Map());
  assert.deepEqual(untouched, { template: indexTemplate({ lifecycle: {} }), leftOut: [] });
});

test('fits the template from the modules the cluster lists, and the status shows what was left out', async () => {
  integTest.reset();
  await withSink(integTest.url, async (sink) => {
    const prepared = await sink.prepare();
    assert.deepEqual(prepared.leftOut.map((entry) => entry.type), ['constant_keyword', 'match_only_text', 'wildcard']);
    assert.deepEqual(prepared.notes, ['the cluster has no data-streams module: the data stream lifecycle is in the template but nothing applies it']);
    assert.deepEqual(integTest.templates()[TEMPLATE_NAME], fitTemplate(indexTemplate({ lifecycle: {}, notes: prepared.notes }), typesMissingFrom(INTEG_TEST_MODULES)).template);
    assert.equal(await sink.ensureDataStream('logs-mattermost.audit-default'), 'created by a first write');
    assert.equal(integTest.count('logs-mattermost.audit-default'), 0, 'the first write stored nothing');
    const health = await sink.check();
    assert.equal(health.version, '8.19.21', 'learnt without GET /');
    assert.equal(health.template?.complete, false);
    assert.deepEqual(health.template?.leftOut, prepared.leftOut);
    assert.deepEqual(health.dataStream?.problems, []);
  });
});

test('learns the missing types from the refused put when the modules may not be listed', async () => {
  integTest.reset();
  integTest.setFault({ forbiddenPaths: ['/_nodes/_local/plugins'] });
  await withSink(integTest.url, async (sink) => {
    const prepared = await sink.prepare();
    assert.deepEqual(prepared.leftOut.map((entry) => entry.type).sort(), ['constant_keyword', 'match_only_text', 'wildcard']);
    assert.match(prepared.leftOut[0]!.reason, /^Elasticsearch refused it \(the mapper type \[\w+\] does not exist there\)$/);
    assert.deepEqual(prepared.notes, [], 'without the module list, nothing is claimed about the lifecycle');
  });
  integTest.setFault({});
});

test('reads the refused mapper type from the reasons of 8.x, 9.x and 7.x', () => {
  const modern = { error: { caused_by: { caused_by: { reason: 'Failed to parse mapping: The mapper type [match_only_text] declared on field [text] does not exist. It might have been created within a future version or requires a plugin to be installed. Check the documentation.' } } } };
  assert.equal(refusedMapperType(modern), 'match_only_text');
  assert.equal(refusedMapperType({ error: { reason: 'Failed to parse mapping [_doc]: No handler for type [wildcard] declared on field [path]' } }), 'wildcard');
  assert.equal(refusedMapperType({ error: { reason: 'index template [x] has index patterns [a*] matching patterns from existing templates' } }), undefined);
});

test('tells a conflicting mapping from a compatible one', () => {
  const ours = new Map([['user', 'object'], ['user.id', 'keyword'], ['mattermost.audit.team', 'object'], ['mattermost.audit.team.id', 'keyword'], ['event.dataset', 'keyword'], ['error.message', 'text']]);
  const theirs = new Map([['user', 'object'], ['user.id', 'long'], ['mattermost.audit.team', 'keyword'], ['event.dataset', 'constant_keyword'], ['error.message', 'match_only_text']]);
  assert.deepEqual(mappingConflicts(ours, theirs), ['user.id as long (ours keyword)', 'mattermost.audit.team as keyword (ours object)']);
  assert.deepEqual(mappingConflicts(ours, new Map()), [], 'fields not mapped yet are no conflict');
});
