/**
 * Removes null, "", empty objects and empty arrays, depth first, as the last script of
 * Elastic's pipeline does; false and 0 stay.
 */
export function pruneEmpty(value: Record<string, unknown>): void {
  for (const key in value) {
    const child = value[key];
    if (isEmptyAfterPrune(child)) delete value[key];
  }
}

function isEmptyAfterPrune(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return true;
  if (typeof value !== 'object') return false;
  if (Array.isArray(value)) {
    let write = 0;
    for (let read = 0; read < value.length; read++) {
      const item: unknown = value[read];
      if (!isEmptyAfterPrune(item)) value[write++] = item;
    }
    if (write !== value.length) value.length = write;
    return write === 0;
  }
  const object = value as Record<string, unknown>;
  pruneEmpty(object);
  for (const _ in object) return false;
  return true;
}
