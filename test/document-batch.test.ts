import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bulkBody, DocumentBatchEncoder, documentLine } from '../server/src/sinks/document-batch.js';

const documents = [
  { id: 'a', json: JSON.stringify({ message: 'plain ascii' }) },
  { id: 'b"quoted', json: JSON.stringify({ message: 'Zürich — 東京 🚀'.repeat(40) }) },
  { id: 'c', json: JSON.stringify({ message: 'x'.repeat(5000) }) },
];

test('encodes documents as a bulk body, growing its buffer past multi-byte characters', () => {
  // A tiny first buffer: every document makes it grow, some in the middle of a character.
  const encoder = new DocumentBatchEncoder('logs-mattermost.audit-default', 1);
  for (const { id, json } of documents) encoder.add(id, json);
  const batch = encoder.finish();
  const expected = documents.map(({ id, json }) => `${JSON.stringify({ create: { _index: 'logs-mattermost.audit-default', _id: id } })}\n${json}\n`).join('');
  assert.equal(Buffer.from(batch.bytes).toString('utf8'), expected);
  assert.deepEqual(batch.ids, ['a', 'b"quoted', 'c']);
  assert.equal(batch.offsets.length, 2 * documents.length + 1);
  documents.forEach(({ json }, i) => assert.equal(Buffer.from(documentLine(batch, i)).toString('utf8'), `${json}\n`));
});

test('writes each id into its action line as JSON.stringify does, escapes and non-ASCII included', () => {
  const ids = ['AAAAAAAAbase64url-_0123456789abcdef', 'quote"', 'back\\slash', 'line\nbreak', 'tab\t\u0001', 'del\u007f', 'Zürich', '東京🚀', 'lone\ud800', ''];
  const encoder = new DocumentBatchEncoder('logs-mattermost.audit-default', 1);
  for (const id of ids) encoder.add(id, '{}');
  const expected = ids.map((id) => `${JSON.stringify({ create: { _index: 'logs-mattermost.audit-default', _id: id } })}\n{}\n`).join('');
  assert.equal(Buffer.from(encoder.finish().bytes).toString('utf8'), expected);
});

test('a retry body holds exactly the action and document lines of the items it retries', () => {
  const encoder = new DocumentBatchEncoder('logs-mattermost.audit-x');
  for (const { id, json } of documents) encoder.add(id, json);
  const batch = encoder.finish();
  const lines = bulkBody(batch, [2, 0]).toString('utf8').split('\n');
  assert.deepEqual(lines.map((l) => (l === '' ? l : Object.keys(JSON.parse(l))[0])), ['create', 'message', 'create', 'message', '']);
  assert.equal(JSON.parse(lines[0]!).create._id, 'c');
  assert.equal(lines[1], documents[2]!.json);
  assert.equal(JSON.parse(lines[2]!).create._id, 'a');
  assert.equal(bulkBody(batch).length, batch.bytes.length);
});

test('a document written in place, its id after it, makes the same body as one added whole, whatever the id', () => {
  const ids = ['AAAAAAAA0123456789abcdefghij-_XY', 'short', 'b"quoted and 32 characters long!', 'é'.repeat(32), 'ZZZZZZZZ0123456789abcdefghij-_XY'];
  const jsons = ids.map((_, i) => JSON.stringify({ n: i, message: 'Zürich — 東京 🚀'.repeat(i * 30) }));
  const added = new DocumentBatchEncoder('logs-mattermost.audit-default', 1);
  ids.forEach((id, i) => added.add(id, jsons[i]!));
  // A tiny first buffer: documents written in place make it grow under them.
  const inPlace = new DocumentBatchEncoder('logs-mattermost.audit-default', 1);
  ids.forEach((id, i) => {
    // A record whose document is not written here (toEcsOrJson returned it as an object) leaves nothing behind.
    inPlace.startInPlace();
    inPlace.cancelInPlace();
    inPlace.startInPlace().json(jsons[i]!);
    inPlace.finishInPlace(id);
  });
  const [a, b] = [added.finish(), inPlace.finish()];
  assert.equal(Buffer.from(b.bytes).toString('utf8'), Buffer.from(a.bytes).toString('utf8'));
  assert.deepEqual(b.ids, ids);
  assert.deepEqual([...b.offsets], [...a.offsets]);
});
