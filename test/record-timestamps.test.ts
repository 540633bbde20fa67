/** The per-second shortcut of record-timestamps.ts gives what timestamps.ts gives, for every form. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isoFromEpochMillis } from '../server/src/transform/record-timestamps.js';
import { fromEpochMillis } from '../server/src/transform/timestamps.js';
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
