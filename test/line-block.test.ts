import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { createLogger } from '../server/src/logger.js';
import type { LineBatch } from '../server/src/queue/batch.js';
import { toDocumentBatch } from '../server/src/queue/to-document-batch.js';
import { TransformPool } from '../server/src/queue/transform-pool.js';
import { blockLength, blockRecords, isBlankLine, lineBlockOf, LineSplitter, recordFromLine, sliceBlock, type RawRecord } from '../server/src/records/index.js';
import { sharedFixture } from './support/shared-fixtures.js';

const MAX = 60;

/** A stream with what a file can hold: blank lines, CRLF, lines over the cap, invalid UTF-8, multi-byte characters. */
function edgeStream(): Buffer {
  const parts = [
    Buffer.from('{"a":1}'), Buffer.from(''), Buffer.from('  \t'), Buffer.from('{"crlf":true}\r'), Buffer.from(`{"long":"${'x'.repeat(2 * MAX)}"}`),
    Buffer.from('{"name":"Zoë 😀"}'), Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), Buffer.from(`{"edge":"${'y'.repeat(MAX - 11)}"}`),
  ];
  return Buffer.concat(Array.from({ length: 7 }, () => parts.flatMap((part) => [part, Buffer.from('\n')])).flat());
}

/** The records the file input made before blocks: recordFromLine of every line that is not blank. */
function recordsOneByOne(stream: Buffer, cut: (at: number) => number): RawRecord[] {
  const splitter = new LineSplitter(MAX);
  const records: RawRecord[] = [];
  for (let at = 0; at < stream.length;) {
    const chunk = Buffer.from(stream.subarray(at, at + cut(at)));
    records.push(...splitter.push(chunk).filter((line) => !isBlankLine(line.bytes)).map(recordFromLine));
    at += chunk.length;
  }
  return records;
}

function recordsByBlocks(stream: Buffer, cut: (at: number) => number): RawRecord[] {
  const splitter = new LineSplitter(MAX);
  const records: RawRecord[] = [];
  for (let at = 0; at < stream.length;) {
    const chunk = Buffer.from(stream.subarray(at, at + cut(at)));
    const block = lineBlockOf(splitter.push(chunk));
    // The read buffer is used again by the next read: the block must hold copies, not views.
    chunk.fill(0x21);
    records.push(...blockRecords(block));
    at += chunk.length;
  }
  return records;
}

test('a read as a block gives the records one record per line gave: text, offsets, truncation and invalid UTF-8, however the file is cut', () => {
  const stream = edgeStream();
  let seed = 7;
  const random = (n: number) => ((seed = (seed * 48271) % 2147483647) % n);
  for (let round = 0; round < 200; round++) {
    const sizes = new Map<number, number>();
    const cut = (at: number) => {
      if (!sizes.has(at)) sizes.set(at, round === 0 ? stream.length : 1 + random(round % 2 ? 9 : 150));
      return sizes.get(at)!;
    };
    const expected = recordsOneByOne(stream, cut);
    assert.deepEqual(recordsByBlocks(stream, cut), expected, `round ${round}`);
    assert.ok(expected.some((record) => record.invalidUtf8) && expected.some((record) => record.truncatedFromBytes), 'the stream holds the edge cases');
  }
});

test('slices of a block hold its records in order, each with its own offsets and flags', () => {
  const splitter = new LineSplitter(MAX);
  const block = lineBlockOf(splitter.push(edgeStream()));
  const whole = blockRecords(block);
  for (const size of [1, 3, 8, whole.length]) {
    const parts: RawRecord[] = [];
    for (let from = 0; from < whole.length; from += size) parts.push(...blockRecords(sliceBlock(block, from, Math.min(whole.length, from + size))));
    assert.deepEqual(parts, whole, `slices of ${size}`);
  }
  assert.equal(blockLength(sliceBlock(block, 2, 2)), 0);
});

const fixtureLines = readFileSync(sharedFixture('elastic', 'test-audit.log'), 'utf8').split('\n').filter((l) => l !== '');
const meta = { namespace: 'block', keepOriginal: false, receivedAt: '2026-12-01T00:00:00.000Z', maxRecordBytes: 1024 * 1024 };
const source = { input: 'file' as const, identity: 'block-test', path: '/var/log/mattermost/audit.log' };

test('a batch of lines as bytes becomes the same bulk body as the same lines as records, on a transform thread too', async () => {
  // With a line of several-byte characters and one of invalid UTF-8: ids hash a line's bytes only where they are its text.
  const text = `${Array.from({ length: 398 }, (_, i) => fixtureLines[i % fixtureLines.length]).join('\n')}\n${fixtureLines[0]!.replace('}', ',"note":"Zoë 😀"}')}\n`;
  const lines = new LineSplitter(1024 * 1024).push(Buffer.concat([Buffer.from(text), Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d, 0x0a])]));
  const records = lines.map(recordFromLine);
  const batch: LineBatch = { lines: lineBlockOf(lines), source, receivedAt: meta.receivedAt };
  const expected = toDocumentBatch({ records, source, receivedAt: meta.receivedAt }, meta);
  assert.deepEqual(toDocumentBatch(batch, meta), expected);
  const pool = new TransformPool(1, {}, undefined, createLogger('error', new Writable({ write: (_chunk, _enc, done) => done() })));
  try {
    const threaded = await pool.run(batch, meta);
    assert.equal(Buffer.from(threaded.bytes).toString(), Buffer.from(expected.bytes).toString());
    assert.deepEqual(threaded.ids, expected.ids);
    assert.equal(expected.ids.length, 400);
  } finally {
    await pool.close();
  }
});
