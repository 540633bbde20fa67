/**
 * The `filter_path` response filter: comma-separated dotted paths whose segments may hold `*`
 * (and `**` for any depth); arrays are transparent and emptied objects disappear, as in ES.
 * Exclusions (`-path`) are not emulated and are ignored.
 */
import { isRecord } from './mapping.js';
import { wildcardMatcher } from './wildcard.js';

/** A path as matchers, one per segment; `null` stands for `**`. */
type Pattern = ReadonlyArray<((key: string) => boolean) | null>;

const NOTHING = Symbol('filtered out');

export function applyFilterPath(body: unknown, filter: string): unknown {
  const patterns: Pattern[] = filter.split(',').map((p) => p.trim()).filter((p) => p !== '' && !p.startsWith('-'))
    .map((p) => p.split('.').map((segment) => (segment === '**' ? null : wildcardMatcher(segment))));
  if (patterns.length === 0) return body;
  const kept = keep(body, patterns);
  return kept === NOTHING ? {} : kept;
}

function keep(value: unknown, patterns: readonly Pattern[]): unknown {
  for (const pattern of patterns) if (pattern.length === 0) return value;
  if (Array.isArray(value)) {
    const kept: unknown[] = [];
    for (const element of value) {
      const child = keep(element, patterns);
      if (child !== NOTHING) kept.push(child);
    }
    return kept.length > 0 ? kept : NOTHING;
  }
  if (!isRecord(value)) return NOTHING;
  const out: Record<string, unknown> = {};
  let any = false;
  for (const key in value) {
    const next: Pattern[] = [];
    for (const pattern of patterns) {
      const head = pattern[0];
      if (head === null) {
        next.push(pattern);
        const after = pattern[1];
        if (after && after(key)) next.push(pattern.slice(2));
      } else if (head!(key)) {
        next.push(pattern.slice(1));
      }
    }
    if (next.length === 0) continue;
    const kept = keep(value[key], next);
    if (kept !== NOTHING) {
      out[key] = kept;
      any = true;
    }
  }
  return any ? out : NOTHING;
}
