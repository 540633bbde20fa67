import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openGeoLookup, toEcs } from '../server/src/transform/index.js';
import { writeTestGeoIpDatabases } from './support/geoip-fixtures.js';
import { parityDifferences } from './support/parity.js';
import { sharedFixture } from './support/shared-fixtures.js';

const lines = readFileSync(sharedFixture('elastic', 'test-audit.log'), 'utf8').split('\n').filter((l) => l !== '');
const { expected } = JSON.parse(readFileSync(sharedFixture('elastic', 'test-audit.log-expected.json'), 'utf8')) as { expected: object[] };

test('the shared fixture pairs every line with an expected document', () => {
  assert.equal(lines.length, expected.length);
  assert.ok(lines.length >= 24);
});

test("reproduces Elastic's pipeline output for every line of its own test", async () => {
  const geo = await openGeoLookup(await writeTestGeoIpDatabases(await mkdtemp(join(tmpdir(), 'mae-geo-'))));
  const failures = lines.flatMap((line, i) => {
    const problems = parityDifferences(expected[i]!, toEcs(line, { keepOriginal: true, geo }));
    return problems.map((p) => `line ${i + 1}: ${p}`);
  });
  assert.deepEqual(failures, []);
});

test('without a GeoIP database the documents match everywhere but source.geo and source.as', () => {
  for (const [i, line] of lines.entries()) {
    const want = structuredClone(expected[i]) as { source?: Record<string, unknown> };
    delete want.source?.geo;
    delete want.source?.as;
    assert.deepEqual(parityDifferences(want, toEcs(line, { keepOriginal: true })), [], `line ${i + 1}`);
  }
});
