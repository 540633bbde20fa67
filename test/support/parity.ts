/**
 * "Parity" as ../shared/fixtures/README.md defines it: every field of Elastic's expected document
 * is in ours with the same value (@timestamp as the same instant, arrays as sets), and ours adds
 * only envelope fields that Elastic Agent adds outside the pipeline. For a pipeline_error
 * document both must say so and carry an error.message (the Java exception text need not match),
 * and ours may carry the @timestamp a data stream needs where Elastic's has none.
 */
import { isDeepStrictEqual } from 'node:util';

const ENVELOPE_PREFIXES = ['data_stream', 'event.dataset', 'event.module', 'event.id', 'event.ingested', 'agent', 'host', 'input', 'log', 'observer'];

export interface ParityOptions {
  /** Dotted prefixes left out on both sides: fields the oracle could not judge. */
  unjudged?: readonly string[];
}

export interface FieldDifference {
  field: string;
  expected?: unknown;
  actual?: unknown;
  /** missing: in Elastic's document only; extra: in ours only; value: in both, not the same. */
  kind: 'missing' | 'extra' | 'value';
}

export function flatten(value: unknown, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) flatten(child, prefix ? `${prefix}.${key}` : key, out);
  } else {
    out.set(prefix, value);
  }
  return out;
}

const under = (field: string, prefix: string) => field === prefix || field.startsWith(`${prefix}.`);

function sameValue(field: string, expected: unknown, actual: unknown): boolean {
  if (field === '@timestamp') return Date.parse(String(expected)) === Date.parse(String(actual));
  if (Array.isArray(expected) && Array.isArray(actual)) {
    const key = (v: unknown) => JSON.stringify(v);
    return isDeepStrictEqual(new Set(expected.map(key)), new Set(actual.map(key)));
  }
  return isDeepStrictEqual(expected, actual);
}

/** Every field where the documents are not at parity; empty when they are. */
export function fieldDifferences(expected: object, actual: object, options: ParityOptions = {}): FieldDifference[] {
  const unjudged = options.unjudged ?? [];
  const want = flatten(expected);
  const have = flatten(actual);
  const failed = want.get('event.kind') === 'pipeline_error';
  const problems: FieldDifference[] = [];
  for (const [field, value] of want) {
    if (unjudged.some((p) => under(field, p))) continue;
    if (field === 'tags') {
      if (unjudged.includes('tags')) continue;
      const tags = have.get('tags');
      const missing = (value as string[]).filter((tag) => !(Array.isArray(tags) && tags.includes(tag)));
      if (missing.length > 0) problems.push({ field, expected: value, actual: tags, kind: 'value' });
    } else if (failed && field === 'error.message') {
      if (!have.has(field)) problems.push({ field, expected: value, kind: 'missing' });
    } else if (!have.has(field)) {
      problems.push({ field, expected: value, kind: 'missing' });
    } else if (!sameValue(field, value, have.get(field))) {
      problems.push({ field, expected: value, actual: have.get(field), kind: 'value' });
    }
  }
  for (const [field, value] of have) {
    if (want.has(field) || field === 'tags' || unjudged.some((p) => under(field, p))) continue;
    if (failed && field === '@timestamp') continue;
    if (!ENVELOPE_PREFIXES.some((p) => under(field, p))) problems.push({ field, actual: value, kind: 'extra' });
  }
  return problems;
}

export function describeDifference(d: FieldDifference): string {
  if (d.kind === 'missing') return `${d.field}: missing (expected ${JSON.stringify(d.expected)})`;
  if (d.kind === 'extra') return `${d.field}: not in Elastic's document (ours ${JSON.stringify(d.actual)})`;
  return `${d.field}: expected ${JSON.stringify(d.expected)}, got ${JSON.stringify(d.actual)}`;
}

/** Differences, one line each; empty when the documents are at parity. */
export function parityDifferences(expected: object, actual: object, options?: ParityOptions): string[] {
  return fieldDifferences(expected, actual, options).map(describeDifference);
}
