/**
 * The Elasticsearch emulator's faults, what a real node cannot do on demand: down, slow, a share of
 * the items refused or failed, the whole bulk answered with a status; and reset.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errors } from '@elastic/elasticsearch';
import { DATA_STREAM, es, client, useEsEmulator, doc, putTemplate, create, rejection } from './support/es-emulator-session.js';

useEsEmulator();

test('resets connections while down and answers again once the fault is cleared', async () => {
  es.setFault({ down: true });
  const error = await client.info().then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof errors.ConnectionError, `expected a ConnectionError, got ${String(error)}`);
  es.setFault({});
  assert.equal((await client.info()).version.number, '8.15.0');
});

test('delays every response by delayMs', async () => {
  es.setFault({ delayMs: 300 });
  const started = Date.now();
  await client.info();
  assert.ok(Date.now() - started >= 290, `took ${Date.now() - started} ms`);
  es.setFault({});
  const quick = Date.now();
  await client.info();
  assert.ok(Date.now() - quick < 250, 'the delay is gone once cleared');
});

test('rejects about itemRejectShare of the items with 429 and stores none of those', async () => {
  await putTemplate();
  es.setFault({ itemRejectShare: 0.3 });
  const { errors: failed, items } = await create(Array.from({ length: 2000 }, (_, n) => [`r${n}`, doc(n)] as [string, Record<string, unknown>]));
  const rejected = items.filter((i) => i.status === 429);
  assert.equal(failed, true);
  assert.ok(rejected.length > 450 && rejected.length < 750, `${rejected.length} of 2000 rejected`);
  assert.equal(rejected[0]!.error!.type, 'es_rejected_execution_exception');
  assert.match(rejected[0]!.error!.reason, /^rejected execution of coordinating operation/);
  assert.equal(items.filter((i) => i.status === 201).length, 2000 - rejected.length);
  assert.equal(es.count(DATA_STREAM), 2000 - rejected.length);
  const stored = new Set(es.documents(DATA_STREAM).map((d) => d._id));
  assert.ok(rejected.every((i) => !stored.has(i._id!)), 'no rejected item was stored');
  assert.equal(es.stats().rejected, rejected.length);
});

test('fails about itemFailShare of the items with 503 unavailable_shards_exception', async () => {
  await putTemplate();
  es.setFault({ itemFailShare: 0.5 });
  const { items } = await create(Array.from({ length: 1000 }, (_, n) => [`f${n}`, doc(n)] as [string, Record<string, unknown>]));
  const failed = items.filter((i) => i.status === 503);
  assert.ok(failed.length > 380 && failed.length < 620, `${failed.length} of 1000 failed`);
  assert.equal(failed[0]!.error!.type, 'unavailable_shards_exception');
  assert.equal(es.count(DATA_STREAM), 1000 - failed.length);
});

test('answers the whole bulk with bulkStatus and stores nothing', async () => {
  await putTemplate();
  for (const [status, type] of [[429, 'es_rejected_execution_exception'], [503, 'cluster_block_exception']] as const) {
    es.setFault({ bulkStatus: status });
    const error = await rejection(create([['x', doc(1)]]));
    assert.equal(error.statusCode, status);
    assert.equal(error.body.error.type, type);
    assert.equal(error.body.status, status);
  }
  assert.equal(es.count(), 0);
  es.setFault({});
  assert.equal((await create([['x', doc(1)]])).items[0]!.status, 201);
});

test('resets documents, templates, data streams, stats and the fault plan', async () => {
  await putTemplate();
  await create([['a', doc(1)]]);
  es.setFault({ delayMs: 5000 });
  es.reset();
  assert.equal(es.count(), 0);
  assert.deepEqual(es.templates(), {});
  assert.deepEqual(es.dataStreams(), []);
  assert.deepEqual(es.stats(), { bulkRequests: 0, itemsReceived: 0, created: 0, conflicts: 0, rejected: 0, mappingErrors: 0, pipelines: [] });
  const started = Date.now();
  await client.info();
  assert.ok(Date.now() - started < 1000, 'no delay after reset');
});
