/**
 * LineSplitter.pushBlock, the file input's way from a read to a LineBlock, held to what the two
 * steps it replaces give, lineBlockOf(push(chunk)), chunk by chunk, and both to the stream's lines
 * split at once, on random byte streams cut at random (and at the awkward places: inside a CRLF,
 * inside a character, empty chunks).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blockRecords, isBlankLine, LineBlockMemory, lineBlockOf, LineSplitter, type Line, type LineBlock, type RawRecord } from '../server/src/records/index.js';

const MAX = 40;

interface Described {
  hex: string;
  offset: number;
  truncatedFromBytes?: number;
}

function seeded(seed: number): (n: number) => number {
  let state = seed;
  return (n) => ((state = (state * 48271) % 2147483647) % n);
}

/** Pieces a line is made of: text, JSON, blanks, multi-byte characters, bytes that are not UTF-8. */
const ATOMS = [
  'abc', '{"k":"v"}', ' ', '\t', '\r', 'é', '€', '😀', 'x'.repeat(MAX - 3),
].map((text) => Buffer.from(text)).concat([Buffer.from([0xff]), Buffer.from([0x80, 0xbf]), Buffer.from([0xc3]), Buffer.from([0xf0, 0x9f])]);

function randomLine(random: (n: number) => number): Buffer {
  switch (random(12)) {
    case 0: return Buffer.alloc(0);
    case 1: return Buffer.from(Array.from({ length: 1 + random(3 * MAX) }, () => [0x20, 0x09, 0x0d][random(3)]!));
    // Only continuation bytes, over the cap: the cut keeps nothing of it.
    case 2: return Buffer.alloc(MAX + 1 + random(MAX), 0x80);
    // Just about the cap, its last character across it.
    case 3: return Buffer.concat([Buffer.alloc(MAX - 3 + random(4), 0x61), Buffer.from('😀')]);
    default: return Buffer.concat(Array.from({ length: random(random(4) === 0 ? 40 : 8) }, () => ATOMS[random(ATOMS.length)]!));
  }
}

function randomStream(random: (n: number) => number): Buffer {
  const parts: Buffer[] = [];
  for (let lines = 20 + random(150); lines > 0; lines--) parts.push(randomLine(random), Buffer.from(['\n', '\r\n', '\r\r\n'][random(3)]!));
  if (random(2) === 0) parts.push(randomLine(random));
  return Buffer.concat(parts);
}

/** Where to cut: at random, small or large, or at every CRLF and inside characters; repeats make empty chunks. */
function cutsOf(stream: Buffer, round: number, random: (n: number) => number): number[] {
  const cuts: number[] = [];
  if (round % 4 === 3) {
    for (let at = 1; at < stream.length; at++) {
      const insideCrlf = stream[at - 1] === 13 && stream[at] === 10;
      const insideCharacter = (stream[at]! & 0xc0) === 0x80;
      if ((insideCrlf || insideCharacter || random(40) === 0) && random(3) > 0) cuts.push(at);
    }
  } else if (round > 0) {
    for (let at = 0; at < stream.length; at += random(round % 4 === 1 ? 8 : round % 4 === 2 ? 300 : 3000)) cuts.push(at);
  }
  return [0, ...cuts.filter((at) => at > 0 && random(10) > 0), ...cuts.filter(() => random(25) === 0), stream.length].sort((a, b) => a - b);
}

function describedBlock(block: LineBlock): { lines: Described[]; truncated: Array<[number, number]> | undefined } {
  assert.ok(block.bytes.buffer instanceof SharedArrayBuffer, 'the bytes are shared');
  assert.ok(block.starts instanceof Uint32Array && block.ends instanceof Uint32Array && block.offsets instanceof Float64Array);
  assert.equal(block.ends.length, block.starts.length);
  assert.equal(block.offsets.length, block.starts.length);
  const lines = Array.from(block.starts, (start, i) => {
    const line: Described = { hex: Buffer.from(block.bytes.subarray(start, block.ends[i])).toString('hex'), offset: block.offsets[i]! };
    const truncatedFromBytes = block.truncated?.get(i);
    if (truncatedFromBytes !== undefined) line.truncatedFromBytes = truncatedFromBytes;
    return line;
  });
  return { lines, truncated: block.truncated && [...block.truncated] };
}

function describedLine(line: Line): Described {
  const described: Described = { hex: line.bytes.toString('hex'), offset: line.offset };
  if (line.truncatedFromBytes !== undefined) described.truncatedFromBytes = line.truncatedFromBytes;
  return described;
}

/** The stream's lines as the splitter's rules say, found in the whole stream at once: not blank, CR off, cut before a character. */
function streamLines(stream: Buffer): Described[] {
  const lines: Described[] = [];
  for (let offset = 0; offset < stream.length;) {
    const newline = stream.indexOf(10, offset);
    const raw = stream.subarray(offset, newline === -1 ? stream.length : newline);
    let kept = raw;
    if (raw.length > MAX) {
      let cut = MAX;
      while (cut > 0 && (raw[cut]! & 0xc0) === 0x80) cut--;
      kept = raw.subarray(0, cut);
    }
    if (kept.at(-1) === 13) kept = kept.subarray(0, -1);
    if (!isBlankLine(kept)) lines.push(raw.length > MAX ? { hex: kept.toString('hex'), offset, truncatedFromBytes: raw.length } : { hex: kept.toString('hex'), offset });
    offset += raw.length + 1;
  }
  return lines;
}

