/**
 * The file sink's two formats, loaded into Elasticsearch as an admin would: `documents` lines are
 * the documents Elasticsearch stores (no `_id` inside), `bulk` files go to `_bulk` as they are.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { indexTemplate, TEMPLATE_NAME } from '../server/src/sinks/index-template.js';
import { startEsEmulator, type EsEmulator } from './es-emulator/index.js';
import { auditBody } from './support/audit-records.js';
import { eventually, ForwarderProcess } from './support/forwarder-process.js';
import { RedisServer } from './support/redis-server.js';

const DATA_STREAM = 'logs-mattermost.audit-default';
let redis: RedisServer;
let es: EsEmulator;
let dir: string;

before(async () => {
  redis = await RedisServer.start();
  es = await startEsEmulator();
  dir = await mkdtemp(join(tmpdir(), 'mae-formats-'));
});

beforeEach(async () => {
  es.reset();
  // Our own template, as `setup` puts it: the emulator then checks each document against its mapping.
  const put = await fetch(`${es.url}/_index_template/${TEMPLATE_NAME}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(indexTemplate()) });
  assert.equal(put.status, 200);
});

after(async () => {
  await es?.close();
  await redis?.stop();
});

function lines(path: string): string[] {
  return existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter((line) => line !== '') : [];
}

async function bulk(body: string): Promise<{ errors: boolean; items: Array<Record<string, { status: number; error?: { reason: string } }>> }> {
  const response = await fetch(`${es.url}/_bulk?pipeline=_none`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body });
  assert.equal(response.status, 200);
  return (await response.json()) as never;
}

/** A forwarder of its own (its own queue prefix) writing `count` records to its file sink, then stopped. */
async function writeFile(name: string, env: Record<string, string>, count: number): Promise<void> {
  const forwarder = await ForwarderProcess.start({ REDIS_URL: redis.url, DATA_DIR: dir, QUEUE_PREFIX: `{${name}}`, ...env }, join(dir, `${name}.log`));
  try {
    assert.equal((await forwarder.post(auditBody(0, count, name))).status, 202);
    await eventually(async () => ((await (await forwarder.admin('/v1/status')).json()) as any).sink.delivered >= count, `${count} delivered`);
  } finally {
    await forwarder.stop();
  }
}

test('writes the documents as Elasticsearch stores them: no _id inside, event.ingested set at delivery', async () => {
  const path = join(dir, 'documents.ndjson');
  const started = new Date(Math.floor(Date.now() / 1000) * 1000);
  await writeFile('documents', { FILE_SINK_PATH: path }, 40);
  const finished = new Date();
  const documents = lines(path).map((line) => JSON.parse(line));
  assert.equal(documents.length, 40);
  for (const document of documents) {
    assert.equal('_id' in document, false, 'no metadata field in the body');
    const ingested = new Date(document.event.ingested);
    assert.ok(ingested >= started && ingested <= finished, `event.ingested ${document.event.ingested} is the time of delivery`);
  }
  // An admin loading the file: an action line before each document line, ids left to Elasticsearch.
  const result = await bulk(lines(path).map((line) => `{"create":{"_index":"${DATA_STREAM}"}}\n${line}\n`).join(''));
  assert.deepEqual(result.items.map((item) => item.create!.status), Array(40).fill(201), JSON.stringify(result.items.find((item) => item.create!.status !== 201)));
  assert.equal(es.count(DATA_STREAM), 40);
});

test('FILE_SINK_FORMAT=bulk writes a body _bulk takes as it is, and taking it twice stores each document once', async () => {
  await writeFile('bulk', { FILE_SINK_FORMAT: 'bulk' }, 60);
  const path = join(dir, 'audit.bulk.ndjson');
  const text = readFileSync(path, 'utf8');
  const pairs = lines(path);
  assert.equal(pairs.length, 120, 'an action line and a document line per record');
  assert.deepEqual(Object.keys(JSON.parse(pairs[0]!)), ['create']);
  assert.equal('_id' in JSON.parse(pairs[1]!), false);

  const first = await bulk(text);
  assert.equal(first.errors, false);
  assert.deepEqual(first.items.map((item) => item.create!.status), Array(60).fill(201));
  const again = await bulk(text);
  assert.deepEqual(again.items.map((item) => item.create!.status), Array(60).fill(409), 'the same ids: already there');
  assert.equal(es.count(DATA_STREAM), 60);
  assert.deepEqual(new Set(es.documents(DATA_STREAM).map((d) => d._id)), new Set(pairs.filter((_, i) => i % 2 === 0).map((line) => JSON.parse(line).create._id)));
});
