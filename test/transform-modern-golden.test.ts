/**
 * The documents of modern and REST records stay what they were: generated records (every catalog
 * event, odd and missing parts, empty values, lists, too deep values; see
 * support/modern-record-generator.ts) against the documents toEcs made of them before its fast
 * mappers, kept in test/fixtures/modern-rest-golden.ndjson.gz (support/write-modern-golden.ts).
 * Compared as JSON, what a sink receives: one changed, added or missing field fails.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AUDIT_EVENT_CATALOG } from '../server/src/transform/audit-event-catalog.js';
import { toEcs } from '../server/src/transform/index.js';
import { readGolden } from './support/modern-golden.js';
import { META_VARIANTS } from './support/modern-record-generator.js';

const golden = readGolden();

test('the golden cases cover every catalog event, REST audits, failures and every meta variant', () => {
  const modernNames = new Set(golden.map(({ line }) => { try { return JSON.parse(line).event_name; } catch { return undefined; } }));
  assert.deepEqual(Object.keys(AUDIT_EVENT_CATALOG).filter((name) => !modernNames.has(name)), []);
  assert.ok(golden.filter(({ line }) => line.includes('"create_at"')).length >= 500);
  assert.ok(golden.filter(({ doc }) => (doc.event as any).kind === 'pipeline_error').length >= 50);
  assert.deepEqual(new Set(golden.map(({ meta }) => meta)), new Set(Object.keys(META_VARIANTS)));
});

test('every generated modern and REST record gives the same document as before, field for field', () => {
  const changed: string[] = [];
  for (const { meta, line, doc } of golden) {
    const actual = JSON.parse(JSON.stringify(toEcs(line, META_VARIANTS[meta])));
    try {
      assert.deepStrictEqual(actual, doc);
    } catch (error) {
      if (changed.length < 3) changed.push(`${meta} ${line}\n${(error as Error).message}`);
      else changed.push(line);
    }
  }
  assert.equal(changed.length, 0, `${changed.length} of ${golden.length} documents changed:\n${changed.slice(0, 3).join('\n\n')}`);
});
