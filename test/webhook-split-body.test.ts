import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arrayElements, splitBody } from '../server/src/inputs/webhook/split-body.js';

const texts = (body: string) => splitBody(Buffer.from(body), 1024 * 1024).map((record) => record.text);

test('splits a JSON array into its elements as sent, brackets and quotes inside strings included', () => {
  assert.deepEqual(texts('[{"a":"x]}\\"y,"} , {"b":[1,{"c":"["}]},\n 2, "s" ,[3]]'), ['{"a":"x]}\\"y,"}', '{"b":[1,{"c":"["}]}', '2', '"s"', '[3]']);
  assert.deepEqual(texts(' [ ] '), []);
  assert.deepEqual(texts('[{"a":"\\\\"},{"b":1}]'), ['{"a":"\\\\"}', '{"b":1}'], 'an escaped backslash before a closing quote');
});

test('reads a body that is not exactly one valid array as NDJSON, as JSON.parse would judge it', () => {
  for (const body of ['[1,2]\n[3]', '[{"a":1} {"b":2}]', '[{"a":1},]', '[{"a":1}', '[1]]', '[{]}]', '[\u00a0{"a":1}]', '[foo, bar]']) {
    let valid = true;
    try {
      JSON.parse(body);
    } catch {
      valid = false;
    }
    assert.equal(valid, false, body);
    assert.equal(arrayElements(body), undefined, body);
    assert.deepEqual(texts(body), body.split('\n'), body);
  }
});

test('takes an array nested 100,000 levels deep as one record, without recursion', () => {
  const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
  assert.deepEqual(texts(deep), [deep.slice(1, -1)]);
  const objects = `[${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)},{"b":2}]`;
  assert.equal(texts(objects).length, 2);
});

test('keeps one pretty-printed object whole and NDJSON line by line', () => {
  assert.deepEqual(texts('{\n  "event": "login",\n  "status": "success"\n}\n'), ['{\n  "event": "login",\n  "status": "success"\n}']);
  assert.deepEqual(texts('{"a":1}\n{"b":2}\n\n'), ['{"a":1}', '{"b":2}']);
});
