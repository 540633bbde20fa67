/**
 * Removes null, "", empty objects and empty arrays, depth first, as the last script of
 * Elastic's pipeline does; false and 0 stay.
 * An object that loses a key is replaced by a copy without it rather than `delete`d from: a
 * delete turns an object into a slow dictionary, for JSON.stringify too, and the pipeline's iam
 * script leaves empty objects (group, user.changes, …) in about a third of the legacy records.
 * It walks the whole document anyway, so it is where a document's depth is checked (see
 * document-depth.ts): it throws DocumentTooDeep rather than go past a limit.
 */
import { DEFAULT_MAX_RECORD_DEPTH, DocumentTooDeep, ELASTICSEARCH_DEPTH_LIMIT } from './document-depth.js';

/** Set by pruneEmpty for the walk it starts: the walk is synchronous. */
let maxNesting = DEFAULT_MAX_RECORD_DEPTH;

export function pruneEmpty<T extends Record<string, unknown>>(value: T, maxDepth = DEFAULT_MAX_RECORD_DEPTH): T {
  maxNesting = maxDepth;
  return (prunedObject(value, 1, 1) ?? {}) as T;
}

/**
 * The object without its empty values, or undefined when nothing is left. `level`: the depth of
 * its fields as Elasticsearch counts it (arrays count for nothing); `nesting`: objects and arrays.
 */
function prunedObject(object: Record<string, unknown>, level: number, nesting: number): Record<string, unknown> | undefined {
  let copy: Record<string, unknown> | undefined;
  let kept = 0;
  for (const key in object) {
    const child = object[key];
    const pruned = prunedValue(child, level + 1, nesting + 1);
    if (pruned === undefined) {
      // The first key to go: the copy takes the keys kept so far.
      if (!copy) {
        copy = {};
        for (const earlier in object) {
          if (earlier === key) break;
          setOwn(copy, earlier, object[earlier]);
        }
      }
      continue;
    }
    kept++;
    if (copy) setOwn(copy, key, pruned);
    else if (pruned !== child) setOwn(object, key, pruned);
  }
  if (kept === 0) return undefined;
  if (level > ELASTICSEARCH_DEPTH_LIMIT) throw new DocumentTooDeep('document nests deeper than Elasticsearch accepts');
  return copy ?? object;
}

/** The value without its empty parts, or undefined when it is empty itself. */
function prunedValue(value: unknown, level: number, nesting: number): unknown {
  if (value === null || value === undefined || value === '') return undefined;
  if (typeof value !== 'object') return value;
  if (nesting > maxNesting) throw new DocumentTooDeep('record nests deeper than MAX_RECORD_DEPTH');
  if (Array.isArray(value)) {
    let write = 0;
    for (let read = 0; read < value.length; read++) {
      const item = prunedValue(value[read], level, nesting + 1);
      if (item !== undefined) value[write++] = item;
    }
    if (write !== value.length) value.length = write;
    return write === 0 ? undefined : value;
  }
  return prunedObject(value as Record<string, unknown>, level, nesting);
}

/** A parsed record may carry a `__proto__` key: it stays a key, never becomes the prototype. */
export function setOwn(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  else object[key] = value;
}
