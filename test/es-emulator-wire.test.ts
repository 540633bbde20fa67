/**
 * The Elasticsearch emulator on the wire: versions and REST compatibility, data streams and plain indices,
 * credentials, search, gzip, filter_path, templates and malformed requests, as the real client sees them.
 */
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { test } from 'node:test';
import { startEsEmulator } from './es-emulator/index.js';
import { Client } from '@elastic/elasticsearch';
import { DATA_STREAM, TEMPLATE_NAME, TEMPLATE, es, client, useEsEmulator, doc, putTemplate, create, raw, ndjson, rejection, type Item } from './support/es-emulator-session.js';

useEsEmulator();

test("passes the client's product check and reports the configured version", async () => {
  const info = await client.info();
  assert.equal(info.version.number, '8.15.0');
  assert.equal(info.tagline, 'You Know, for Search');
  assert.equal(info.version.build_flavor, 'default');
  assert.equal(await client.ping(), true);
  const health = await client.cluster.health();
  assert.equal(health.status, 'green');
  assert.equal(health.number_of_nodes, 1);
});

test('reports 9.1.0 when asked to, and still serves the 8.x client through REST compatibility', async () => {
  const nine = await startEsEmulator({ version: '9.1.0' });
  const nineClient = new Client({ node: nine.url, maxRetries: 0 });
  try {
    const info = await nineClient.info();
    assert.equal(info.version.number, '9.1.0');
    assert.equal(info.version.minimum_wire_compatibility_version, '8.18.0');
  } finally {
    await nineClient.close();
    await nine.close();
  }
});

test('refuses a 9.x compatibility header on an 8.x emulator, as Elasticsearch 8 does', async () => {
  const refused = await raw('GET', '/', undefined, { accept: 'application/vnd.elasticsearch+json; compatible-with=9' });
  assert.equal(refused.status, 400);
  assert.equal(JSON.parse(refused.body).error.type, 'media_type_header_exception');
  const accepted = await raw('GET', '/', undefined, { accept: 'application/vnd.elasticsearch+json; compatible-with=8' });
  assert.equal(accepted.status, 200);
});

test('creates the data stream with its backing index on the first bulk create into logs-mattermost.audit-default', async () => {
  await putTemplate();
  assert.deepEqual(es.dataStreams(), []);
  const { errors: failed, items } = await create([['a', doc(1)], ['b', doc(2)]]);
  assert.equal(failed, false);
  assert.deepEqual(items.map((i) => [i.status, i.result]), [[201, 'created'], [201, 'created']]);
  assert.match(items[0]!._index!, /^\.ds-logs-mattermost\.audit-default-\d{4}\.\d{2}\.\d{2}-000001$/);
  assert.deepEqual(es.dataStreams(), [DATA_STREAM]);
  assert.equal(es.count(DATA_STREAM), 2);
  assert.deepEqual(es.documents(DATA_STREAM).map((d) => [d._id, d._index]), [['a', DATA_STREAM], ['b', DATA_STREAM]]);
  const streams = await client.indices.getDataStream({ name: DATA_STREAM });
  assert.equal(streams.data_streams[0]!.template, TEMPLATE_NAME);
  assert.equal(streams.data_streams[0]!.indices[0]!.index_name, items[0]!._index);
});

test('creates a plain index with dynamic mapping when no template matches, where index overwrites', async () => {
  const first = await client.bulk({ operations: [{ index: { _index: 'plain-things', _id: '1' } }, { anything: { goes: ['here', 2] }, ip: 'not-an-ip' }] });
  const second = await client.bulk({ operations: [{ index: { _index: 'plain-things', _id: '1' } }, { anything: 'changed' }, { create: { _index: 'plain-things', _id: '1' } }, { x: 1 }] });
  const statuses = [...first.items, ...second.items].map((item) => (Object.values(item)[0] as Item).status);
  assert.deepEqual(statuses, [201, 200, 409]);
  assert.deepEqual(es.dataStreams(), []);
  assert.deepEqual(es.documents('plain-things').map((d) => d._source), [{ anything: 'changed' }]);
  const invalid = await create([['x', { a: 1 }]], 'Upper-Case');
  assert.equal(invalid.items[0]!.error!.type, 'invalid_index_name_exception');
});

