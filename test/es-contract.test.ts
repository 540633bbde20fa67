/**
 * The emulator against the real thing: the same scenarios, request for request, run against a real
 * node (Elastic's integ-test distribution, http.max_content_length=1mb) and against the emulator
 * answering as that distribution and version; the answers must be the same. Where they differ the
 * real node is right, and the emulator is what gets fixed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startEsEmulator, type EsEmulator } from './es-emulator/index.js';
import { toDocumentBatch } from '../server/src/queue/to-document-batch.js';
import { ElasticsearchSink } from '../server/src/sinks/elasticsearch.js';
import { fieldTypes } from '../server/src/sinks/data-stream-check.js';
import { indexTemplate } from '../server/src/sinks/index-template.js';
import { fitTemplate, typesMissingFrom } from '../server/src/sinks/template-fit.js';
import { auditLine } from './support/audit-records.js';
import { ElasticsearchNode, esVersions } from './support/elasticsearch-node.js';

interface Target { url: string }
interface Answer { status: number; body: any }

const MAX_CONTENT_LENGTH = 1024 * 1024;
const BULK_FILTER = 'errors,items.*.status,items.*.error.type,items.*.error.reason,items.*.error.caused_by.type,items.*.error.caused_by.reason';
const STREAM = 'logs-contract-default';

async function call(target: Target, method: string, path: string, body?: unknown): Promise<Answer> {
  const ndjson = typeof body === 'string';
  const response = await fetch(`${target.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': ndjson ? 'application/x-ndjson' : 'application/json' },
    body: body === undefined ? undefined : ndjson ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? '' : JSON.parse(text) };
}

/** An error answer without what ES computes its own way (root_cause) or makes up (uuids). */
function plainError(answer: Answer): Answer {
  const strip = (value: any): any => {
    if (Array.isArray(value)) return value.map(strip);
    if (typeof value !== 'object' || value === null) return value;
    return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'root_cause' && key !== 'index_uuid').map(([key, v]) => [key, strip(v)]));
  };
  return { status: answer.status, body: strip(answer.body) };
}

function bulk(lines: unknown[]): string {
  return lines.map((line) => JSON.stringify(line)).join('\n') + '\n';
}

const doc = (n: number, extra: Record<string, unknown> = {}) => ({ '@timestamp': '2024-05-01T10:00:00.000Z', user: { id: `u${n}` }, event: { action: 'login' }, source: { ip: '10.0.0.1' }, ...extra });

/**
 * Each scenario answers a plain value; run in this order on a fresh cluster, both sides must answer
 * the same. `expect` checks the real node's answer is the one the scenario is about.
 */
