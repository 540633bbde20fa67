/**
 * The Elasticsearch emulator, driven by the real @elastic/elasticsearch client (what the product
 * uses) and, where the client would hide the wire, by plain HTTP requests.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import { after, before, beforeEach, test } from 'node:test';
import { Client, errors } from '@elastic/elasticsearch';
import { startEsEmulator, type EsEmulator } from './es-emulator/index.js';
import { compileMapping } from './es-emulator/mapping.js';

const DATA_STREAM = 'logs-mattermost.audit-default';
const TEMPLATE_NAME = 'mattermost-audit-test';
const TEMPLATE = {
  index_patterns: ['logs-mattermost.audit-*'],
  priority: 250,
  data_stream: {},
  _meta: { managed_by: 'es-emulator tests' },
  template: {
    settings: { 'index.mapping.total_fields.limit': 2000 },
    mappings: {
      dynamic: true,
      dynamic_templates: [{ strings_as_keyword: { match_mapping_type: 'string', mapping: { type: 'keyword' } } }],
      properties: {
        '@timestamp': { type: 'date' },
        data_stream: {
          properties: { type: { type: 'constant_keyword', value: 'logs' }, dataset: { type: 'constant_keyword' }, namespace: { type: 'constant_keyword' } },
        },
        source: { properties: { ip: { type: 'ip' }, port: { type: 'long' } } },
        user: { properties: { id: { type: 'keyword' }, roles: { type: 'keyword' } } },
        event: { properties: { action: { type: 'keyword' }, sequence: { type: 'long' } } },
        mattermost: { properties: { audit: { properties: { team: { properties: { id: { type: 'keyword' } } }, parameters: { type: 'flattened' } } } } },
        strict_part: { dynamic: 'strict', properties: { known: { type: 'keyword' } } },
        loose_part: { dynamic: false, properties: {} },
      },
    },
  },
};

let es: EsEmulator;
let client: Client;

before(async () => {
  es = await startEsEmulator();
  client = new Client({ node: es.url, maxRetries: 0, requestTimeout: 5000 });
});

beforeEach(() => es.reset());

after(async () => {
  await client.close();
  await es.close();
});

function doc(n: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { '@timestamp': '2024-05-01T10:00:00.000Z', user: { id: `u${n}` }, event: { action: 'login', sequence: n }, ...extra };
}

async function putTemplate(): Promise<void> {
  await client.indices.putIndexTemplate({ name: TEMPLATE_NAME, ...TEMPLATE } as Parameters<Client['indices']['putIndexTemplate']>[0]);
}

type Item = { status: number; _index?: string; _id?: string; result?: string; error?: { type: string; reason: string } };

/** Bulk-creates the documents under the given ids and answers the per-item results. */
async function create(docs: Array<[string, Record<string, unknown>]>, index = DATA_STREAM): Promise<{ errors: boolean; items: Item[] }> {
  const response = await client.bulk({ operations: docs.flatMap(([id, source]) => [{ create: { _index: index, _id: id } }, source]) });
  return { errors: response.errors, items: response.items.map((item) => Object.values(item)[0] as Item) };
}

interface RawResponse { status: number; headers: Record<string, string | string[] | undefined>; body: string }

/** A plain HTTP request, for what the client would hide or refuse to send. */
function raw(method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${es.url}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function ndjson(lines: unknown[]): string {
  return lines.map((line) => JSON.stringify(line)).join('\n') + '\n';
}

async function rejection(promise: Promise<unknown>): Promise<errors.ResponseError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof errors.ResponseError, `expected a ResponseError, got ${String(error)}`);
  return error;
}

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

test('resets connections while down and answers again once the fault is cleared', async () => {
  es.setFault({ down: true });
  const error = await client.info().then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof errors.ConnectionError, `expected a ConnectionError, got ${String(error)}`);
  es.setFault({});
  assert.equal((await client.info()).version.number, '8.15.0');
});

test('delays every response by delayMs', async () => {
  es.setFault({ delayMs: 300 });
  const started = Date.now();
  await client.info();
  assert.ok(Date.now() - started >= 290, `took ${Date.now() - started} ms`);
  es.setFault({});
  const quick = Date.now();
  await client.info();
  assert.ok(Date.now() - quick < 250, 'the delay is gone once cleared');
});

test('rejects about itemRejectShare of the items with 429 and stores none of those', async () => {
  await putTemplate();
  es.setFault({ itemRejectShare: 0.3 });
  const { errors: failed, items } = await create(Array.from({ length: 2000 }, (_, n) => [`r${n}`, doc(n)] as [string, Record<string, unknown>]));
  const rejected = items.filter((i) => i.status === 429);
  assert.equal(failed, true);
  assert.ok(rejected.length > 450 && rejected.length < 750, `${rejected.length} of 2000 rejected`);
  assert.equal(rejected[0]!.error!.type, 'es_rejected_execution_exception');
  assert.match(rejected[0]!.error!.reason, /^rejected execution of coordinating operation/);
  assert.equal(items.filter((i) => i.status === 201).length, 2000 - rejected.length);
  assert.equal(es.count(DATA_STREAM), 2000 - rejected.length);
  const stored = new Set(es.documents(DATA_STREAM).map((d) => d._id));
  assert.ok(rejected.every((i) => !stored.has(i._id!)), 'no rejected item was stored');
  assert.equal(es.stats().rejected, rejected.length);
});

test('fails about itemFailShare of the items with 503 unavailable_shards_exception', async () => {
  await putTemplate();
  es.setFault({ itemFailShare: 0.5 });
  const { items } = await create(Array.from({ length: 1000 }, (_, n) => [`f${n}`, doc(n)] as [string, Record<string, unknown>]));
  const failed = items.filter((i) => i.status === 503);
  assert.ok(failed.length > 380 && failed.length < 620, `${failed.length} of 1000 failed`);
  assert.equal(failed[0]!.error!.type, 'unavailable_shards_exception');
  assert.equal(es.count(DATA_STREAM), 1000 - failed.length);
});

test('answers the whole bulk with bulkStatus and stores nothing', async () => {
  await putTemplate();
  for (const [status, type] of [[429, 'es_rejected_execution_exception'], [503, 'cluster_block_exception']] as const) {
    es.setFault({ bulkStatus: status });
    const error = await rejection(create([['x', doc(1)]]));
    assert.equal(error.statusCode, status);
    assert.equal(error.body.error.type, type);
    assert.equal(error.body.status, status);
  }
  assert.equal(es.count(), 0);
  es.setFault({});
  assert.equal((await create([['x', doc(1)]])).items[0]!.status, 201);
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
  assert.match(badType.body.error.reason, /No handler for type \[kewyord\]/);
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

test('resets documents, templates, data streams, stats and the fault plan', async () => {
  await putTemplate();
  await create([['a', doc(1)]]);
  es.setFault({ delayMs: 5000 });
  es.reset();
  assert.equal(es.count(), 0);
  assert.deepEqual(es.templates(), {});
  assert.deepEqual(es.dataStreams(), []);
  assert.deepEqual(es.stats(), { bulkRequests: 0, itemsReceived: 0, created: 0, conflicts: 0, rejected: 0, mappingErrors: 0, pipelines: [] });
  const started = Date.now();
  await client.info();
  assert.ok(Date.now() - started < 1000, 'no delay after reset');
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
