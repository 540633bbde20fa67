/**
 * The legacy fast path (legacy-fast-path.ts) against the pipeline's step list (legacy.ts), the
 * reference that the parity tests hold to Elastic's pipeline: for the parity generator's lines
 * (usual and odd forms), the bench's mix and Elastic's own test lines, with and without
 * keep-original, GeoIP and an envelope, both give the same document, key order included.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { recordMix } from '../bench/record-mix.js';
import { usualLegacyDocument } from '../server/src/transform/legacy-fast-path.js';
import { usualValuesOf } from '../server/src/transform/legacy-usual-values.js';
import { toEcs, toEcsByTheSteps } from '../server/src/transform/to-ecs.js';
import type { TransformMeta } from '../server/src/transform/types.js';
import { testGeoLookup } from './support/geoip-fixtures.js';
import { generateLegacyLines } from './support/legacy-line-generator.js';
import { flatten } from './support/parity.js';
import { sharedFixture } from './support/shared-fixtures.js';

const fixtureLines = readFileSync(sharedFixture('elastic', 'test-audit.log'), 'utf8').split('\n').filter((l) => l !== '');
const mixLines = recordMix(2_000).filter((_, n) => n % 100 < 60);
const generated = [1, 2, 3].flatMap((seed) => generateLegacyLines(8_000, seed));
const lines = [...fixtureLines, ...mixLines, ...generated];

/** The fast path's document for the line, or undefined where it leaves the line to the step list. */
function fastDocument(line: string): Record<string, unknown> | undefined {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return undefined;
  const values = usualValuesOf(record as Record<string, unknown>, line, undefined, 64);
  return values && usualLegacyDocument({ ecs: {}, event: {} }, values, 64, undefined);
}

test('the usual legacy line takes the fast path: every line of the bench mix, most of the generated ones', () => {
  assert.equal(mixLines.filter((line) => fastDocument(line) !== undefined).length, mixLines.length);
  const taken = generated.filter((line) => fastDocument(line) !== undefined).length;
  // The generator writes odd forms (null, numbers, lists, repeated keys…) into about half of its lines.
  assert.ok(taken > generated.length * 0.3, `${taken} of ${generated.length} generated lines`);
  assert.ok(fixtureLines.filter((line) => fastDocument(line) !== undefined).length >= 15);
});

test('the lines the fast path takes reach every field it writes, and the empty values it prunes', () => {
  const fields = new Set<string>();
  let withEmptyValues = 0;
  for (const line of lines) {
    const doc = fastDocument(line);
    if (doc === undefined) continue;
    for (const field of flatten(doc).keys()) fields.add(field);
    if (line.includes(':""')) withEmptyValues++;
  }
  const expected = [
    '@timestamp', 'event.action', 'event.outcome', 'event.category', 'event.type', 'error.code', 'mattermost.audit.error.message',
    'user.id', 'source.address', 'source.ip', 'user_agent.name', 'user_agent.os.name', 'mattermost.audit.api_path', 'url.path',
    'url.query', 'url.extension', 'mattermost.audit.session.id', 'mattermost.audit.device.id', 'mattermost.audit.cluster.id',
    'user.target.id', 'user.target.name', 'user.target.roles', 'mattermost.audit.team.id', 'http.response.status_code',
    'mattermost.audit.post.channel.id', 'mattermost.audit.patch.name', 'mattermost.audit.channel.id', 'user.changes.name',
    'group.name', 'group.id', 'user.target.group.name', 'user.target.group.id', 'related.user', 'related.ip',
    'mattermost.audit.related.channel', 'mattermost.audit.related.team',
  ];
  assert.deepEqual(expected.filter((field) => !fields.has(field)), []);
  assert.ok(withEmptyValues > 1_000, `${withEmptyValues} lines with empty values`);
});

test('the fast path writes the document the step list writes, field for field and in the same order', async () => {
  const geo = await testGeoLookup();
  const metas: TransformMeta[] = [
    {},
    { keepOriginal: true, geo },
    {
      namespace: 'prod', receivedAt: '2024-01-01T00:00:00.000Z', ingestedAt: '2024-01-02T00:00:00.000Z', tags: ['a', 'mattermost-audit'],
      source: { input: 'file', identity: 'f', path: '/var/log/audit.log', offset: 7, host: 'mm1' }, geo,
    },
  ];
  // Too shallow for the fast path: the step list decides alone, depth errors included.
  const shallow: TransformMeta = { maxRecordDepth: 4 };
  const differing: string[] = [];
  for (const meta of [...metas, shallow]) {
    for (const line of meta === shallow ? lines.slice(0, 5_000) : lines) {
      const fast = toEcs(line, meta);
      const reference = toEcsByTheSteps(line, meta);
      if (JSON.stringify(fast) === JSON.stringify(reference)) continue;
      differing.push(`${line}\n  fast:  ${JSON.stringify(fast)}\n  steps: ${JSON.stringify(reference)}`);
    }
  }
  assert.deepEqual(differing.slice(0, 3), []);
});

test('a repeated key is never taken for a usual line, however short: the line fails as in the step list', () => {
  const repeated = [...fixtureLines, ...mixLines.slice(0, 300)].flatMap((line) => {
    const body = line.slice(1, -1);
    return [
      `{"event":"x",${body}}`, `{"":0,"":1,${body}}`, `{"z":1,${body},"z":2}`, `{${body},"timestamp":"2024-01-01 00:00:00.000 Z"}`,
      `{"a":"","a":"",${body}}`, line.replace('"user":{', '"user":{"id":"","id":"",'), line.replace('"channel":{', '"channel":{"":"","":"",'),
    ].filter((variant) => variant !== line);
  });
  for (const line of repeated) {
    const doc = toEcs(line);
    assert.equal((doc.event as { kind?: unknown }).kind, 'pipeline_error', line);
    assert.equal(JSON.stringify(doc), JSON.stringify(toEcsByTheSteps(line)), line);
  }
  assert.ok(repeated.length > 1_500, `${repeated.length} lines`);
});
