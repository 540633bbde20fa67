/** Where the golden documents of modern and REST records live, and what reads them. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';

export const GOLDEN_FIXTURE = resolve(import.meta.dirname, '../fixtures/modern-rest-golden.ndjson.gz');
export const GOLDEN_SEED = 14;

export interface GoldenEntry { meta: string; line: string; doc: Record<string, unknown> }

export function readGolden(): GoldenEntry[] {
  return gunzipSync(readFileSync(GOLDEN_FIXTURE)).toString('utf8').split('\n').filter(Boolean).map((text) => JSON.parse(text) as GoldenEntry);
}