type Scenario = [name: string, run: (target: Target) => Promise<unknown>, expect?: (answer: any) => void];
const SCENARIOS: Scenario[] = [
  ['the version, from the node list', async (t) => Object.values((await call(t, 'GET', '/_nodes/_local?filter_path=nodes.*.version')).body.nodes)],
  ['the modules', async (t) => Object.values((await call(t, 'GET', '/_nodes/_local/plugins?filter_path=nodes.*.modules.name')).body.nodes)],
  ['GET / without the rest-root module', async (t) => call(t, 'GET', '/'), (a) => assert.equal(a.status, 405)],
  ['the data stream API without the data-streams module', async (t) => [await call(t, 'PUT', '/_data_stream/logs-contract-api'), await call(t, 'GET', '/_data_stream/logs-contract-api')],
    (a) => assert.ok(a.every((answer: Answer) => answer.status === 405 || answer.status === 400))],
  ['mapper types the distribution has and lacks', async (t) => {
    const answers: unknown[] = [];
    for (const type of ['keyword', 'ip', 'date', 'boolean', 'flattened', 'geo_point', 'text', 'constant_keyword', 'wildcard', 'match_only_text', 'scaled_float']) {
      const field = type === 'scaled_float' ? { type, scaling_factor: 100 } : { type };
      answers.push([type, plainError(await call(t, 'PUT', `/_index_template/contract-${type.replaceAll('_', '-')}`, { index_patterns: [`contract-${type.replaceAll('_', '-')}-*`], template: { mappings: { properties: { f: field } } } }))]);
    }
    return answers;
  }, (a) => assert.deepEqual(a.map(([type, answer]: [string, Answer]) => [type, answer.status]), [
    ['keyword', 200], ['ip', 200], ['date', 200], ['boolean', 200], ['flattened', 200], ['geo_point', 200], ['text', 200],
    ['constant_keyword', 400], ['wildcard', 400], ['match_only_text', 400], ['scaled_float', 400],
  ])],
  ['our template, fitted to the modules, with a lifecycle', async (t) => {
    const modules = (Object.values((await call(t, 'GET', '/_nodes/_local/plugins?filter_path=nodes.*.modules.name')).body.nodes)[0] as { modules: Array<{ name: string }> }).modules.map((m) => m.name);
    const { template } = fitTemplate(indexTemplate({ lifecycle: { data_retention: '30d' } }), typesMissingFrom(modules));
    const put = await call(t, 'PUT', '/_index_template/contract-ours', { ...template, index_patterns: ['logs-contract-*'] });
    const got = await call(t, 'GET', '/_index_template/contract-ours?filter_path=index_templates.index_template.priority,index_templates.index_template.data_stream,index_templates.index_template.template.lifecycle');
    return [put, got];
  }, (a) => assert.deepEqual(a[1].body.index_templates[0].index_template.template.lifecycle, { enabled: true, data_retention: '30d' })],
  ['a data stream created by a document it refuses', async (t) => [
    await call(t, 'POST', `/_bulk?require_data_stream=true&filter_path=${BULK_FILTER}`, bulk([{ create: { _index: STREAM } }, {}])),
    await call(t, 'GET', `/_resolve/index/${STREAM}`),
  ], (a) => assert.equal(a[1].body.data_streams[0].name, STREAM)],
  ['bulk create with ids: 201, then 409 for an id that is there', async (t) => [
    await call(t, 'POST', `/_bulk?pipeline=_none&filter_path=${BULK_FILTER}`, bulk([{ create: { _index: STREAM, _id: 'a' } }, doc(1), { create: { _index: STREAM, _id: 'b' } }, doc(2)])),
    await call(t, 'POST', `/_bulk?pipeline=_none&filter_path=${BULK_FILTER}`, bulk([{ create: { _index: STREAM, _id: 'a' } }, doc(3), { create: { _index: STREAM, _id: 'c' } }, doc(4)])),
  ], (a) => assert.deepEqual(a.map((answer: Answer) => answer.body.items.map((item: any) => item.create.status)), [[201, 201], [409, 201]])],
  ['documents the mapping refuses, with their reasons', async (t) => call(t, 'POST', `/_bulk?filter_path=${BULK_FILTER}`, bulk([
    { create: { _index: STREAM, _id: 'bad-ip' } }, doc(5, { source: { ip: 'not-an-ip' } }),
    { create: { _index: STREAM, _id: 'scalar-object' } }, doc(6, { user: 'scalar' }),
    { create: { _index: STREAM, _id: 'object-keyword' } }, doc(7, { user: { id: { nested: 'x' } } }),
    { create: { _index: STREAM, _id: 'no-time' } }, { user: { id: 'u8' } },
    { create: { _index: STREAM, _id: 'bad-time' } }, doc(9, { '@timestamp': '2021-12-04 23:19:32.051 Z' }),
    { index: { _index: STREAM, _id: 'indexed' } }, doc(10),
  ])), (a) => assert.deepEqual(a.body.items.map((item: any) => (Object.values(item)[0] as { status: number }).status), [400, 400, 400, 400, 400, 400])],
  ['_count and _search of what was written', async (t) => {
    await call(t, 'POST', `/${STREAM}/_refresh`);
    const count = (await call(t, 'GET', `/${STREAM}/_count`)).body.count;
    const term = (await call(t, 'POST', `/${STREAM}/_count`, { query: { term: { 'user.id': 'u2' } } })).body.count;
    const hits = (await call(t, 'POST', `/${STREAM}/_search`, { query: { term: { 'user.id': 'u1' } } })).body.hits;
    return { count, term, total: hits.total, found: hits.hits.map((h: { _id: string; _source: unknown }) => [h._id, h._source]) };
  }, (a) => assert.deepEqual([a.count, a.term, a.found.map(([id]: [string]) => id)], [3, 1, ['a']])],
  ['the mapping as the node reports it', async (t) => {
    const write = (await call(t, 'GET', `/_resolve/index/${STREAM}`)).body.data_streams[0].backing_indices.at(-1);
    const mapping = (await call(t, 'GET', `/${write}/_mapping`)).body;
    return [...fieldTypes(mapping[write].mappings.properties)].filter(([field]) => /^(@timestamp|user|source|event|data_stream|mattermost\.audit\.(session|event))/.test(field)).sort();
  }],
  ['a bulk body over http.max_content_length', async (t) => {
    const lines = Array.from({ length: 1200 }, (_, n) => [{ create: { _index: STREAM, _id: `long-${n}` } }, doc(n, { padding: 'x'.repeat(900) })]).flat();
    return call(t, 'POST', '/_bulk', bulk(lines));
  }, (a) => assert.deepEqual(a, { status: 413, body: '' })],
  ['the sink: prepare, data stream, writes, check', async (t) => {
    const sink = new ElasticsearchSink({ url: t.url, dataStream: 'logs-mattermost.audit-contract' });
    try {
      const prepared = await sink.prepare();
      const created = await sink.ensureDataStream('logs-mattermost.audit-contract');
      const batch = toDocumentBatch({
        records: [{ text: auditLine(1, 'contract') }, { text: auditLine(2, 'contract') }, { text: JSON.stringify({ timestamp: '2021-12-04 23:19:32.051 Z', event: 'createTeam', status: 'success', user_id: 'c', team: 'x' }) }],
        source: { input: 'http' }, receivedAt: '2024-05-01T10:00:00.000Z',
      }, { namespace: 'contract', receivedAt: '2024-05-01T10:00:00.000Z' });
      const first = await sink.write(batch);
      const again = await sink.write(batch);
      const { target: _url, ...health } = await sink.check();
      return { prepared, created, first, again, health };
    } finally {
      await sink.close();
    }
  }, (a) => {
    assert.equal(a.created, 'created by a first write');
    assert.deepEqual([a.first.length, a.again.length], [1, 1], 'the refused document both times; the others stored, then 409');
    assert.equal(a.health.reachable, true);
  }],
];

for (const version of esVersions()) {
  describe(`the emulator answers as Elasticsearch ${version} (integ-test distribution)`, () => {
    let node: ElasticsearchNode;
    let emulator: EsEmulator;
    const real: unknown[] = [];
    const emulated: unknown[] = [];

    before(async () => {
      [node, emulator] = await Promise.all([
        ElasticsearchNode.start({ version, settings: { 'http.max_content_length': '1mb' } }),
        startEsEmulator({ version, flavor: 'integ-test', maxContentLength: MAX_CONTENT_LENGTH }),
      ]);
      // In order on each side: a scenario may build on what the ones before it made.
      for (const [, scenario] of SCENARIOS) real.push(await scenario(node));
      for (const [, scenario] of SCENARIOS) emulated.push(await scenario(emulator));
    });

    after(async () => {
      await Promise.all([node?.stop(), emulator?.close()]);
    });

    SCENARIOS.forEach(([name, , expect], i) => {
      test(name, () => {
        expect?.(real[i]);
        assert.deepEqual(emulated[i], real[i]);
      });
    });
  });
}
