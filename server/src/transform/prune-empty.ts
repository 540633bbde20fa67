/**
 * Removes null, "", empty objects and empty arrays, depth first, as the last script of
 * Elastic's pipeline does; false and 0 stay.
 * An object that loses a key is replaced by a copy without it rather than `delete`d from: a
 * delete turns an object into a slow dictionary, for JSON.stringify too, and the pipeline's iam
 * script leaves empty objects (group, user.changes, …) in about a third of the legacy records.
 */
export function pruneEmpty<T extends Record<string, unknown>>(value: T): T {
  return (prunedObject(value) ?? {}) as T;
}

/** The object without its empty values, or undefined when nothing is left. */
function prunedObject(object: Record<string, unknown>): Record<string, unknown> | undefined {
  let copy: Record<string, unknown> | undefined;
  let kept = 0;
  for (const key in object) {
    const child = object[key];
    const pruned = prunedValue(child);
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
  return copy ?? object;
}

/** The value without its empty parts, or undefined when it is empty itself. */
function prunedValue(value: unknown): unknown {
  if (value === null || value === undefined || value === '') return undefined;
  if (typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let write = 0;
    for (let read = 0; read < value.length; read++) {
      const item = prunedValue(value[read]);
      if (item !== undefined) value[write++] = item;
    }
    if (write !== value.length) value.length = write;
    return write === 0 ? undefined : value;
  }
  return prunedObject(value as Record<string, unknown>);
}

/** A parsed record may carry a `__proto__` key: it stays a key, never becomes the prototype. */
function setOwn(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  else object[key] = value;
}
