import assert from 'node:assert/strict';
import { test } from 'node:test';
import { writeDecimalDigits } from '../server/src/transform/decimal-digits.js';
import { JsonWriter } from '../server/src/transform/json-writer.js';

test("an offset's digits are String()'s, around every power of ten and 2^31, up to the largest safe integer", () => {
  const values = [0, -0, Number.MAX_SAFE_INTEGER, 2 ** 31, 2 ** 31 - 1, 2 ** 32, 3_000_000_005, 10_000_000_000];
  for (let power = 1; power <= 1e15; power *= 10) values.push(power - 1, power, power + 1);
  let seed = 7;
  for (let i = 0; i < 20_000; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    values.push(Math.floor((seed / 2 ** 31) * 2 ** ((i % 53) + 1)));
  }
  const into = new Uint8Array(40);
  const differing = values.filter((value) => Buffer.from(into.subarray(3, writeDecimalDigits(into, 3, value))).toString() !== String(value));
  assert.deepEqual(differing, []);
});

test('a number in a document is written as JSON.stringify writes it, integer or not', () => {
  const numbers = [0, -0, 7, 1234567890, 2 ** 31, Number.MAX_SAFE_INTEGER, 2 ** 53, -5, 0.5, 1e21, 1e-7, -1234.5678, NaN, Infinity, -Infinity];
  const writer = new JsonWriter();
  writer.value(numbers);
  assert.equal(Buffer.from(writer.written()).toString(), JSON.stringify(numbers));
});
