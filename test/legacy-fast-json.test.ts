/**
 * The usual legacy line's document written as JSON (legacy-fast-json.ts, what the transform
 * threads send) against JSON.stringify of toEcs's document for the same line, byte for byte: the
 * parity generator's lines, the bench's mix and Elastic's own test lines, with and without
 * keep-original, GeoIP, tags and an envelope, and lines whose strings need escapes or are not ASCII.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { recordMix } from '../bench/record-mix.js';
import { toDocumentBatch } from '../server/src/queue/to-document-batch.js';
import { documentLines } from '../server/src/sinks/document-batch.js';
import { JsonWriter, toEcs, toEcsOrJson } from '../server/src/transform/index.js';
import type { TransformMeta } from '../server/src/transform/types.js';
import { testGeoLookup } from './support/geoip-fixtures.js';
import { generateLegacyLines } from './support/legacy-line-generator.js';
import { sharedFixture } from './support/shared-fixtures.js';

const fixtureLines = readFileSync(sharedFixture('elastic', 'test-audit.log'), 'utf8').split('\n').filter((l) => l !== '');
const mixLines = recordMix(2_000);
const generated = [4, 5, 6].flatMap((seed) => generateLegacyLines(8_000, seed));
/** Strings that JSON writes escaped, or as more than one byte, in every place a usual line has one. */
const awkward = mixLines.slice(0, 60).flatMap((line) => ['é', '"', '\\', '\n', '\u2028', '\ud83d\ude00', '\ud800', '\u007f'].map((odd) =>
  line.replace(/"(user_id|session_id|api_path|client|event)":"([^"]*)"/g, (_, key: string, value: string) => `"${key}":${JSON.stringify(value + odd)}`)
    .replace(/"name":"([^"]*)"/g, (_, value: string) => `"name":${JSON.stringify(odd + value)}`)));
/**
 * Lines with every key the pipeline reads, less each subset of them: where mattermost.audit and
 * user first appear depends on which keys a line has.
 */
const FULL_LINE = {
  user_id: 'u1', login_id: 'l1', ip_address: '10.0.0.1', client: 'mmctl/9.3.0', api_path: '/api/v4/teams/t1/members',
  session_id: 's1', device_id: 'd1', cluster_id: 'k1', errors: '[a, b]', err: 'e1', code: '200',
  user: { id: 'u2', name: 'bob', roles: 'system_user' }, team: { id: 't1', name: 'team' }, post: { id: 'p1', channel_id: 'c9' },
  patch: { name: 'newname' }, channel: { id: 'c9', name: 'ch' },
};
const OPTIONAL_KEYS = Object.keys(FULL_LINE) as Array<keyof typeof FULL_LINE>;
const sparse = ['addTeamMembers', 'createTeam', 'patchUser', 'login'].flatMap((event) =>
  Array.from({ length: 2 ** OPTIONAL_KEYS.length }, (_, n) => n).filter((n) => n % 13 === 0 || n < 2048).map((subset) => {
    const line: Record<string, unknown> = { timestamp: '2021-12-04 23:19:32.051 Z', event, status: 'success' };
    OPTIONAL_KEYS.forEach((key, bit) => { if (subset & (1 << bit)) line[key] = FULL_LINE[key]; });
    return JSON.stringify(line);
  }));
const lines = [...fixtureLines, ...mixLines, ...generated, ...awkward, ...sparse];

