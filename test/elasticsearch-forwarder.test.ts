/**
 * The forwarder against real Elasticsearch (Elastic's integ-test distribution, each version of
 * ES_VERSIONS): setup, bulk create with stable ids, the mapping as the node reports it, dead
 * letters with Elasticsearch's own reasons, and a data stream another template mapped otherwise.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, test } from 'node:test';
import { fieldTypes } from '../server/src/sinks/data-stream-check.js';
import { auditBody, auditLine } from './support/audit-records.js';
import { esVersions } from './support/elasticsearch-node.js';
import { countOf, mappingOf, tallyOf, taggedUsers } from './support/elasticsearch-queries.js';
import { eventually } from './support/forwarder-process.js';
import { realStack } from './support/real-stack.js';
import { PROJECT_ROOT } from './support/shared-fixtures.js';

const DATA_STREAM = 'logs-mattermost.audit-default';

async function cli(args: string[], env: Record<string, string>): Promise<{ status: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/src/cli.ts', ...args], {
      cwd: PROJECT_ROOT, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env },
    });
    return { status: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { status: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

for (const version of esVersions()) {
  describe(`Elasticsearch ${version}`, () => {
    const stack = realStack({ version }, { BATCH_SIZE: '500' });
    const status = () => stack.status();

    test('setup puts a template the cluster accepts, with the lifecycle, and leaves the data stream in place', async () => {
      const first = await cli(['setup'], { ELASTICSEARCH_URL: stack.es.url });
      assert.equal(first.status, 0, first.stderr);
      assert.match(first.stdout, new RegExp(`^Elasticsearch ${version.replaceAll('.', '\\.')}: index template mattermost-audit-elastic in place; data stream ${DATA_STREAM} created \\(by a first write that stored nothing: this cluster has no data stream API\\)$`, 'm'));
      assert.match(first.stdout, /lacks mapper types the template uses: constant_keyword → keyword \(data_stream\.dataset, .*wildcard → keyword \(url\.original, url\.path/);
      assert.match(first.stdout, /note: the cluster has no data-streams module/);
      const again = await cli(['setup'], { ELASTICSEARCH_URL: stack.es.url });
      assert.match(again.stdout, /data stream logs-mattermost\.audit-default already there/);

      const stored = (await stack.es.request('GET', '/_index_template/mattermost-audit-elastic')).body.index_templates[0].index_template;
      assert.deepEqual(stored.index_patterns, ['logs-mattermost.audit-*']);
      assert.equal(stored.priority, 250);
      assert.deepEqual(stored.data_stream, { hidden: false, allow_custom_routing: false });
      assert.equal(stored.template.lifecycle.enabled, true);
      assert.deepEqual(stored._meta.left_out.map((entry: { type: string }) => entry.type).sort(), ['constant_keyword', 'match_only_text', 'wildcard']);
      const resolved = (await stack.es.request('GET', `/_resolve/index/${DATA_STREAM}`)).body;
      assert.equal(resolved.data_streams[0].name, DATA_STREAM);
      assert.match(resolved.data_streams[0].backing_indices[0], /^\.ds-logs-mattermost\.audit-default-\d{4}\.\d{2}\.\d{2}-000001$/);
      assert.equal(await countOf(stack.es, DATA_STREAM), 0, 'setup stored no document');
    });

    test('indexes posted records once each, and counts a repeated record (409) as delivered', async () => {
      for (let i = 0; i < 4; i++) assert.equal((await stack.forwarder.post(auditBody(i * 500, 500, 'once'))).status, 202);
      await eventually(async () => (await countOf(stack.es, DATA_STREAM, taggedUsers('once'))) === 2000, '2000 documents in Elasticsearch', 60_000);
      const delivered = (await status()).sink.delivered;
      // The same lines again: the same ids, so Elasticsearch answers 409 and keeps the first copies.
      assert.equal((await stack.forwarder.post(auditBody(0, 1000, 'once'))).status, 202);
      await eventually(async () => (await status()).sink.delivered === delivered + 1000, 'the repeated 1000 counted as delivered', 60_000);
      assert.deepEqual(await tallyOf(stack.es, DATA_STREAM, 'user.id', taggedUsers('once')), { count: 2000, distinct: 2000, duplicates: [] });
      assert.equal((await status()).queue.deadLetters, 0);
    });

    test('writes the documents the transform made, found again by _search', async () => {
      const hit = (await stack.es.request('POST', `/${DATA_STREAM}/_search`, { query: { term: { 'user.id': 'once-7' } } })).body.hits;
      assert.equal(hit.total.value, 1);
      const doc = hit.hits[0]._source;
      assert.equal(doc.event.action, 'updateConfig');
      assert.equal(doc.source.ip, '10.0.0.1');
      assert.equal(doc.user_agent.name, 'Firefox');
      assert.equal(doc.data_stream.namespace, 'default');
      assert.equal(Date.parse(doc['@timestamp']), Date.parse('2021-12-04T23:19:07.007Z'));
      const byIp = await countOf(stack.es, DATA_STREAM, { bool: { filter: [{ term: { 'source.ip': '10.0.0.0/8' } }, { range: { '@timestamp': { gte: '2021-12-04', lt: '2021-12-05' } } }] } });
      assert.equal(byIp, 2000, 'source.ip is an ip (CIDR terms) and @timestamp a date (ranges)');
    });

    test('maps the fields as the template says, as the node reports the mapping', async () => {
      const write = (await stack.es.request('GET', `/_resolve/index/${DATA_STREAM}`)).body.data_streams[0].backing_indices.at(-1);
      const types = await mappingOf(stack.es, write);
      const expected: Record<string, string> = {
        '@timestamp': 'date', 'user.id': 'keyword', 'mattermost.audit.session.id': 'keyword', 'mattermost.audit.cluster.id': 'keyword',
        'source.ip': 'ip', 'related.ip': 'ip', 'mattermost.audit.post.pinned': 'boolean', 'event.original': 'keyword',
        'mattermost.audit.event.parameters': 'flattened', 'mattermost.audit.meta': 'flattened', 'source.geo.location': 'geo_point',
        // Stand-ins for the mapper types this distribution lacks (template-fit.ts).
        'data_stream.namespace': 'keyword', 'event.dataset': 'keyword', 'url.original': 'keyword', 'error.message': 'text',
      };
      for (const [field, type] of Object.entries(expected)) assert.equal(types.get(field), type, field);
      const stored = (await stack.es.request('GET', '/_index_template/mattermost-audit-elastic')).body.index_templates[0].index_template;
      const unlike = [...fieldTypes(stored.template.mappings.properties)].filter(([field, type]) => types.get(field) !== undefined && types.get(field) !== type);
      assert.deepEqual(unlike, [], 'every field the index has is mapped as the template put it');
    });

    test("keeps a document the mapping refuses as a dead letter with Elasticsearch's reason", async () => {
      const line = JSON.stringify({ timestamp: '2021-12-04 23:19:32.051 Z', event: 'createTeam', status: 'success', user_id: 'dead-1', team: 'not-an-object' });
      await stack.forwarder.post(`${line}\n${auditLine(1, 'alive')}`);
      await eventually(async () => (await status()).queue.deadLetters === 1, 'one dead letter', 60_000);
      const letters = await (await stack.forwarder.admin('/v1/dead-letters')).json();
      assert.equal(letters.deadLetters[0].status, 400);
      assert.match(letters.deadLetters[0].reason, /^document_parsing_exception: \[1:\d+\] object mapping for \[mattermost\.audit\.team\] tried to parse field \[team\] as object, but found a concrete value/);
      assert.equal(await countOf(stack.es, DATA_STREAM, { term: { 'user.id': 'alive-1' } }), 1, 'its good neighbour was indexed');
      assert.match((await status()).sink.lastError, /^1 of 2 documents refused, kept as dead letters: document_parsing_exception/);
    });

    test('reports a data stream that another template mapped otherwise, keeps what it refuses, and replays it once fixed', async () => {
      const conflict = 'logs-mattermost.audit-conflict';
      // A template above ours (300 > 250) that maps the session id as a number made the data stream.
      const foreign = await stack.es.request('PUT', '/_index_template/foreign-audit', {
        index_patterns: [conflict], priority: 300, data_stream: {},
        template: { mappings: { properties: { '@timestamp': { type: 'date' }, user: { properties: { id: { type: 'keyword' } } }, mattermost: { properties: { audit: { properties: { session: { properties: { id: { type: 'long' } } } } } } } } } },
      });
      assert.equal(foreign.status, 200, JSON.stringify(foreign.body));
      assert.equal((await stack.forwarder.admin('/v1/config', { method: 'PUT', body: JSON.stringify({ DATA_STREAM_NAMESPACE: 'conflict' }) })).status, 200);
      // One record in three has a numeric session id: those fit, the others do not.
      const lines = Array.from({ length: 300 }, (_, n) => JSON.stringify({ ...JSON.parse(auditLine(n, 'conflict')), session_id: n % 3 === 0 ? String(1000 + n) : `sess-${n}` }));
      assert.equal((await stack.forwarder.post(lines.join('\n'))).status, 202);
      await eventually(async () => (await status()).queue.deadLetters === 1 + 200 && (await status()).queue.pendingRecords === 0, '200 more dead letters', 60_000);
      // (The namespace change is itself an audit document in that data stream: only the tagged records count.)
      assert.equal(await countOf(stack.es, conflict, taggedUsers('conflict')), 100, 'the fitting third was indexed; nothing was dropped');
      // The status checks the sink every 2 s at most: the answer may predate the data stream.
      await eventually(async () => (await status()).sink.dataStream?.problems.length === 2, 'both problems in the status', 30_000);
      const report = await status();
      assert.equal(report.sink.dataStream.name, conflict);
      assert.equal(report.sink.dataStream.template, 'foreign-audit');
      assert.match(report.sink.dataStream.problems.join('\n'), /take index template \[foreign-audit\] \(priority 300\), not mattermost-audit-elastic \(250\)/);
      // What refuses documents comes first (fields it mapped dynamically, as text, may follow).
      assert.match(report.sink.dataStream.problems[1], /^the write index \.ds-logs-mattermost\.audit-conflict-[\d.]+-000001 of logs-mattermost\.audit-conflict maps mattermost\.audit\.session\.id as long \(ours keyword\)[,:].*dead letters.*_rollover/s);
      assert.match(report.sink.lastError, /^200 of 300 documents refused, kept as dead letters: document_parsing_exception: .*\[mattermost\.audit\.session\.id\] of type \[long\]/);
      const letters = await (await stack.forwarder.admin('/v1/dead-letters?limit=1000')).json();
      const refused = letters.deadLetters.filter((l: { reason: string }) => l.reason.includes('[mattermost.audit.session.id] of type [long]'));
      assert.equal(refused.length, 200);
      assert.match(refused[0].reason, /^document_parsing_exception: \[1:\d+\] failed to parse field \[mattermost\.audit\.session\.id\] of type \[long\] in document with id '[^']+'\. Preview of field's value: 'sess-\d+' \((illegal_argument_exception|number_format_exception): /);

      // The fix an operator makes: drop the other template, roll the data stream over onto ours, replay.
      assert.equal((await stack.es.request('DELETE', '/_index_template/foreign-audit')).status, 200);
      assert.equal((await stack.es.request('POST', `/${conflict}/_rollover`)).status, 200);
      await eventually(async () => (await status()).sink.dataStream.problems.length === 0, 'no problem reported after the rollover', 30_000);
      assert.equal((await (await stack.forwarder.admin('/v1/dead-letters/replay', { method: 'POST' })).json()).replayed, 201);
      await eventually(async () => (await countOf(stack.es, conflict, taggedUsers('conflict'))) === 300, 'all 300 conflict records indexed', 60_000);
      assert.deepEqual(await tallyOf(stack.es, conflict, 'user.id', taggedUsers('conflict')), { count: 300, distinct: 300, duplicates: [] });
      // The team record of the test before is refused by our own mapping still: kept, not lost.
      await eventually(async () => (await status()).queue.deadLetters === 1 && (await status()).queue.pendingRecords === 0, 'only the team record left', 30_000);
      await stack.forwarder.admin('/v1/config', { method: 'PUT', body: JSON.stringify({ DATA_STREAM_NAMESPACE: null }) });
    });
  });
}