test('answers 401 security_exception without matching credentials, and serves matching ones', async () => {
  const secured = await startEsEmulator({ auth: { apiKey: 'c2VjcmV0LWtleQ==', username: 'elastic', password: 'changeme' } });
  const clients = {
    none: new Client({ node: secured.url, maxRetries: 0 }),
    wrongKey: new Client({ node: secured.url, maxRetries: 0, auth: { apiKey: 'd3Jvbmc=' } }),
    key: new Client({ node: secured.url, maxRetries: 0, auth: { apiKey: 'c2VjcmV0LWtleQ==' } }),
    basic: new Client({ node: secured.url, maxRetries: 0, auth: { username: 'elastic', password: 'changeme' } }),
    wrongBasic: new Client({ node: secured.url, maxRetries: 0, auth: { username: 'elastic', password: 'nope' } }),
  };
  try {
    for (const name of ['none', 'wrongKey', 'wrongBasic'] as const) {
      const error = await rejection(clients[name].info());
      assert.equal(error.statusCode, 401, name);
      assert.equal(error.body.error.type, 'security_exception', name);
    }
    assert.match((await rejection(clients.none.info())).body.error.reason, /missing authentication credentials/);
    assert.equal((await clients.key.info()).version.number, '8.15.0');
    assert.equal((await clients.basic.info()).version.number, '8.15.0');
  } finally {
    await Promise.all(Object.values(clients).map((c) => c.close()));
    await secured.close();
  }
});

test('counts and searches by term on dotted paths, arrays and bool filters', async () => {
  await putTemplate();
  await create(Array.from({ length: 15 }, (_, n) => [`s${n}`, doc(n, { user: { id: `u${n}`, roles: n % 3 === 0 ? ['admin', 'user'] : ['user'] } })]));
  assert.equal((await client.count({ index: DATA_STREAM })).count, 15);
  assert.equal((await client.count({ index: 'logs-*', query: { term: { 'user.roles': 'admin' } } })).count, 5);
  const one = await client.search({ index: DATA_STREAM, query: { term: { 'user.id': { value: 'u7' } } } });
  assert.deepEqual(one.hits.total, { value: 1, relation: 'eq' });
  assert.equal(one.hits.hits[0]!._id, 's7');
  assert.match(one.hits.hits[0]!._index, /^\.ds-logs-mattermost\.audit-default-/);
  assert.deepEqual((one.hits.hits[0]!._source as { event: unknown }).event, { action: 'login', sequence: 7 });
  const all = await client.search({ index: DATA_STREAM, query: { match_all: {} } });
  assert.equal(all.hits.hits.length, 10, 'size defaults to 10');
  const filtered = await client.search({
    index: DATA_STREAM, size: 20, sort: [{ 'event.sequence': 'desc' }],
    query: { bool: { filter: [{ term: { 'user.roles': 'admin' } }, { term: { 'event.action': 'login' } }], must_not: [{ term: { 'user.id': 'u0' } }] } },
  });
  assert.deepEqual(filtered.hits.hits.map((h) => h._id), ['s12', 's9', 's6', 's3']);
  assert.equal((await rejection(client.count({ index: 'no-such-index' }))).statusCode, 404);
  assert.equal((await client.count({ index: 'nothing-*' })).count, 0);
});

