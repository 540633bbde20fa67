/**
 * "Parity" as ../shared/fixtures/README.md defines it: every field of Elastic's expected document
 * is in ours with the same value (@timestamp as the same instant, arrays as sets), and ours adds
 * only envelope fields that Elastic Agent adds outside the pipeline.
 */
import { isDeepStrictEqual } from 'node:util';

const ENVELOPE_PREFIXES = ['data_stream', 'event.dataset', 'event.module', 'event.id', 'event.ingested', 'agent', 'host', 'input', 'log', 'observer'];

export function flatten(value: unknown, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) flatten(child, prefix ? `${prefix}.${key}` : key, out);
  } else {
    out.set(prefix, value);
  }
  return out;
}

function sameValue(field: string, expected: unknown, actual: unknown): boolean {
  if (field === '@timestamp') return Date.parse(String(expected)) === Date.parse(String(actual));
  if (Array.isArray(expected) && Array.isArray(actual)) {
    const key = (v: unknown) => JSON.stringify(v);
    return isDeepStrictEqual(new Set(expected.map(key)), new Set(actual.map(key)));
  }
  return isDeepStrictEqual(expected, actual);
}

/** Differences, one line each; empty when the documents are at parity. */
export function parityDifferences(expected: object, actual: object): string[] {
  const want = flatten(expected);
  const have = flatten(actual);
  const problems: string[] = [];
  for (const [field, value] of want) {
    if (field === 'tags') {
      const tags = have.get('tags');
      const missing = (value as string[]).filter((tag) => !(Array.isArray(tags) && tags.includes(tag)));
      if (missing.length > 0) problems.push(`tags: missing ${missing.join(', ')}`);
    } else if (!have.has(field)) {
      problems.push(`${field}: missing (expected ${JSON.stringify(value)})`);
    } else if (!sameValue(field, value, have.get(field))) {
      problems.push(`${field}: expected ${JSON.stringify(value)}, got ${JSON.stringify(have.get(field))}`);
    }
  }
  for (const field of have.keys()) {
    if (want.has(field) || field === 'tags') continue;
    if (!ENVELOPE_PREFIXES.some((p) => field === p || field.startsWith(`${p}.`))) problems.push(`${field}: not in Elastic's document`);
  }
  return problems;
}