test('pushBlock gives what lineBlockOf(push()) gives, chunk by chunk, on random streams however they are cut', () => {
  const random = seeded(11);
  const memory = new LineBlockMemory(4);
  const seen = { truncated: 0, blank: 0, crlfCut: 0, characterCut: 0, emptyChunk: 0, heldOver: 0, continuedTruncated: 0 };
  for (let round = 0; round < 400; round++) {
    const stream = randomStream(random);
    const cuts = cutsOf(stream, round, random);
    const byPush = new LineSplitter(MAX, 7);
    const byBlock = new LineSplitter(MAX, 7);
    // The file input's way: blocks in memory used again once given back, three of them held a while (as batches under way).
    const byPooled = new LineSplitter(MAX, 7, memory);
    const held: Array<{ block: LineBlock; lines: ReturnType<typeof describedBlock>; records: RawRecord[] }> = [];
    const lines: Described[] = [];
    for (let c = 1; c < cuts.length; c++) {
      // A fresh copy per chunk, overwritten once it is split: the block must hold copies, as the read buffer is used again.
      const chunk = Buffer.from(stream.subarray(cuts[c - 1], cuts[c]));
      const pushChunk = Buffer.from(chunk);
      const expected = lineBlockOf(byPush.push(pushChunk));
      const pooledChunk = Buffer.from(chunk);
      const got = byBlock.pushBlock(chunk);
      const pooled = byPooled.pushBlock(pooledChunk);
      chunk.fill(0x21);
      pushChunk.fill(0x21);
      pooledChunk.fill(0x21);
      const where = `round ${round}, chunk ${c} [${cuts[c - 1]}, ${cuts[c]})`;
      const gotLines = describedBlock(got);
      assert.deepEqual(gotLines, describedBlock(expected), where);
      assert.deepEqual(describedBlock(pooled), gotLines, `${where}: in memory used again`);
      held.push({ block: pooled, lines: gotLines, records: blockRecords(got) });
      assert.deepEqual(blockRecords(pooled), held.at(-1)!.records, `${where}: records in memory used again`);
      if (held.length > 3) {
        const oldest = held.shift()!;
        assert.deepEqual(describedBlock(oldest.block), oldest.lines, `${where}: a block held while others were made`);
        memory.give(oldest.block);
      }
      assert.equal(byBlock.offset, byPush.offset, `${where}: offset`);
      assert.equal(byBlock.heldBytes, byPush.heldBytes, `${where}: held bytes`);
      lines.push(...gotLines.lines);
      if (chunk.length === 0) seen.emptyChunk++;
      if (byBlock.heldBytes > 0) seen.heldOver++;
      if (stream[cuts[c]! - 1] === 13 && stream[cuts[c]!] === 10) seen.crlfCut++;
      if ((stream[cuts[c]!]! & 0xc0) === 0x80) seen.characterCut++;
      if (got.truncated?.has(0) && got.offsets[0]! < 7 + cuts[c - 1]!) seen.continuedTruncated++;
    }
    const last = byBlock.end();
    assert.deepEqual(last && describedLine(last), (() => { const line = byPush.end(); return line && describedLine(line); })(), `round ${round}: end()`);
    assert.equal(byBlock.offset, byPush.offset);
    if (last && !isBlankLine(last.bytes)) lines.push(describedLine(last));
    const whole = streamLines(stream).map((line) => ({ ...line, offset: line.offset + 7 }));
    assert.deepEqual(lines, whole, `round ${round}: the stream's lines`);
    seen.truncated += whole.filter((line) => line.truncatedFromBytes !== undefined).length;
    seen.blank += stream.toString('latin1').split('\n').filter((line) => /^[ \t\r]*$/.test(line)).length;
  }
  for (const [edge, count] of Object.entries(seen)) assert.ok(count > 20, `the streams and cuts hold enough of ${edge}: ${count}`);
});

test('pushBlock keeps a line over several chunks and cuts it to the cap, and end() gives the rest after it', () => {
  const splitter = new LineSplitter(6);
  assert.equal(splitter.pushBlock(Buffer.from('  \n{')).starts.length, 0);
  assert.equal(splitter.pushBlock(Buffer.from('"a')).starts.length, 0);
  assert.equal(splitter.heldBytes, 3);
  // The second "é" takes bytes 6 and 7, across the cap: the line is cut before it.
  const block = splitter.pushBlock(Buffer.from('ééé\r\nok\r\n\nlast'));
  assert.deepEqual(describedBlock(block).lines, [
    { hex: Buffer.from('{"aé').toString('hex'), offset: 3, truncatedFromBytes: 10 },
    { hex: Buffer.from('ok').toString('hex'), offset: 14 },
  ]);
  assert.equal(splitter.offset, 19);
  assert.equal(splitter.heldBytes, 4);
  assert.deepEqual(describedLine(splitter.end()!), { hex: Buffer.from('last').toString('hex'), offset: 19 });
  assert.equal(splitter.offset, 23);
});
