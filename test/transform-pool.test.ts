import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { createLogger } from '../server/src/logger.js';
import type { AuditBatch } from '../server/src/queue/batch.js';
import { TransformPool } from '../server/src/queue/transform-pool.js';
import { openGeoLookup } from '../server/src/transform/index.js';
import { writeTestGeoIpDatabases } from './support/geoip-fixtures.js';
import { sharedFixture } from './support/shared-fixtures.js';

const lines = readFileSync(sharedFixture('elastic', 'test-audit.log'), 'utf8').split('\n').filter((l) => l !== '');
const logLines: string[] = [];
const logger = createLogger('debug', new Writable({ write(chunk, _enc, done) { logLines.push(chunk.toString()); done(); } }));
const meta = { namespace: 'pool', keepOriginal: false, receivedAt: '2026-11-28T00:00:00.000Z', maxRecordBytes: 1024 * 1024 };

function batchOf(from: number, count: number): AuditBatch {
  const records = Array.from({ length: count }, (_, i) => ({ text: lines[(from + i) % lines.length]!, offset: (from + i) * 1000 }));
  return { records, source: { input: 'file', identity: 'pool-test', path: '/var/log/mattermost/audit.log' }, receivedAt: meta.receivedAt };
}

test('transforms on worker threads exactly the documents the main thread makes, GeoIP included', async () => {
  const databases = await writeTestGeoIpDatabases(await mkdtemp(join(tmpdir(), 'mae-pool-geo-')));
  const geo = await openGeoLookup(databases);
  const threaded = new TransformPool(2, databases, geo, logger);
  const inline = new TransformPool(0, databases, geo, logger);
  try {
    const batches = Array.from({ length: 6 }, (_, i) => batchOf(i * 50, 50));
    const fromThreads = await Promise.all(batches.map((batch) => threaded.run(batch, meta)));
    const fromMain = await Promise.all(batches.map((batch) => inline.run(batch, meta)));
    assert.deepEqual(fromThreads, fromMain);
    // The bytes are a bulk body: an action line, then the document, per record.
    const lines = fromThreads.flatMap((b) => Buffer.from(b.bytes).toString('utf8').split('\n').slice(0, -1).map((l) => JSON.parse(l)));
    const actions = lines.filter((_, i) => i % 2 === 0) as Array<{ create: { _index: string; _id: string } }>;
    const docs = lines.filter((_, i) => i % 2 === 1) as Array<{ source?: { geo?: unknown }; log: { offset: number } }>;
    assert.equal(docs.length, 300);
    assert.deepEqual(actions.map((a) => a.create._id), fromThreads.flatMap((b) => b.ids));
    assert.ok(actions.every((a) => a.create._index === 'logs-mattermost.audit-pool'));
    assert.deepEqual(docs.map((d) => d.log.offset), Array.from({ length: 300 }, (_, i) => i * 1000));
    assert.ok(docs.some((d) => d.source?.geo !== undefined), 'the threads looked up GeoIP too');
    assert.equal(new Set(fromThreads.flatMap((b) => b.ids)).size, 300, 'each offset gives its own id');
  } finally {
    await threaded.close();
    await inline.close();
  }
  assert.deepEqual(logLines.filter((l) => l.includes('transform thread')), [], 'no thread failed or restarted');
});

test('transforms on the main thread a batch too big for a thread, and the thread comes back', async () => {
  logLines.length = 0;
  const pool = new TransformPool(1, {}, undefined, logger);
  try {
    // 120 records of 900 KB: far more than a thread's 64 MB heap holds at once.
    const big = JSON.stringify({ timestamp: '2021-12-04 23:19:32.051 Z', event: 'updateConfig', status: 'success', user_id: 'u', padding: 'p'.repeat(900_000) });
    const batch: AuditBatch = { records: Array.from({ length: 120 }, (_, i) => ({ text: big, offset: i * 1_000_000 })), source: { input: 'file', identity: 'big', path: '/big.log' }, receivedAt: meta.receivedAt };
    const documents = await pool.run(batch, meta);
    assert.equal(documents.ids.length, 120);
    assert.ok(logLines.some((l) => l.includes('transforming it on the main thread')), 'the thread lost the batch');
    assert.ok(logLines.some((l) => l.includes('transform thread exited: starting another')), 'the thread is replaced');
    // The replaced thread takes the next batch.
    logLines.length = 0;
    await new Promise((resolve) => setTimeout(resolve, 200));
    const small = await pool.run(batchOf(0, 10), meta);
    assert.equal(small.ids.length, 10);
    assert.ok(!logLines.some((l) => l.includes('transforming it on the main thread')));
  } finally {
    await pool.close();
  }
});

test('a batch the sink has taken gives its buffer back to its thread, which writes a later batch into it', async () => {
  const threaded = new TransformPool(1, {}, undefined, logger);
  const inline = new TransformPool(0, {}, undefined, logger);
  try {
    const big = await threaded.run(batchOf(0, 200), meta);
    const bigBuffer = big.bytes.buffer.byteLength;
    const fresh = await threaded.run(batchOf(0, 5), meta);
    assert.ok(fresh.bytes.buffer.byteLength < bigBuffer / 10, 'a small batch gets a buffer of its size');
    threaded.recycle(big);
    // Given back, not shared: the taken batch's bytes are gone from this thread, so nothing here reads them again.
    assert.equal(big.bytes.byteLength, 0);
    threaded.recycle(big);
    const later = batchOf(300, 5);
    const reused = await threaded.run(later, meta);
    assert.equal(reused.bytes.buffer.byteLength, bigBuffer, 'the small batch is written into the big one\'s buffer');
    assert.deepEqual(Buffer.from(reused.bytes), Buffer.from((await inline.run(later, meta)).bytes));
    // A batch the main thread made has no thread to go back to.
    const made = await inline.run(later, meta);
    inline.recycle(made);
    assert.ok(made.bytes.byteLength > 0);
  } finally {
    await threaded.close();
    await inline.close();
  }
});
