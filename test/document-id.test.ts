import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { toDocumentBatch } from '../server/src/queue/to-document-batch.js';
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