test('the usual line is written as JSON byte for byte as toEcs\'s document serialized, whatever the meta and however it changes', async () => {
  const geo = await testGeoLookup();
  const metas: TransformMeta[] = [
    {},
    { keepOriginal: true, geo },
    {
      namespace: 'prod', receivedAt: '2024-01-01T00:00:00.000Z', ingestedAt: '2024-01-02T00:00:00.000Z', tags: ['a', 'mattermost-audit'],
      source: { input: 'file', identity: 'f', path: '/var/log/audit.log', offset: 7, host: 'mm1' }, geo,
    },
    { keepOriginal: true, tags: ['é "quoted"'], source: { input: 'tcp', identity: 't', host: 'ünï' } },
    // Each differs from the one before it in one field of the envelope, which the writer makes once per meta.
    { tags: ['é "quoted"'], source: { input: 'tcp', identity: 't', host: 'other' } },
    { tags: ['é "quoted"', 'b'], source: { input: 'tcp', identity: 't', host: 'other' } },
    { namespace: 'prod', tags: ['é "quoted"', 'b'], source: { input: 'tcp', identity: 't', host: 'other' } },
    { namespace: 'prod', tags: ['é "quoted"', 'b'], source: { input: 'file', identity: 'f', path: '/a.log', offset: 0, host: 'other' } },
    { namespace: 'prod', tags: ['é "quoted"', 'b'], source: { input: 'file', identity: 'f', path: '/b.log', offset: 0, host: 'other' } },
    { namespace: 'prod', tags: ['é "quoted"', 'b'], source: { input: 'file', identity: 'f', path: '/b.log', host: 'other' } },
    { namespace: 'prod', tags: ['é "quoted"', 'b'], source: { input: 'file', identity: 'f', path: '/b.log' } },
  ];
  const out = new JsonWriter();
  const differing: string[] = [];
  let written = 0;
  // Meta by meta for each line, so that the writer's envelope follows every change; the variants for every 8th line.
  for (const [n, line] of lines.entries()) {
    for (const meta of n % 8 === 0 ? metas : metas.slice(0, 4)) {
      // After what the writer holds already, as in a bulk body.
      out.reset();
      out.ascii('{}\n');
      const made = toEcsOrJson(line, meta, out);
      const doc = toEcs(line, meta);
      if (typeof made !== 'string') {
        assert.equal(JSON.stringify(made), JSON.stringify(doc), line);
        assert.equal(out.length, 3, `nothing written for ${line}`);
        continue;
      }
      written++;
      assert.equal(made, doc['@timestamp'], line);
      const text = Buffer.from(out.written().subarray(3)).toString('utf8');
      if (text !== JSON.stringify(doc)) differing.push(`${line}\n  written:    ${text}\n  serialized: ${JSON.stringify(doc)}`);
    }
  }
  assert.deepEqual(differing.slice(0, 3), []);
  // Every usual line of the mix, Elastic's and the generator's (less those that pruneEmpty changes) and the awkward ones.
  assert.ok(written > 4 * (mixLines.length * 0.6 + generated.length * 0.2 + awkward.length * 0.9 + sparse.length * 0.9), `${written} written`);
});

test('a batch of a file\'s lines holds the same document lines as each line\'s document serialized', () => {
  const meta: TransformMeta = { namespace: 'default', ingestedAt: '2024-01-02T00:00:00.000Z' };
  const source = { input: 'file' as const, identity: 'f1', path: '/var/log/audit.log', host: 'mm1' };
  const batchLines = [...mixLines.slice(0, 500), ...awkward.slice(0, 200), ...generated.slice(0, 300)];
  const batch = toDocumentBatch({ source, receivedAt: '2024-01-02T00:00:00.000Z', records: batchLines.map((text, i) => ({ text, offset: i * 1000 })) }, meta);
  const expected = batchLines.map((text, i) => {
    const doc = toEcs(text, { ...meta, source: { ...source, offset: i * 1000 } });
    return `${JSON.stringify(doc)}\n`;
  }).join('');
  assert.equal(documentLines(batch).toString('utf8'), expected);
});

test('the writer writes any JSON value as JSON.stringify does', () => {
  const values: unknown[] = [
    '', 'plain', 'é', '"\\\n\t\u0000\u001f', '\u2028\u2029', '\ud83d\ude00', '\ud800', 'a\udfffb', '\u007f',
    0, -0, 1.5, -1e-7, 1e21, 2 ** 53, NaN, Infinity, true, false, null,
    [], [undefined, () => 1, 'x', [null]], {}, { a: undefined, b: 1, c: { d: ['e', { f: 'g' }] }, 2: 'two', 1: 'one' },
    { toJSON: () => 'as text' }, { nested: new Date(0) },
  ];
  const out = new JsonWriter();
  for (const value of values) {
    out.reset();
    out.value(value);
    assert.equal(Buffer.from(out.written()).toString('utf8'), JSON.stringify(value), String(JSON.stringify(value)));
  }
  // Past the first buffer: it grows and keeps what was written.
  out.reset();
  const long = 'x'.repeat(40_000) + 'é'.repeat(20_000);
  out.value([long, long]);
  assert.equal(Buffer.from(out.written()).toString('utf8'), JSON.stringify([long, long]));
});
