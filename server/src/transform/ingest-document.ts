/**
 * Field operations on a nested document with the semantics of Elasticsearch's IngestDocument,
 * so that the legacy pipeline fails exactly where Elastic's does (a rename onto an existing
 * field, a path through a scalar, a non-string where a string is required).
 */
import { PipelineFailure, type JsonObject } from './types.js';

/**
 * A dotted path split once. The legacy pipeline makes its paths FieldPaths when it loads; the
 * functions below also take a plain string (split once and remembered) for the mappers that set a
 * few fields.
 */
export class FieldPath {
  readonly keys: readonly string[];
  constructor(readonly text: string) {
    this.keys = text.split('.');
  }
}

export type PathLike = FieldPath | string;

const splitPaths = new Map<string, readonly string[]>();
function keysOf(path: PathLike): readonly string[] {
  if (typeof path !== 'string') return path.keys;
  let keys = splitPaths.get(path);
  if (keys === undefined) {
    keys = path.split('.');
    if (splitPaths.size < 10_000) splitPaths.set(path, keys);
  }
  return keys;
}

function lastKey(path: PathLike): string {
  const keys = keysOf(path);
  return keys[keys.length - 1]!;
}

function textOf(path: PathLike): string {
  return typeof path === 'string' ? path : path.text;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at a dotted path, or undefined when any step is missing or not an object. */
export function getPath(doc: JsonObject, path: PathLike): unknown {
  const keys = keysOf(path);
  let node: unknown = doc;
  for (let i = 0; i < keys.length; i++) {
    if (!isObject(node)) return undefined;
    node = node[keys[i]!];
  }
  return node;
}

/**
 * True when the last key of the path is present, even with a null value (ES hasField). A key
 * whose value is undefined is absent: that is how rename leaves a moved field (see there), and
 * JSON has no undefined.
 */
export function hasPath(doc: JsonObject, path: PathLike): boolean {
  const keys = keysOf(path);
  let node: unknown = doc;
  for (let i = 0; i < keys.length - 1; i++) {
    if (!isObject(node)) return false;
    node = node[keys[i]!];
  }
  return isObject(node) && node[keys[keys.length - 1]!] !== undefined;
}

/** Sets a value, creating intermediate objects; a scalar in the way is a pipeline failure. */
export function setPath(doc: JsonObject, path: PathLike, value: unknown): void {
  const keys = keysOf(path);
  const last = keys[keys.length - 1]!;
  let node: JsonObject = doc;
  for (let i = 0; i < keys.length - 1; i++) {
    const key = keys[i]!;
    const next = node[key];
    if (next === undefined || next === null) {
      const created: JsonObject = {};
      node[key] = created;
      node = created;
    } else if (isObject(next)) {
      node = next;
    } else {
      throw new PipelineFailure(
        `cannot set [${last}] with parent object of type [${javaTypeName(next)}] as part of path [${textOf(path)}]`,
      );
    }
  }
  node[last] = value;
}

/**
 * The rename processor with ignore_missing: moves a field, refusing to overwrite one. The field
 * it moves is left undefined rather than deleted: a delete turns the parsed line into a slow
 * dictionary (about a microsecond for a legacy line's first rename), and every reader here, like
 * JSON.stringify, takes an undefined value for an absent key. pruneEmpty drops such keys; a
 * document that keeps its object (a failed one) has them deleted (dropUndefined).
 */
export function rename(doc: JsonObject, from: PathLike, to: PathLike): void {
  // One walk to the field's parent serves the check, the read and the removal: most renames of the
  // pipeline find nothing, and the others run for every record.
  const keys = keysOf(from);
  let parent: unknown = doc;
  for (let i = 0; i < keys.length - 1; i++) {
    if (!isObject(parent)) return;
    parent = parent[keys[i]!];
  }
  const last = keys[keys.length - 1]!;
  if (!isObject(parent) || parent[last] === undefined) return;
  if (hasPath(doc, to)) throw new PipelineFailure(`field [${textOf(to)}] already exists`);
  const value = parent[last];
  parent[last] = undefined;
  setPath(doc, to, value);
}

/** Deletes the keys left undefined (by rename) from the object at `path`, if there is one. */
export function dropUndefined(doc: JsonObject, path: PathLike): void {
  const object = getPath(doc, path);
  if (!isObject(object)) return;
  for (const key in object) if (object[key] === undefined) delete object[key];
}

/** A string field for processors that require one; null/missing means "ignore". */
export function stringField(doc: JsonObject, path: PathLike): string | undefined {
  const value = getPath(doc, path);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw new PipelineFailure(
      `field [${lastKey(path)}] of type [${javaTypeName(value)}] cannot be cast to [java.lang.String]`,
    );
  }
  return value;
}

/**
 * The gsub processor with ignore_missing: a string, or each string of a list, rewritten in place.
 * Returns the new value; undefined when the field is missing or null.
 */
export function gsub(doc: JsonObject, path: PathLike, pattern: RegExp, replacement: string): unknown {
  const value = getPath(doc, path);
  if (value === undefined || value === null) return undefined;
  let replaced: unknown;
  if (Array.isArray(value)) {
    replaced = value.map((item) => {
      if (typeof item === 'string') return item.replace(pattern, replacement);
      throw new PipelineFailure(
        `value [${String(item)}] of type [${javaTypeName(item)}] in list field [${lastKey(path)}] cannot be cast to [java.lang.String]`,
      );
    });
  } else if (typeof value === 'string') {
    replaced = value.replace(pattern, replacement);
  } else {
    throw new PipelineFailure(`field [${lastKey(path)}] of type [${javaTypeName(value)}] cannot be cast to [java.lang.String]`);
  }
  setPath(doc, path, replaced);
  return replaced;
}

/** Java's String.split(regex) with limit 0: trailing empty strings are dropped. */
export function javaSplit(value: string, separator: RegExp): string[] {
  const parts = value.split(separator);
  if (parts.length === 1) return parts;
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** Appends values to a list field without duplicates (the append processor, allow_duplicates false). */
export function appendUnique(doc: JsonObject, path: PathLike, values: readonly unknown[]): void {
  if (values.length === 0) return;
  const current = getPath(doc, path);
  const list: unknown[] = Array.isArray(current) ? current : current === undefined ? [] : [current];
  for (const value of values) if (!list.includes(value)) list.push(value);
  // A list already there is appended to in place: it sits where it sat.
  if (list !== current) setPath(doc, path, list);
}

function javaTypeName(value: unknown): string {
  if (typeof value === 'string') return 'java.lang.String';
  if (typeof value === 'boolean') return 'java.lang.Boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'java.lang.Integer' : 'java.lang.Double';
  if (Array.isArray(value)) return 'java.util.ArrayList';
  return 'java.util.HashMap';
}
