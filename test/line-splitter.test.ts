import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineSplitter, type Line } from '../server/src/records/index.js';

const MAX = 40;

/** What any chunking must give: the stream's lines, CR stripped, capped at MAX bytes, with offsets. */
function expectedLines(stream: Buffer): Array<{ text: string; offset: number; truncatedFromBytes?: number }> {
  const lines = [];
  let offset = 0;
  for (let nl = stream.indexOf(10); nl !== -1; nl = stream.indexOf(10, offset)) {
    const raw = stream.subarray(offset, nl);
    const kept = raw.subarray(0, MAX);
    const text = (kept.at(-1) === 13 ? kept.subarray(0, -1) : kept).toString('latin1');
    lines.push(raw.length > MAX ? { text, offset, truncatedFromBytes: raw.length } : { text, offset });
    offset = nl + 1;
  }
  return lines;
}

function described(line: Line): { text: string; offset: number; truncatedFromBytes?: number } {
  const text = line.bytes.toString('latin1');
  return line.truncatedFromBytes === undefined ? { text, offset: line.offset } : { text, offset: line.offset, truncatedFromBytes: line.truncatedFromBytes };
}

test('gives the same lines and offsets however the stream is cut into chunks', () => {
  const parts = ['short', '', 'crlf line\r', 'x'.repeat(MAX), 'y'.repeat(MAX + 1), 'z'.repeat(3 * MAX) + '\r', 'last one'];
  const stream = Buffer.from(parts.map((part) => `${part}\n`).join('').repeat(5), 'latin1');
  const expected = expectedLines(stream);
  let seed = 1;
  const random = (n: number) => ((seed = (seed * 48271) % 2147483647) % n);
  for (let round = 0; round < 300; round++) {
    const splitter = new LineSplitter(MAX);
    const got: ReturnType<typeof described>[] = [];
    for (let at = 0; at < stream.length;) {
      const size = round === 0 ? stream.length : 1 + random(round % 2 ? 7 : 90);
      // A fresh copy per chunk, overwritten once its lines are taken: only the partial line may outlive it.
      const chunk = Buffer.from(stream.subarray(at, at + size));
      got.push(...splitter.push(chunk).map(described));
      chunk.fill(0x21);
      at += size;
    }
    assert.deepEqual(got, expected, `round ${round}`);
    assert.equal(splitter.offset, stream.length);
    assert.equal(splitter.end(), undefined);
  }
});

test('gives the last line of a stream without a final newline on end()', () => {
  const splitter = new LineSplitter(MAX);
  assert.deepEqual(splitter.push(Buffer.from('one\ntwo')).map(described), [{ text: 'one', offset: 0 }]);
  assert.deepEqual(described(splitter.end()!), { text: 'two', offset: 4 });
});

test('truncates an overlong line before a character, never inside one, and keeps nothing after the cut', () => {
  const splitter = new LineSplitter(6);
  // "aéé" is 5 bytes; the next "é" takes bytes 6 and 7, past the cap: cut before it.
  const lines = [...splitter.push(Buffer.from('aééé')), ...splitter.push(Buffer.from('zz\nok\n'))];
  assert.deepEqual(lines.map((line) => line.bytes.toString('utf8')), ['aéé', 'ok']);
  assert.equal(lines[0]!.truncatedFromBytes, 9);
  assert.equal(lines[1]!.offset, 10);
});

test('truncates before a character the cap falls inside when the character is split between chunks', () => {
  const splitter = new LineSplitter(6);
  // "€" is e2 82 ac: the first chunk ends after its first byte, and the cap (6 bytes) falls after its second.
  const lines = [...splitter.push(Buffer.from([0x61, 0x61, 0x61, 0x61, 0xe2])), ...splitter.push(Buffer.from([0x82, 0xac, 0x7a, 0x0a, 0x6f, 0x6b, 0x0a]))];
  assert.deepEqual(lines.map((line) => line.bytes.toString('utf8')), ['aaaa', 'ok']);
  assert.equal(lines[0]!.truncatedFromBytes, 8);
  assert.equal(lines[1]!.offset, 9);
});
