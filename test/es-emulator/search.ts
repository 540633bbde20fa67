/** `_search` and `_count` over the resolved targets: the query, sort, from/size and ES's response shapes. */
import type { DocRecord, IndexTarget } from './cluster.js';
import { badRequest } from './es-errors.js';
import { isRecord } from './mapping.js';
import { compare, compileQuery, fieldValues } from './query.js';

const MAX_RESULT_WINDOW = 10_000;

interface SortKey { field: string; descending: boolean }

export function shardsOf(targets: readonly IndexTarget[]): Record<string, number> {
  return { total: targets.length, successful: targets.length, skipped: 0, failed: 0 };
}

export function countDocs(targets: readonly IndexTarget[], body: unknown, params: URLSearchParams): Record<string, unknown> {
  const request = isRecord(body) ? body : {};
  for (const key of Object.keys(request)) {
    if (key !== 'query') throw badRequest('parsing_exception', `request does not support [${key}]`);
  }
  let count = 0;
  if (request.query === undefined && !params.has('q')) {
    for (const target of targets) count += target.docs.size;
  } else {
    const { test } = compileQuery(request.query ?? queryStringQuery(params));
    for (const target of targets) for (const doc of target.docs.values()) if (test(doc)) count++;
  }
  return { count, _shards: shardsOf(targets) };
}

export function searchDocs(targets: readonly IndexTarget[], body: unknown, params: URLSearchParams): Record<string, unknown> {
  const started = Date.now();
  const request = isRecord(body) ? body : {};
  const size = numberParam(request.size, params.get('size'), 10);
  const from = numberParam(request.from, params.get('from'), 0);
  if (from + size > MAX_RESULT_WINDOW) {
    throw badRequest('illegal_argument_exception', `Result window is too large, from + size must be less than or equal to: [${MAX_RESULT_WINDOW}] but was [${from + size}].`);
  }
  const query = compileQuery(request.query ?? queryStringQuery(params));
  const matched: Array<[IndexTarget, DocRecord]> = [];
  for (const target of targets) for (const doc of target.docs.values()) if (query.test(doc)) matched.push([target, doc]);
  const sort = sortKeys(request.sort ?? params.get('sort') ?? undefined);
  if (sort.length > 0) matched.sort(([, a], [, b]) => compareDocs(a, b, sort));
  const score = sort.length > 0 ? null : query.scoreless ? 0 : 1;
  const exact = request.track_total_hits === true || matched.length <= MAX_RESULT_WINDOW;
  const hits = matched.slice(from, from + size).map(([target, doc]) => ({
    _index: target.indexName,
    _id: doc._id,
    _score: score,
    ...(request._source === false ? {} : { _source: doc._source }),
    ...(sort.length > 0 ? { sort: sort.map((key) => fieldValues(doc, key.field)[0] ?? null) } : {}),
  }));
  return {
    took: Date.now() - started,
    timed_out: false,
    _shards: shardsOf(targets),
    hits: {
      total: exact ? { value: matched.length, relation: 'eq' } : { value: MAX_RESULT_WINDOW, relation: 'gte' },
      max_score: hits.length > 0 ? score : null,
      hits,
    },
  };
}

/** `?q=field:value` as a term query: enough for eyeballing from curl. */
function queryStringQuery(params: URLSearchParams): unknown {
  const q = params.get('q');
  if (q === null) return undefined;
  const colon = q.indexOf(':');
  return colon < 0 ? { match_all: {} } : { term: { [q.slice(0, colon)]: q.slice(colon + 1).replace(/^"|"$/g, '') } };
}

function numberParam(fromBody: unknown, fromQuery: string | null, fallback: number): number {
  const value = typeof fromBody === 'number' ? fromBody : fromQuery !== null ? Number(fromQuery) : fallback;
  if (!Number.isInteger(value) || value < 0) throw badRequest('illegal_argument_exception', `[size] and [from] must be non-negative integers, got [${String(value)}]`);
  return value;
}

/** `"f"`, `"f:desc"`, `{f: "desc"}`, `{f: {order}}` or an array of them; `_doc`/`_score` keep stored order. */
function sortKeys(spec: unknown): SortKey[] {
  if (spec === undefined) return [];
  const entries = Array.isArray(spec) ? spec : typeof spec === 'string' ? spec.split(',') : [spec];
  const keys: SortKey[] = [];
  for (const entry of entries) {
    if (typeof entry === 'string') {
      const [field = '', order] = entry.split(':');
      keys.push({ field, descending: order === 'desc' });
    } else if (isRecord(entry)) {
      for (const [field, how] of Object.entries(entry)) {
        const order = typeof how === 'string' ? how : isRecord(how) ? how.order : undefined;
        keys.push({ field, descending: order === 'desc' });
      }
    }
  }
  return keys.filter((key) => key.field !== '_doc' && key.field !== '_score');
}

/** Missing values sort last in both directions, as ES's default `missing: _last`. */
function compareDocs(a: DocRecord, b: DocRecord, keys: readonly SortKey[]): number {
  for (const key of keys) {
    const va = fieldValues(a, key.field)[0];
    const vb = fieldValues(b, key.field)[0];
    if (va === undefined || vb === undefined) {
      if (va !== vb) return va === undefined ? 1 : -1;
      continue;
    }
    const order = compare(va, vb) ?? 0;
    if (order !== 0) return key.descending ? -order : order;
  }
  return 0;
}
