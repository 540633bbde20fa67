import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { toDocumentBatch } from '../server/src/queue/to-document-batch.js';
import { lineBlockOf, LineSplitter } from '../server/src/records/index.js';
import { documentId } from '../server/src/transform/index.js';
import { timestampMillis } from '../server/src/transform/timestamps.js';

const source = { input: 'file' as const, identity: 'audit.log#1', path: '/var/log/mattermost/audit.log', host: 'h' };
const now = '2026-12-01T00:00:00.000Z';

function legacyLine(stamp: string, user: string): string {
  return JSON.stringify({ timestamp: stamp, event: 'login', status: 'success', user_id: user, ip_address: '10.0.0.1' });
}

function idsOf(lines: string[], firstOffset = 0): string[] {
  let offset = firstOffset;
  const records = lines.map((text) => {
    const record = { text, offset };
    offset += Buffer.byteLength(text) + 1;
    return record;
  });
  return toDocumentBatch({ records, source, receivedAt: now }, { namespace: 'default', receivedAt: now, ingestedAt: now }).ids;
}

test("a document's id starts with its @timestamp, so later records get ids that sort after earlier ones", () => {
  const stamps = ['2024-01-01 00:00:00.037 Z', '2024-01-01 00:00:00.038 Z', '2024-03-05 10:11:12.000 Z', '2025-07-01 23:59:59.999 Z'];
  const ids = idsOf(stamps.map((stamp, i) => legacyLine(stamp, `u${i}`)));
  const bytes = ids.map((id) => Buffer.from(id, 'base64url'));
  bytes.forEach((b, i) => {
    assert.equal(ids[i]!.length, 32);
    assert.equal(b.length, 24);
    assert.equal(b.readUIntBE(0, 6), Date.parse(stamps[i]!.replace(' ', 'T').replace(' Z', 'Z')));
  });
  // Elasticsearch compares a base64url id by its bytes.
  for (let i = 1; i < bytes.length; i++) assert.equal(Buffer.compare(bytes[i - 1]!, bytes[i]!), -1);
});

test('the same record at the same place gets the same id; the same text elsewhere another', () => {
  const line = legacyLine('2024-01-01 00:00:00.037 Z', 'u1');
  assert.equal(idsOf([line])[0], idsOf([line])[0]);
  assert.notEqual(idsOf([line])[0], idsOf([line], 4096)[0]);
  // Same second and text, another place: only the hash part differs.
  assert.equal(idsOf([line])[0]!.slice(0, 8), idsOf([line], 4096)[0]!.slice(0, 8));
});

test('a document without a usable @timestamp gets an id of the hash alone, as every id had before', () => {
  const lines = ['not json at all', legacyLine('1969-12-31 23:59:59.000 Z', 'u1')];
  const ids = idsOf(lines);
  let offset = 0;
  lines.forEach((text, i) => {
    const hashOnly = createHash('sha256').update(`${source.identity}@${offset}\n${text}`).digest('base64url').slice(0, 32);
    assert.equal(ids[i], hashOnly);
    offset += Buffer.byteLength(text) + 1;
  });
});

test("the id's time is Date.parse's for every text, the transform's ISO shape read by character codes", () => {
  // The shape's text with each place swapped, in turn, for characters around its own: digits, ends of ranges, others.
  const base = '2024-02-29T23:59:59.999Z';
  const texts = [base, '0000-01-01T00:00:00.000Z', '2024-02-30T00:00:00.000Z', '2023-02-29T12:00:00.000Z', '2024-01-01T24:00:00.000Z'];
  // Each after the base text, whose day is then the one remembered.
  for (let at = 0; at < base.length; at++) {
    for (const swap of '0123456789-T:.Z /a') texts.push(base, base.slice(0, at) + swap + base.slice(at + 1));
  }
  for (let day = 0; day < 800; day++) {
    // Days in turn, each time of day from the last day's cached part.
    const iso = new Date(Date.UTC(1999, 11, 1) + day * 86_400_000 + (day * 7_777_777) % 86_400_000).toISOString();
    texts.push(iso, iso.slice(0, 10) + 'T00:00:00.000Z');
  }
  const differing = texts.filter((text) => !Object.is(timestampMillis(text), Date.parse(text)));
  assert.deepEqual(differing, []);
  assert.ok(texts.length > 2000, `${texts.length} texts`);
});

/** The ids of `lines` read as a file's bytes from `firstOffset` on, as the file input hands them over. */
function idsOfFileBytes(lines: string[], identity: string, firstOffset: number): string[] {
  const block = lineBlockOf(new LineSplitter(4 * 1024 * 1024, firstOffset).push(Buffer.from(lines.map((line) => `${line}\n`).join(''))));
  return toDocumentBatch({ lines: block, source: { ...source, identity }, receivedAt: now }, { namespace: 'default', receivedAt: now, ingestedAt: now }).ids;
}

test("a file line's id hashes its source, its offset and its bytes, whichever source came before and however long the line", () => {
  const stamp = '2024-01-01 00:00:00.037 Z';
  // Past the hash's 16 KB buffer, and past its 1 MB bound, where a line gets a buffer of its own.
  const long = legacyLine(stamp, 'u'.repeat(20_000));
  const huge = legacyLine(stamp, 'u'.repeat(1_100_000));
  const cases: Array<[string, number, string[]]> = [
    ['file:/var/log/mattermost/audit.log#1', 0, [legacyLine(stamp, 'u1'), long, legacyLine(stamp, 'u2')]],
    ['file:/var/log/mattermost/other.log#2', 2 ** 31 - 40, [legacyLine(stamp, 'u1'), legacyLine(stamp, 'u2')]],
    ['file:/var/log/mattermost/audit.log#1', 999_999_990, [legacyLine(stamp, 'ü3'), huge, legacyLine(stamp, 'u4')]],
    ['', 2 ** 40 + 7, [legacyLine(stamp, 'u5')]],
    // Past 2^31 the digits are written in two parts, the low one with its leading zeros.
    ['file:/var/log/mattermost/audit.log#1', 3_000_000_005, [legacyLine(stamp, 'u6')]],
  ];
  for (const [identity, firstOffset, lines] of cases) {
    // Another source's id in between: the hash's buffer then starts with that source.
    documentId(Buffer.from('x'), 'another source', undefined, 5);
    const ids = idsOfFileBytes(lines, identity, firstOffset);
    let offset = firstOffset;
    lines.forEach((text, i) => {
      const hashed = createHash('sha256').update(`${identity}@${offset}\n${text}`).digest('base64url');
      // The huge line is over the record limit: its failure document has no @timestamp, its id is the hash alone.
      if (text === huge) assert.equal(ids[i], hashed.slice(0, 32), `${identity} @${offset}`);
      else assert.equal(ids[i]!.slice(8), hashed.slice(0, 24), `${identity} @${offset}`);
      offset += Buffer.byteLength(text) + 1;
    });
  }
});
