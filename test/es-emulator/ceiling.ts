/**
 * The emulator's throughput ceiling: one serial client (the real ES client, as the forwarder uses it)
 * posting prepared 1,000-document bulk bodies into a data stream under the product's template, so
 * the mapping check runs on every document. Prints one JSON line; not a unit test.
 * With `--documents legacy` it posts what rsyslog posts in `make bench` instead: the parsed legacy
 * audit lines, `index` into a plain index with dynamic mapping (es_emulator_ceiling_legacy).
 *   node --import tsx test/es-emulator/ceiling.ts [--seconds 5] [--documents ecs|legacy]
 */
import { Client } from '@elastic/elasticsearch';
import { indexTemplate, TEMPLATE_NAME } from '../../server/src/sinks/index-template.js';
import { legacyLines } from '../../bench/record-mix.js';
import { startEsEmulator } from './index.js';

const DOCS_PER_BULK = 1000;
const BODIES = 20;
const secondsArg = process.argv.indexOf('--seconds');
const seconds = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 5;
const documentsArg = process.argv.indexOf('--documents');
const legacy = documentsArg > 0 && process.argv[documentsArg + 1] === 'legacy';

/** Shaped like the forwarder's ECS output: about 1 KB, nested, with ip, date, keyword and flattened fields. */
function documentFor(n: number): Record<string, unknown> {
  return {
    '@timestamp': new Date(1_638_659_972_000 + n).toISOString(),
    ecs: { version: '8.11.0' },
    data_stream: { type: 'logs', dataset: 'mattermost.audit', namespace: 'default' },
    event: { action: 'updateConfig', category: ['configuration'], type: ['change'], kind: 'event', outcome: 'success', id: `evt-${n}`, ingested: new Date().toISOString() },
    user: { id: `user-${n}`, name: 'admin' },
    source: { ip: '10.0.0.1' },
    client: { ip: '10.0.0.1' },
    http: { request: { id: `req-${n}` } },
    url: { path: '/api/v4/config', original: '/api/v4/config?x=1' },
    user_agent: { original: 'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0', name: 'Firefox', version: '121.0', os: { name: 'Linux' } },
    mattermost: { audit: { cluster: { id: 'cluster' }, session: { id: 'sess' }, event: { parameters: { config: { a: 1, b: 'two', c: [1, 2, 3] } } } } },
    related: { ip: ['10.0.0.1'], user: [`user-${n}`] },
    host: { name: 'mattermost-1' },
    tags: ['mattermost-audit-elastic'],
  };
}

function bulkBody(batch: number): string {
  if (legacy) {
    // rsyslog's bulk items: an action line without an id, the record as mmjsonparse re-serializes it.
    const lines = legacyLines(DOCS_PER_BULK, Date.UTC(2024, 0, 1) + batch * DOCS_PER_BULK * 37);
    return lines.map((line) => `{"index":{"_index":"rsyslog-ceiling"}}\n${JSON.stringify(JSON.parse(line))}\n`).join('');
  }
  let body = '';
  for (let i = 0; i < DOCS_PER_BULK; i++) {
    const n = batch * DOCS_PER_BULK + i;
    body += `{"create":{"_index":"logs-mattermost.audit-default","_id":"id-${n}"}}\n${JSON.stringify(documentFor(n))}\n`;
  }
  return body;
}

const es = await startEsEmulator();
const client = new Client({ node: es.url, maxRetries: 0, compression: false });
const putTemplate = () => client.transport.request({ method: 'PUT', path: `/_index_template/${TEMPLATE_NAME}`, body: indexTemplate({ lifecycle: {} }) });
const bodies = Array.from({ length: BODIES }, (_, i) => bulkBody(i));

let sent = 0;
let round = 0;
const started = process.hrtime.bigint();
const deadline = started + BigInt(Math.round(seconds * 1e9));
while (process.hrtime.bigint() < deadline) {
  // Fresh documents each time: a reset keeps memory flat and every item a real 201, not a 409.
  if (round % BODIES === 0) {
    es.reset();
    await putTemplate();
  }
  const response = (await client.transport.request({
    method: 'POST', path: '/_bulk', querystring: { pipeline: '_none', filter_path: 'errors,items.*.status,items.*.error.type,items.*.error.reason' },
    bulkBody: bodies[round % BODIES]!,
  })) as { errors: boolean };
  if (response.errors) throw new Error('the ceiling run expects every item to be created');
  sent += DOCS_PER_BULK;
  round++;
}
const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
console.log(JSON.stringify({ bench: legacy ? 'es_emulator_ceiling_legacy' : 'es_emulator_ceiling', value: Math.round(sent / elapsed), unit: 'docs/s' }));
await client.close();
await es.close();
