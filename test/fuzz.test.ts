/**
 * Fuzzing the transform and the webhook with seeded random input (test/support/fuzz-input.ts):
 * random bytes, random JSON of random depth and width, huge strings, records with random values.
 * Every line becomes exactly one document, the forwarder stays up and its memory bounded.
 * FUZZ_SEED picks the sequence (printed on failure); FUZZ_SCALE=50 runs 50 times as much.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, test } from 'node:test';
import { toDocumentBatch } from '../server/src/queue/to-document-batch.js';
import { toEcsJson } from '../server/src/transform/index.js';
import { auditLine } from './support/audit-records.js';
import { eventually, ForwarderProcess } from './support/forwarder-process.js';
import { FuzzInput } from './support/fuzz-input.js';
import { RedisServer } from './support/redis-server.js';

const SEED = Number(process.env.FUZZ_SEED ?? 18);
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const MAX_RECORD_BYTES = 1024 * 1024;
const RSS_LIMIT_BYTES = 300 * 1024 * 1024;
const meta = { receivedAt: '2026-01-01T00:00:00.000Z', maxRecordBytes: MAX_RECORD_BYTES };

function seeded(what: string): string {
  return `${what} (FUZZ_SEED=${SEED} reproduces it)`;
}

test('the transform makes exactly one document of every line, whatever it holds', () => {
  const input = new FuzzInput(SEED);
  const lines = Array.from({ length: 1500 * SCALE }, () => input.line());
  for (const [i, line] of lines.entries()) {
    // What the transform threads and the CLI write: toEcs, then JSON, one record at a time.
    const doc = JSON.parse(toEcsJson(line, meta));
    assert.equal(typeof doc.event, 'object', seeded(`line ${i}`));
    assert.ok(doc['@timestamp'], seeded(`line ${i} has a @timestamp`));
    if (doc.event.kind === 'pipeline_error') {
      assert.ok(Buffer.byteLength(doc.event.original) <= MAX_RECORD_BYTES, seeded(`line ${i} keeps its original within the size limit`));
    }
  }
  const records = lines.slice(0, 300).map((line) => ({ text: line.toString('utf8') }));
  const batch = toDocumentBatch({ records, source: { input: 'http' }, receivedAt: meta.receivedAt }, meta);
  assert.equal(batch.ids.length, records.length, seeded('one document per record in a batch'));
});

let redis: RedisServer;
let dir: string;
let forwarder: ForwarderProcess;

/** Started by the webhook test itself: a connection kept alive through the long synchronous test above would be stale. */
async function startForwarder(): Promise<void> {
  redis = await RedisServer.start();
  dir = await mkdtemp(join(tmpdir(), 'mae-fuzz-'));
  forwarder = await ForwarderProcess.start({ REDIS_URL: redis.url, DATA_DIR: dir, BATCH_SIZE: '200' }, join(dir, 'forwarder.log'), { built: true });
}

after(async () => {
  await forwarder?.stop();
  await redis?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A body of random lines (NDJSON, the first line a plain record) or a JSON array of random values. */
function body(input: FuzzInput, n: number): { bytes: Buffer; records: number } {
  if (input.next() < 0.25) {
    const elements: string[] = [];
    for (let count = 1 + input.int(200), size = 0; count > 0 && size < 4 * 1024 * 1024; count--) {
      elements.push(input.next() < 0.5 ? input.record() : input.json(6));
      size += elements.at(-1)!.length;
    }
    return { bytes: Buffer.from(`[${elements.join(',')}]`), records: elements.length };
  }
  const lines: Buffer[] = [Buffer.from(auditLine(n, 'fuzz'))];
  let size = lines[0]!.length;
  for (let count = input.int(400); count > 0 && size < 4 * 1024 * 1024; count--) {
    const line = input.line();
    lines.push(line);
    size += line.length + 1;
  }
  const separator = input.next() < 0.2 ? '\r\n' : '\n';
  return { bytes: Buffer.concat(lines.flatMap((line, i) => (i === 0 ? [line] : [Buffer.from(separator), line]))), records: lines.length };
}

function sinkDocuments(): number {
  let count = 0;
  for (const file of readdirSync(dir).filter((name) => name.startsWith('audit.ndjson'))) {
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      if (line === '') continue;
      assert.equal(typeof JSON.parse(line).event, 'object');
      count++;
    }
  }
  return count;
}

test('the webhook takes random bodies, one document per line, and the forwarder stays up with bounded memory', async () => {
  await startForwarder();
  const input = new FuzzInput(SEED + 1);
  let expected = 0;
  for (let n = 0; n < 12 * SCALE; n++) {
    const { bytes, records } = body(input, n);
    const gzip = input.next() < 0.3;
    const response = await forwarder.post(gzip ? gzipSync(bytes) : bytes, gzip ? { 'content-encoding': 'gzip' } : {});
    assert.equal(response.status, 202, seeded(`body ${n}: ${await response.clone().text()}`));
    assert.deepEqual(await response.json(), { accepted: records }, seeded(`body ${n}`));
    expected += records;
  }
  // Random bytes as a whole body, and a gzip body that is not gzip: answered, never a crash.
  for (let n = 0; n < 5; n++) assert.equal((await forwarder.post(Buffer.concat([input.bytesLine(), Buffer.from('\n'), input.bytesLine()]))).status, 202);
  assert.equal((await forwarder.post(input.bytesLine(), { 'content-encoding': 'gzip' })).status, 400);
  expected += 5 * 2;
  const status = async () => (await (await forwarder.admin('/v1/status')).json()) as any;
  await eventually(async () => (await status()).sink.delivered >= expected, seeded(`${expected} documents delivered`), 120_000);
  const final = await status();
  assert.equal(final.sink.delivered, expected, seeded('no more documents than lines'));
  assert.equal(final.queue.deadLetters, 0);
  assert.equal(sinkDocuments(), expected, seeded('every line one document in the file sink'));
  assert.equal((await fetch(`${forwarder.url}/healthz`)).status, 200);
  const peak = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${forwarder.pid}/status`, 'utf8'))?.[1]) * 1024;
  assert.ok(peak < RSS_LIMIT_BYTES, `peak RSS ${Math.round(peak / 1024 / 1024)} MB`);
});