test('accepts gzip-compressed bulk bodies from the client and from plain HTTP', async () => {
  await putTemplate();
  const gzipping = new Client({ node: es.url, maxRetries: 0, compression: true });
  try {
    const response = await gzipping.bulk({ operations: [{ create: { _index: DATA_STREAM, _id: 'gz1' } }, doc(1)] });
    assert.equal(response.errors, false);
  } finally {
    await gzipping.close();
  }
  const body = gzipSync(ndjson([{ create: { _index: DATA_STREAM, _id: 'gz2' } }, doc(2)]));
  const answer = await raw('POST', '/_bulk', body, { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' });
  assert.equal(answer.status, 200);
  assert.equal(JSON.parse(answer.body).items[0].create.status, 201);
  assert.deepEqual(es.documents(DATA_STREAM).map((d) => d._id).sort(), ['gz1', 'gz2']);
});

test('records the bulk pipeline parameter and honours filter_path as the forwarder sends them', async () => {
  await putTemplate();
  await create([['p1', doc(1)]]);
  const response = await client.transport.request({
    method: 'POST', path: '/_bulk',
    querystring: { pipeline: '_none', filter_path: 'errors,items.*.status,items.*.error.type,items.*.error.reason' },
    bulkBody: ndjson([{ create: { _index: DATA_STREAM, _id: 'p1' } }, doc(1), { create: { _index: DATA_STREAM, _id: 'p2' } }, doc(2)]),
  });
  assert.deepEqual(response, {
    errors: true,
    items: [
      { create: { status: 409, error: { type: 'version_conflict_engine_exception', reason: '[p1]: version conflict, document already exists (current version [1])' } } },
      { create: { status: 201 } },
    ],
  });
  assert.deepEqual(es.stats().pipelines, ['_none']);
  assert.equal(es.stats().bulkRequests, 2);
  assert.equal(es.stats().itemsReceived, 3);
});

test('stores, returns and checks index templates as Elasticsearch does', async () => {
  await putTemplate();
  assert.deepEqual(es.templates()[TEMPLATE_NAME], TEMPLATE);
  const got = await client.indices.getIndexTemplate({ name: TEMPLATE_NAME });
  assert.equal(got.index_templates[0]!.name, TEMPLATE_NAME);
  assert.deepEqual(got.index_templates[0]!.index_template.index_patterns, TEMPLATE.index_patterns);
  assert.equal(await client.indices.existsIndexTemplate({ name: TEMPLATE_NAME }), true);
  assert.equal(await client.indices.existsIndexTemplate({ name: 'missing' }), false);
  const missing = await rejection(client.indices.getIndexTemplate({ name: 'missing' }));
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.body.error.type, 'resource_not_found_exception');
  const badType = await rejection(client.transport.request({ method: 'PUT', path: '/_index_template/bad', body: { index_patterns: ['bad-*'], template: { mappings: { properties: { f: { type: 'kewyord' } } } } } }));
  assert.match(JSON.stringify(badType.body.error), /template after composition is invalid.*The mapper type \[kewyord\] declared on field \[f\] does not exist/);
  const clash = await rejection(client.transport.request({ method: 'PUT', path: '/_index_template/clash', body: { ...TEMPLATE, index_patterns: ['logs-mattermost.*'] } }));
  assert.match(clash.body.error.reason, /same priority \[250\]/);
});

test('creates a data stream on PUT only when a data stream template matches', async () => {
  const noTemplate = await rejection(client.indices.createDataStream({ name: 'logs-mattermost.audit-early' }));
  assert.equal(noTemplate.statusCode, 400);
  await putTemplate();
  assert.deepEqual(await client.indices.createDataStream({ name: 'logs-mattermost.audit-early' }), { acknowledged: true });
  const again = await rejection(client.indices.createDataStream({ name: 'logs-mattermost.audit-early' }));
  assert.equal(again.body.error.type, 'resource_already_exists_exception');
  const stream = (await client.indices.getDataStream({ name: 'logs-mattermost.audit-early' })).data_streams[0]!;
  assert.equal(stream.generation, 1);
  assert.equal(stream.status, 'GREEN');
  assert.deepEqual(stream.timestamp_field, { name: '@timestamp' });
  assert.equal((await rejection(client.indices.getDataStream({ name: 'logs-mattermost.audit-none' }))).statusCode, 404);
});

test('answers malformed bulk bodies and unknown routes with ES-shaped errors, storing nothing', async () => {
  await putTemplate();
  const noNewline = await raw('POST', '/_bulk', ndjson([{ create: { _index: DATA_STREAM, _id: 'a' } }, doc(1)]).trimEnd(), { 'content-type': 'application/x-ndjson' });
  assert.equal(noNewline.status, 400);
  const badAction = await raw('POST', '/_bulk', `${ndjson([{ create: { _index: DATA_STREAM, _id: 'a' } }, doc(1)])}{"explode":{}}\n{}\n`, { 'content-type': 'application/x-ndjson' });
  assert.equal(badAction.status, 400);
  assert.equal(JSON.parse(badAction.body).error.type, 'illegal_argument_exception');
  assert.equal(es.count(), 0);
  const unknown = await raw('GET', '/_no_such_api');
  assert.equal(unknown.status, 400);
  assert.equal(unknown.headers['x-elastic-product'], 'Elasticsearch');
  const body = JSON.parse(unknown.body);
  assert.equal(body.status, 400);
  assert.equal(body.error.root_cause[0].type, 'illegal_argument_exception');
  assert.match(body.error.reason, /no handler found for uri \[\/_no_such_api\] and method \[GET\]/);
});
