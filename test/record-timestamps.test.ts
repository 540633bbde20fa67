/** The per-second shortcuts of record-timestamps.ts give what timestamps.ts gives, for every form. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isoFromEpochMillis, isoFromMlogTimestamp } from '../server/src/transform/record-timestamps.js';
import { fromEpochMillis, parseMlogTimestamp } from '../server/src/transform/timestamps.js';
import { seededRandom } from './support/legacy-line-generator.js';

test('epoch milliseconds become the same ISO text as Date gives, in and out of order, at the edges of its range', () => {
  const random = seededRandom(7);
  const edges = [0, -0, -1, 1, 999, 1000, -999, -1000, 1.5, -1.5, 0.9, -0.9, 8.64e15, -8.64e15, 8.64e15 + 1, -8.64e15 - 1, 253402300799999,
    253402300800000, -62167219200000, -62167219200001, Number.NaN, Infinity, -Infinity, 1e300, Number.MAX_SAFE_INTEGER, 1709288130123];
  const values = [...edges];
  let t = 1704067200000;
  for (let i = 0; i < 20_000; i++) {
    t += Math.floor(random() * (i % 100 === 0 ? 1e9 : 300)) - (i % 7 === 0 ? 500 : 0);
    values.push(t, random() < 0.01 ? (random() - 0.5) * 1.8e16 : t + random());
  }
  for (const value of values) assert.equal(isoFromEpochMillis(value), fromEpochMillis(value), String(value));
});

test("mlog timestamps become the same ISO text as parseMlogTimestamp gives, the default shape's second shared or not", () => {
  const random = seededRandom(8);
  const odd = ['2024-02-30 10:15:30.123 Z', '2024-02-29 10:15:30.123 Z', '2023-02-29 10:15:30.123 Z', '2024-03-01 24:00:00.000 Z',
    '2024-03-01T10:15:30.123 Z', '2024-03-01 10:15:30.123 z', '2024-03-01 10:15:30.12a Z', '2024-03-01 10:15:30,123 Z', '0000-01-01 00:00:00.000 Z',
    '2024-03-01 10:15:30.123 +02:00', '2024-03-01 10:15:30 Z', '2024-03-01 10:15:30.1234Z', ' 024-03-01 10:15:30.123 Z', '2024-03-01 10:15:30.123Z '];
  const values: string[] = [];
  let t = Date.UTC(2024, 0, 1);
  for (let i = 0; i < 20_000; i++) {
    t += Math.floor(random() * 400);
    const text = new Date(t).toISOString().replace('T', ' ').replace('Z', ' Z');
    values.push(text);
    // The same second with odd endings, and odd values between.
    if (i % 10 === 0) values.push(`${text.slice(0, 19)}${random() < 0.5 ? '.9x9 Z' : ',123 Z'}`, odd[i % odd.length]!);
  }
  for (const text of odd) values.push(text, text.replace('2024-03-01', '2024-02-30'));
  for (const value of values) assert.equal(isoFromMlogTimestamp(value), parseMlogTimestamp(value), value);
});
