/**
 * No record holds up its neighbours: a record nested thousands of levels deep, over the webhook
 * and in a tailed file, and a document Elasticsearch refuses the whole bulk request for. The
 * forwarder runs as a child process on real Redis; documents are counted in the emulator.
 */
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startEsEmulator, type EsEmulator } from './es-emulator/index.js';
import { auditLine } from './support/audit-records.js';
import { eventually, ForwarderProcess } from './support/forwarder-process.js';
import { RedisServer } from './support/redis-server.js';

const DATA_STREAM = 'logs-mattermost.audit-default';
let redis: RedisServer;
let es: EsEmulator;
let dir: string;
const forwarders: ForwarderProcess[] = [];

before(async () => {
  redis = await RedisServer.start();
  es = await startEsEmulator();
  dir = await mkdtemp(join(tmpdir(), 'mae-poison-'));
});

after(async () => {
  await Promise.all(forwarders.map((forwarder) => forwarder.stop()));
  await es?.close();
  await redis?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function forwarder(name: string, env: Record<string, string> = {}): Promise<ForwarderProcess> {
  const started = await ForwarderProcess.start({
    REDIS_URL: redis.url, ELASTICSEARCH_URL: es.url, DATA_DIR: join(dir, name), QUEUE_PREFIX: `{poison-${name}}`, ...env,
  }, join(dir, `${name}.log`));
  forwarders.push(started);
  return started;
}

function tagged(tag: string): any[] {
  return es.documents(DATA_STREAM).map((d) => d._source as any).filter((d) => String(d.user?.id).startsWith(`${tag}-`));
}

/** A legacy line whose `team` object nests `levels` deep: the 18 KB stack overflow. */
function deeplyNested(levels: number, tag: string): string {
  const line = JSON.parse(auditLine(0, tag)) as Record<string, unknown>;
  line.user_id = `${tag}-deep`;
  return JSON.stringify(line).replace(/}$/, `,"team":${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}}`);
}

test('delivers the 50 neighbours of a deeply nested record in one batch; the record becomes a pipeline_error document', async () => {
  const forwarding = await forwarder('webhook');
  const lines = Array.from({ length: 50 }, (_, i) => auditLine(i, 'deep'));
  lines.splice(25, 0, deeplyNested(3000, 'deep'));
  const response = await forwarding.post(lines.join('\n'));
  assert.equal(response.status, 202);
  assert.deepEqual(await response.json(), { accepted: 51 });
  // A valid body that is one array nested 100,000 deep: one record, not an endless 503.
  const array = await forwarding.post(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
  assert.equal(array.status, 202);
  await eventually(() => tagged('deep').length === 50, 'the 50 neighbours');
  const errors = () => es.documents(DATA_STREAM).map((d) => d._source as any).filter((d) => d.event.kind === 'pipeline_error');
  await eventually(() => errors().some((d) => String(d.event.original).includes('"deep-deep"')), 'the deep record as a document');
  const nested = errors().find((d) => String(d.event.original).includes('"deep-deep"'));
  assert.match(nested.error.message.join(' '), /deeper than Elasticsearch accepts/);
  assert.equal(nested.event.original, lines[25], 'its original is kept');
  assert.equal(nested.user, undefined, 'the deep record keeps no fields of its own');
  await eventually(() => errors().some((d) => String(d.event.original).startsWith('[[[[')), 'the deep array as a document');
  const deadLetters = (await (await forwarding.admin('/v1/dead-letters')).json()) as { count: number };
  assert.equal(deadLetters.count, 0);
});

test('sends the rest of a batch when Elasticsearch refuses the whole bulk request (400) for one document; that one is a dead letter with the reason', async () => {
  const forwarding = await forwarder('bisect', { BATCH_SIZE: '1000' });
  // 413 is the sink's own business (it sends smaller requests); a 400 for the whole request is the batch's.
  es.setFault({ bulkStatusWhenIncludes: { text: 'poison-record', status: 400 } });
  try {
    const lines = Array.from({ length: 50 }, (_, i) => auditLine(i, 'bisect'));
    lines.splice(10, 0, auditLine(999, 'bisect').replace('"sess"', '"poison-record"'));
    assert.equal((await forwarding.post(lines.join('\n'))).status, 202);
    await eventually(() => tagged('bisect').length === 50, 'the 50 neighbours');
    let letters: any;
    await eventually(async () => {
      letters = await (await forwarding.admin('/v1/dead-letters')).json();
      return letters.count === 1;
    }, 'one dead letter');
    assert.equal(letters.deadLetters[0].status, 400);
    assert.match(letters.deadLetters[0].reason, /Elasticsearch refused the bulk request: HTTP 400 illegal_argument_exception/);
    assert.match(letters.deadLetters[0].record.text, /poison-record/);
    assert.ok(!tagged('bisect').some((d) => d.user.id === 'bisect-999'));
  } finally {
    es.setFault({});
  }
});

test('the file tail goes on past a line nested thousands of levels deep', async () => {
  const log = join(dir, 'audit.log');
  await writeFile(log, `${auditLine(0, 'tail')}\n${deeplyNested(5000, 'tail')}\n${'['.repeat(50_000)}${']'.repeat(50_000)}\n`);
  await forwarder('tail', { AUDIT_LOG_PATHS: log });
  await appendFile(log, `${Array.from({ length: 20 }, (_, i) => auditLine(i + 1, 'tail')).join('\n')}\n`);
  await eventually(() => tagged('tail').length === 21, 'the lines around the deep ones');
  const fromFile = es.documents(DATA_STREAM).map((d) => d._source as any).filter((d) => d.log?.file?.path === log);
  assert.equal(fromFile.length, 23, 'every line is one document');
  assert.equal(fromFile.filter((d) => d.event.kind === 'pipeline_error').length, 2);
});
