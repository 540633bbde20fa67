/**
 * Real faults of a real node, each ending with every record indexed exactly once (count and
 * distinct user ids asked of Elasticsearch): kill -9 mid-ingest and a restart 15 s later, a
 * clean stop of 60 s, the flood-stage block held 30 s, and a small http.max_content_length.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { auditBody } from './support/audit-records.js';
import { esVersions } from './support/elasticsearch-node.js';
import { countOf, tallyOf, taggedUsers } from './support/elasticsearch-queries.js';
import { eventually, type ForwarderProcess } from './support/forwarder-process.js';
import { realStack } from './support/real-stack.js';

const DATA_STREAM = 'logs-mattermost.audit-default';

/** Posts `batches` × `size` records tagged `tag`, again and again while the forwarder pushes back. */
async function postAll(forwarder: ForwarderProcess, tag: string, batches: number, size: number): Promise<void> {
  for (let i = 0; i < batches; i++) {
    for (;;) {
      const response = await forwarder.post(auditBody(i * size, size, tag)).catch(() => undefined);
      if (response?.status === 202) break;
      await sleep(200);
    }
  }
}

for (const version of esVersions()) {
  describe(`Elasticsearch ${version} faults`, () => {
    const stack = realStack({ version }, { BATCH_SIZE: '500' });
    const status = () => stack.status();
    const exactlyOnce = async (tag: string, total: number, timeoutMs: number): Promise<void> => {
      await eventually(async () => (await countOf(stack.es, DATA_STREAM, taggedUsers(tag))) >= total, `${total} ${tag} documents`, timeoutMs);
      assert.deepEqual(await tallyOf(stack.es, DATA_STREAM, 'user.id', taggedUsers(tag)), { count: total, distinct: total, duplicates: [] });
    };

    test('indexes every record once when Elasticsearch is killed with -9 mid-ingest and started again 15 s later', async () => {
      const posting = postAll(stack.forwarder, 'crash', 20, 1000);
      await eventually(async () => (await countOf(stack.es, DATA_STREAM, taggedUsers('crash'))) > 0, 'the first crash documents', 60_000);
      const beforeKill = await countOf(stack.es, DATA_STREAM, taggedUsers('crash'));
      await stack.es.kill9();
      assert.ok(beforeKill < 20_000, `killed in the middle (${beforeKill} of 20000 indexed)`);
      await posting;
      await sleep(15_000);
      assert.equal((await status()).sink.reachable, false);
      await stack.es.restart();
      await exactlyOnce('crash', 20_000, 180_000);
      assert.equal((await status()).queue.deadLetters, 0);
    });

    test('indexes every record once when Elasticsearch is stopped for 60 s', async () => {
      await stack.es.shutdown();
      const posting = postAll(stack.forwarder, 'stopped', 6, 500);
      await sleep(60_000);
      await posting;
      assert.ok((await status()).queue.pendingRecords > 0, 'the records wait in Redis');
      await stack.es.restart();
      await exactlyOnce('stopped', 3000, 120_000);
    });

    test('holds records through a flood-stage block of 30 s, then indexes them once, none dead-lettered', async () => {
      await postAll(stack.forwarder, 'before-block', 1, 500);
      await exactlyOnce('before-block', 500, 60_000);
      const block = await stack.es.request('PUT', `/${DATA_STREAM}/_settings`, { 'index.blocks.read_only_allow_delete': true });
      assert.equal(block.status, 200, JSON.stringify(block.body));
      await postAll(stack.forwarder, 'flood', 4, 500);
      await eventually(async () => /cluster_block_exception/.test((await status()).sink.lastError ?? ''), 'the block in the status', 60_000);
      await sleep(30_000);
      assert.equal(await countOf(stack.es, DATA_STREAM, taggedUsers('flood')), 0, 'nothing got through the block');
      assert.equal((await status()).queue.deadLetters, 0);
      assert.equal((await stack.es.request('PUT', `/${DATA_STREAM}/_settings`, { 'index.blocks.read_only_allow_delete': null })).status, 200);
      await exactlyOnce('flood', 2000, 120_000);
      assert.equal((await status()).queue.deadLetters, 0);
    });
  });

  describe(`Elasticsearch ${version} with http.max_content_length=256kb`, () => {
    const stack = realStack({ version, settings: { 'http.max_content_length': '256kb' } }, { BATCH_SIZE: '1000' });
    const status = () => stack.status();

    test('splits bulk requests the node refuses as too long, and keeps only a document too long alone', async () => {
      // 1000 documents of about 1.3 KB make a bulk body of about 1.3 MB: five times the limit.
      await postAll(stack.forwarder, 'split', 3, 1000);
      const huge = JSON.stringify({ timestamp: '2021-12-04 23:19:32.051 Z', event: 'updateConfig', status: 'success', user_id: 'huge-1', api_path: `/api/v4/${'x'.repeat(300_000)}` });
      assert.equal((await stack.forwarder.post(huge)).status, 202);
      await eventually(async () => (await countOf(stack.es, DATA_STREAM, taggedUsers('split'))) >= 3000, '3000 split documents', 120_000);
      assert.deepEqual(await tallyOf(stack.es, DATA_STREAM, 'user.id', taggedUsers('split')), { count: 3000, distinct: 3000, duplicates: [] });
      await eventually(async () => (await status()).queue.deadLetters === 1, 'the huge record kept as a dead letter', 60_000);
      const letters = await (await stack.forwarder.admin('/v1/dead-letters')).json();
      assert.equal(letters.deadLetters[0].status, 413);
      assert.match(letters.deadLetters[0].reason, /^content_too_long: the document alone makes a \d+-byte bulk request, more than the cluster accepts \(http\.max_content_length\)/);
    });
  });
}
