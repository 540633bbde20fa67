/**
 * The Elasticsearch emulator's mapping checks: what a document must be to be stored, and the error
 * Elasticsearch gives when it is not.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileMapping } from './es-emulator/mapping.js';
import { DATA_STREAM, es, client, useEsEmulator, doc, putTemplate, create, type Item } from './support/es-emulator-session.js';

useEsEmulator();

test('answers 409 version_conflict_engine_exception when a create reuses an _id, keeping the first document', async () => {
  await putTemplate();
  await create([['dup', doc(1)]]);
  const { errors: failed, items } = await create([['dup', doc(2)], ['fresh', doc(3)]]);
  assert.equal(failed, true, 'a 409 sets errors, as in Elasticsearch');
  assert.equal(items[0]!.status, 409);
  assert.equal(items[0]!.error!.type, 'version_conflict_engine_exception');
  assert.equal(items[0]!.error!.reason, '[dup]: version conflict, document already exists (current version [1])');
  assert.equal(items[1]!.status, 201);
  assert.equal(es.count(DATA_STREAM), 2);
  assert.equal((es.documents(DATA_STREAM).find((d) => d._id === 'dup')!._source.user as { id: string }).id, 'u1');
  assert.equal(es.stats().conflicts, 1);
});

test('answers 400 document_parsing_exception for a value that is not an ip, and stores nothing of it', async () => {
  await putTemplate();
  const { items } = await create([['bad-ip', doc(1, { source: { ip: 'not-an-ip' } })], ['dotted-bad-ip', doc(2, { 'source.ip': '999.1.1.1' })], ['good-ip', doc(3, { source: { ip: '2001:db8::1' } })]]);
  assert.deepEqual(items.map((i) => i.status), [400, 400, 201]);
  assert.equal(items[0]!.error!.type, 'document_parsing_exception');
  assert.match(items[0]!.error!.reason, /^\[1:\d+\] failed to parse field \[source\.ip\] of type \[ip\] in document with id 'bad-ip'\. Preview of field's value: 'not-an-ip'$/);
  assert.deepEqual(es.documents(DATA_STREAM).map((d) => d._id), ['good-ip']);
  assert.equal(es.stats().mappingErrors, 2);
});

test('refuses a document that carries a metadata field such as _id in its body, as Elasticsearch does', async () => {
  await putTemplate();
  const { items } = await create([['in-body', { _id: 'in-body', ...doc(1) }], ['clean', doc(2)]]);
  assert.deepEqual(items.map((i) => i.status), [400, 201]);
  assert.equal(items[0]!.error!.type, 'document_parsing_exception');
  assert.match(items[0]!.error!.reason, /^\[1:\d+\] Field \[_id\] is a metadata field and cannot be added inside a document\. Use the index API request parameters\.$/);
  assert.deepEqual(es.documents(DATA_STREAM).map((d) => d._id), ['clean']);
});

test('answers 400 when a scalar arrives where an object is mapped, or an object where a keyword is', async () => {
  await putTemplate();
  const { items } = await create([
    ['team-scalar', doc(1, { mattermost: { audit: { team: 'not-an-object' } } })],
    ['id-object', doc(2, { user: { id: { nested: 'x' } } })],
    ['team-object', doc(3, { mattermost: { audit: { team: { id: 't1' } } } })],
  ]);
  assert.deepEqual(items.map((i) => i.status), [400, 400, 201]);
  assert.match(items[0]!.error!.reason, /object mapping for \[mattermost\.audit\.team\] tried to parse field \[team\] as object, but found a concrete value/);
  assert.match(items[1]!.error!.reason, /failed to parse field \[user\.id\] of type \[keyword\]/);
});

test('answers 400 when a constant_keyword differs from the mapped or first-seen value', async () => {
  await putTemplate();
  const { items } = await create([
    ['logs', doc(1, { data_stream: { type: 'logs', namespace: 'default' } })],
    ['metrics', doc(2, { data_stream: { type: 'metrics' } })],
    ['other-namespace', doc(3, { data_stream: { namespace: 'other' } })],
  ]);
  assert.deepEqual(items.map((i) => i.status), [201, 400, 400]);
  assert.match(items[1]!.error!.reason, /\[data_stream\.type\] of type \[constant_keyword\]/);
  assert.match(items[2]!.error!.reason, /\[data_stream\.namespace\] of type \[constant_keyword\]/, 'the first document set the namespace');
});

test('refuses unmapped fields under dynamic strict and accepts them under dynamic false and true', async () => {
  await putTemplate();
  const { items } = await create([
    ['strict', doc(1, { strict_part: { known: 'k', unknown: 'u' } })],
    ['loose', doc(2, { loose_part: { anything: { at: ['all', 1] } } })],
    ['dynamic', doc(3, { brand_new: { field: 1 } })],
  ]);
  assert.deepEqual(items.map((i) => i.status), [400, 201, 201]);
  assert.equal(items[0]!.error!.type, 'strict_dynamic_mapping_exception');
  assert.match(items[0]!.error!.reason, /dynamic introduction of \[unknown\] within \[strict_part\] is not allowed/);
});

test('refuses an index action and a missing @timestamp on a data stream', async () => {
  await putTemplate();
  const response = await client.bulk({
    operations: [
      { index: { _index: DATA_STREAM, _id: 'indexed' } }, doc(1),
      { create: { _index: DATA_STREAM, _id: 'no-time' } }, { user: { id: 'u2' } },
      { create: { _index: DATA_STREAM, _id: 'bad-time' } }, doc(3, { '@timestamp': '2021-12-04 23:19:32.051 Z' }),
    ],
  });
  const items = response.items.map((item) => Object.values(item)[0] as Item);
  assert.deepEqual(items.map((i) => i.status), [400, 400, 400]);
  assert.equal(items[0]!.error!.type, 'illegal_argument_exception');
  assert.match(items[0]!.error!.reason, /op_type of create/);
  assert.match(JSON.stringify(items[1]!.error), /data stream timestamp field \[@timestamp\] is missing/);
  assert.match(items[2]!.error!.reason, /failed to parse field \[@timestamp\] of type \[date\]/);
  assert.equal(es.count(DATA_STREAM), 0);
});

test('checks each field type as Elasticsearch parses it, with dotted keys the same as nested ones', () => {
  const mapping = compileMapping({
    properties: {
      when: { type: 'date' }, epoch: { type: 'date', format: 'epoch_second' }, flag: { type: 'boolean' },
      count: { type: 'long' }, small: { type: 'byte' }, ratio: { type: 'float' }, where: { type: 'geo_point' },
      labels: { type: 'flattened' }, text: { type: 'match_only_text' }, host: { properties: { ip: { type: 'ip' } } },
      tolerant: { type: 'long', ignore_malformed: true },
    },
  });
  const accepted: Array<Record<string, unknown>> = [
    { when: '2024-05-01' }, { when: '2024-05-01T10:00:00.123456Z' }, { when: 1714557600000 }, { when: '1714557600000' }, { epoch: 1714557600 },
    { flag: true }, { flag: 'false' }, { flag: '' }, { count: 12 }, { count: '12' }, { count: 1.9 }, { small: -128 }, { ratio: '1.5e3' },
    { where: { lat: 45.5, lon: -73.6 } }, { where: [-73.6, 45.5] }, { where: '45.5,-73.6' }, { where: 'f25dvk' }, { where: [[-73.6, 45.5], '1,2'] },
    { labels: { any: { depth: [1, { x: 'y' }] } } }, { labels: ['a', { b: 1 }] }, { text: 42 }, { 'host.ip': '10.0.0.1' }, { host: { ip: ['10.0.0.1', '::1'] } },
    { host: null }, { host: { ip: null } }, { unmapped: { anything: true } }, { tolerant: 'not a number' }, { count: [1, '2', null] },
  ];
  const refused: Array<Record<string, unknown>> = [
    { when: '2024-13-01' }, { when: '01/05/2024' }, { when: true }, { flag: 'yes' }, { flag: 1 }, { count: 'twelve' }, { count: true },
    { small: 128 }, { ratio: 'NaN' }, { where: { lat: 95, lon: 0 } }, { where: 12 }, { text: { a: 1 } }, { 'host.ip': 'localhost' },
    { host: { ip: ['10.0.0.1', 'nope'] } }, { host: 'scalar' }, { 'host.ip.deeper': '10.0.0.1' }, { count: { value: 1 } },
  ];
  for (const source of accepted) assert.equal(mapping.validate(source, 'id'), undefined, `accepts ${JSON.stringify(source)}`);
  for (const source of refused) assert.notEqual(mapping.validate(source, 'id'), undefined, `refuses ${JSON.stringify(source)}`);
});

test('reports mapper_parsing_exception instead of document_parsing_exception before 8.8', () => {
  const mapping = compileMapping({ properties: { ip: { type: 'ip' } } }, { legacyErrorType: true });
  assert.equal(mapping.validate({ ip: 'x' }, 'id')?.type, 'mapper_parsing_exception');
  assert.equal(compileMapping({ properties: { ip: { type: 'ip' } } }).validate({ ip: 'x' }, 'id')?.type, 'document_parsing_exception');
});
