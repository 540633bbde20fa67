/**
 * The query DSL subset the tests use, compiled to predicates over stored documents: match_all,
 * match_none, term, terms, ids, exists, range, match (any analysed token, roughly) and bool.
 * Field paths are dotted and reach into nested objects and dotted keys alike; a field holding an
 * array matches when any element does. Anything else answers 400 parsing_exception, as ES does
 * for a query it does not know.
 */
import type { DocRecord } from './cluster.js';
import { badRequest } from './es-errors.js';
import { isRecord } from './mapping.js';

export type DocPredicate = (doc: DocRecord) => boolean;

export interface CompiledQuery {
  test: DocPredicate;
  /** Filter context only (bool without must/should): ES scores those hits 0. */
  scoreless: boolean;
}

export function compileQuery(query: unknown): CompiledQuery {
  if (query === undefined) return { test: () => true, scoreless: false };
  if (!isRecord(query)) throw badRequest('parsing_exception', '[query] malformed query, expected [START_OBJECT]');
  const kinds = Object.keys(query);
  if (kinds.length !== 1) throw badRequest('parsing_exception', `[${kinds[1] ?? 'query'}] malformed query, expected [END_OBJECT] but found [FIELD_NAME]`);
  const kind = kinds[0]!;
  const body = query[kind];
  if (kind === 'bool') return compileBool(body);
  return { test: compileLeaf(kind, body), scoreless: false };
}

function compileBool(body: unknown): CompiledQuery {
  if (!isRecord(body)) throw badRequest('parsing_exception', '[bool] query malformed, no start_object after query name');
  const clauses = (name: string): DocPredicate[] => {
    const raw = body[name];
    if (raw === undefined) return [];
    return (Array.isArray(raw) ? raw : [raw]).map((q) => compileQuery(q).test);
  };
  const must = [...clauses('must'), ...clauses('filter')];
  const should = clauses('should');
  const mustNot = clauses('must_not');
  const minimumShould = typeof body.minimum_should_match === 'number' ? body.minimum_should_match : must.length === 0 && should.length > 0 ? 1 : 0;
  return {
    scoreless: body.must === undefined && body.should === undefined,
    test: (doc) => must.every((p) => p(doc)) && !mustNot.some((p) => p(doc))
      && (minimumShould === 0 || should.filter((p) => p(doc)).length >= minimumShould),
  };
}

function compileLeaf(kind: string, body: unknown): DocPredicate {
  switch (kind) {
    case 'match_all': return () => true;
    case 'match_none': return () => false;
    case 'ids': {
      const values = isRecord(body) && Array.isArray(body.values) ? new Set(body.values.map(String)) : new Set<string>();
      return (doc) => values.has(doc._id);
    }
    case 'exists': {
      const field = isRecord(body) && typeof body.field === 'string' ? body.field : '';
      return (doc) => fieldValues(doc, field).length > 0;
    }
    case 'term': {
      const [field, value] = fieldAndValue('term', body, 'value');
      const wanted = comparable(value);
      return (doc) => fieldValues(doc, field).some((v) => comparable(v) === wanted);
    }
    case 'terms': {
      const [field, value] = fieldAndValue('terms', body);
      if (!Array.isArray(value)) throw badRequest('parsing_exception', `[terms] query does not support [${field}]`);
      const wanted = new Set(value.map(comparable));
      return (doc) => fieldValues(doc, field).some((v) => wanted.has(comparable(v)));
    }
    case 'match': {
      const [field, value] = fieldAndValue('match', body, 'query');
      const wanted = tokens(value);
      return (doc) => fieldValues(doc, field).some((v) => tokens(v).some((t) => wanted.includes(t)));
    }
    case 'range': return compileRange(body);
    default: throw badRequest('parsing_exception', `unknown query [${kind}]`, { line: 1, col: 1 });
  }
}

function compileRange(body: unknown): DocPredicate {
  const [field, bounds] = fieldAndValue('range', body);
  if (!isRecord(bounds)) throw badRequest('parsing_exception', `[range] query malformed, no start_object after query name`);
  const checks: Array<(v: unknown) => boolean> = [];
  const bound = (key: string, accept: (order: number) => boolean) => {
    if (bounds[key] !== undefined) checks.push((v) => { const order = compare(v, bounds[key]); return order !== undefined && accept(order); });
  };
  bound('gt', (o) => o > 0);
  bound('gte', (o) => o >= 0);
  bound('lt', (o) => o < 0);
  bound('lte', (o) => o <= 0);
  return (doc) => fieldValues(doc, field).some((v) => checks.every((check) => check(v)));
}

/** `{field: value}` or `{field: {value: …}}`: the field and the value. */
function fieldAndValue(kind: string, body: unknown, valueKey?: string): [string, unknown] {
  const entries = isRecord(body) ? Object.entries(body).filter(([k]) => k !== 'boost' && k !== '_name') : [];
  if (entries.length !== 1) throw badRequest('parsing_exception', `[${kind}] query doesn't support multiple fields, found [${entries.map(([k]) => k).join('] and [')}]`);
  const [field, raw] = entries[0]!;
  const value = valueKey && isRecord(raw) && valueKey in raw ? raw[valueKey] : raw;
  return [field, value];
}

/** Every value at a dotted path, whether the source nests objects or uses dotted keys; arrays flattened. */
export function fieldValues(doc: DocRecord, field: string): unknown[] {
  if (field === '_id') return [doc._id];
  if (field === '_index') return [doc._index];
  const out: unknown[] = [];
  collect(doc._source, field.split('.'), 0, out);
  return out;
}

function collect(value: unknown, parts: readonly string[], from: number, out: unknown[]): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    for (const element of value) collect(element, parts, from, out);
    return;
  }
  if (from === parts.length) {
    out.push(value);
    return;
  }
  if (!isRecord(value)) return;
  let key = '';
  for (let i = from; i < parts.length; i++) {
    key = i === from ? parts[i]! : `${key}.${parts[i]}`;
    if (key in value) collect(value[key], parts, i + 1, out);
  }
}

/** Keyword semantics with ES's coercion: 1 and "1", true and "true" are the same term. */
function comparable(value: unknown): string {
  return isRecord(value) || Array.isArray(value) ? JSON.stringify(value) : String(value);
}

function tokens(value: unknown): string[] {
  return String(value).toLowerCase().split(/[^\p{L}\p{N}_]+/u).filter(Boolean);
}

/** Numbers as numbers, dates as instants, otherwise as strings; undefined when not comparable. */
export function compare(a: unknown, b: unknown): number | undefined {
  if (a === undefined || a === null || b === undefined || b === null) return undefined;
  const na = typeof a === 'number' ? a : typeof a === 'string' && a.trim() !== '' ? Number(a) : NaN;
  const nb = typeof b === 'number' ? b : typeof b === 'string' && b.trim() !== '' ? Number(b) : NaN;
  if (!Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  if (typeof a === 'string' && typeof b === 'string') {
    const ta = Date.parse(a);
    const tb = Date.parse(b);
    if (!Number.isNaN(ta) && !Number.isNaN(tb)) return ta - tb;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}
