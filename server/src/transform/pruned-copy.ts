/**
 * pruneEmpty's result for one part of a document, for the mappers that build their documents in
 * their final shape (modern records, REST audits) and so spare toEcs the walk over the whole
 * document: only the parts they copy from the record (meta, event parameters and states, an error
 * description) or get from elsewhere (user agent, URL, GeoIP) can hold empty values.
 * Unlike pruneEmpty it changes nothing it is given (a changed object or list is a copy) and never
 * throws: where pruneEmpty would refuse the document as too deep it answers TOO_DEEP, and the
 * mapper hands the document, untouched, to pruneEmpty, which then fails it exactly as before.
 */
import { ELASTICSEARCH_DEPTH_LIMIT } from './document-depth.js';
import { setOwn } from './prune-empty.js';

export const TOO_DEEP: unique symbol = Symbol('too deep');

/**
 * The value without null, "", empty objects and empty lists, or undefined when nothing is left.
 * `depth`: where the value sits, as pruneEmpty counts (the number of keys of its path plus one:
 * 5 for mattermost.audit.event.parameters), both for Elasticsearch's depth and for `maxNesting`.
 * Valid for documents whose own objects nest less than `maxNesting` (MAX_RECORD_DEPTH is at least 20).
 */
export function prunedCopy(value: unknown, depth: number, maxNesting: number): unknown {
  return prunedValue(value, depth, depth, maxNesting);
}

function prunedValue(value: unknown, level: number, nesting: number, maxNesting: number): unknown {
  // By type first: most values are strings, and `value === ''` on a value of any type is V8's generic comparison.
  if (typeof value === 'string') return value.length === 0 ? undefined : value;
  if (typeof value !== 'object' || value === null) return value === null ? undefined : value;
  if (nesting > maxNesting) return TOO_DEEP;
  if (Array.isArray(value)) return prunedList(value, level, nesting, maxNesting);
  return prunedObject(value as Record<string, unknown>, level, nesting, maxNesting);
}

function prunedList(list: unknown[], level: number, nesting: number, maxNesting: number): unknown {
  let copy: unknown[] | undefined;
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    const pruned = prunedValue(item, level, nesting + 1, maxNesting);
    if (pruned === TOO_DEEP) return TOO_DEEP;
    if (pruned !== item && copy === undefined) copy = list.slice(0, i);
    if (copy !== undefined && pruned !== undefined) copy.push(pruned);
  }
  const result = copy ?? list;
  return result.length === 0 ? undefined : result;
}

function prunedObject(object: Record<string, unknown>, level: number, nesting: number, maxNesting: number): unknown {
  let copy: Record<string, unknown> | undefined;
  let kept = 0;
  for (const key in object) {
    const child = object[key];
    const pruned = prunedValue(child, level + 1, nesting + 1, maxNesting);
    if (pruned === TOO_DEEP) return TOO_DEEP;
    // The first change: the copy takes the keys before it, all unchanged.
    if (pruned !== child && copy === undefined) {
      copy = {};
      for (const earlier in object) {
        if (earlier === key) break;
        setOwn(copy, earlier, object[earlier]);
      }
    }
    if (pruned === undefined) continue;
    kept++;
    if (copy !== undefined) setOwn(copy, key, pruned);
  }
  if (kept === 0) return undefined;
  if (level > ELASTICSEARCH_DEPTH_LIMIT) return TOO_DEEP;
  return copy ?? object;
}

/**
 * The parts of one document as a mapper builds it: each part taken from elsewhere goes through
 * `kept`. `final` stays true while every part was pruned; after a TOO_DEEP the mapper builds the
 * document again `raw` (every part as it came), for pruneEmpty to fail it as it always has.
 */
export class DocumentParts {
  final = true;
  constructor(readonly maxNesting: number, readonly raw = false) {}

  /** The part pruned (undefined when empty), or as it came when raw or too deep. */
  kept(value: unknown, depth: number): unknown {
    if (this.raw) return value;
    const pruned = prunedCopy(value, depth, this.maxNesting);
    if (pruned !== TOO_DEEP) return pruned;
    this.final = false;
    return value;
  }
}
