/**
 * How deep a document may nest, and where one goes too deep. Two limits:
 * - Elasticsearch's own, index.mapping.depth.limit (20): a field at the root is at depth 1, a field
 *   inside one object at depth 2, arrays count for nothing. A deeper document is refused by
 *   Elasticsearch, so it would only ever be a dead letter; it becomes a pipeline_error instead.
 *   Counted from the root, also through the flattened fields (which Elasticsearch would let nest 20
 *   more levels on their own): conservative, and nothing is lost, the original stays in the document.
 * - MAX_RECORD_DEPTH, objects and arrays alike: nothing walks past it, so no reader that recurses
 *   (pruning, JSON.stringify, a structured clone to a thread) can run out of stack.
 * JSON.parse itself does not recurse in V8: a record is parsed whatever its depth, then checked.
 */
export const ELASTICSEARCH_DEPTH_LIMIT = 20;
export const DEFAULT_MAX_RECORD_DEPTH = 64;

/** Raised by pruneEmpty; toEcs turns the record into a pipeline_error document. */
export class DocumentTooDeep extends Error {
  override readonly name = 'DocumentTooDeep';
}

/** What the message names; a path thousands of levels deep is cut short. */
const SHOWN_KEYS = 8;

/**
 * Why the document is too deep and where, or undefined when it is not. Iterative: it is what runs
 * on documents nobody has checked yet (a pipeline failure's half-made document).
 */
export function depthProblem(doc: Record<string, unknown>, maxNesting: number): string | undefined {
  // `level`: the depth of the fields of the value, were it an object (the root's are at 1).
  const stack: Array<{ value: unknown; path: string[]; level: number; nesting: number }> = [{ value: doc, path: [], level: 1, nesting: 1 }];
  while (stack.length > 0) {
    const { value, path, level, nesting } = stack.pop()!;
    if (nesting > maxNesting) {
      return `record nests deeper than MAX_RECORD_DEPTH (${maxNesting} levels of objects and arrays) at [${shown(path)}]`;
    }
    // An array's objects are one object to Elasticsearch: they take the array's level.
    if (Array.isArray(value)) {
      for (const item of value) if (typeof item === 'object' && item !== null) stack.push({ value: item, path, level, nesting: nesting + 1 });
      continue;
    }
    const object = value as Record<string, unknown>;
    if (level > ELASTICSEARCH_DEPTH_LIMIT && hasValue(object)) {
      return `document nests deeper than Elasticsearch accepts (index.mapping.depth.limit ${ELASTICSEARCH_DEPTH_LIMIT}) at [${shown(path)}]`;
    }
    for (const key in object) {
      const child = object[key];
      if (typeof child === 'object' && child !== null) {
        stack.push({ value: child, path: [...path, key], level: level + 1, nesting: nesting + 1 });
      }
    }
  }
  return undefined;
}

function hasValue(object: Record<string, unknown>): boolean {
  for (const key in object) if (object[key] !== undefined) return true;
  return false;
}

function shown(path: readonly string[]): string {
  return path.length <= SHOWN_KEYS ? path.join('.') : `${path.slice(0, SHOWN_KEYS).join('.')}… (${path.length} keys)`;
}
