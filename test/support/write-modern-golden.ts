/**
 * Writes test/fixtures/modern-rest-golden.ndjson.gz: generated modern and REST records with the
 * documents toEcs made of them when it was written (on main, before the fast mappers of issue 14).
 * Run it again only to accept a deliberate change of these documents:
 *   node --import tsx test/support/write-modern-golden.ts
 */
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { toEcs } from '../../server/src/transform/index.js';
import { GOLDEN_FIXTURE, GOLDEN_SEED } from './modern-golden.js';
import { generateGoldenCases, META_VARIANTS } from './modern-record-generator.js';

const cases = generateGoldenCases(GOLDEN_SEED, 1500, 600);
const text = cases.map(({ meta, line }) => JSON.stringify({ meta, line, doc: toEcs(line, META_VARIANTS[meta]) })).join('\n');
writeFileSync(GOLDEN_FIXTURE, gzipSync(`${text}\n`, { level: 9 }));
console.log(`${cases.length} cases, ${text.length} bytes of JSON → ${GOLDEN_FIXTURE}`);
