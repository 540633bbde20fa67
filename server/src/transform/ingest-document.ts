/**
 * Field operations on a nested document with the semantics of Elasticsearch's IngestDocument,
 * so that the legacy pipeline fails exactly where Elastic's does (a rename onto an existing
 * field, a path through a scalar, a non-string where a string is required).
 */
import { PipelineFailure, type JsonObject } from './types.js';

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at a dotted path, or undefined when any step is missing or not an object. */
export function getPath(doc: JsonObject, path: string): unknown {
  let node: unknown = doc;
  for (const key of path.split('.')) {
    if (!isObject(node)) return undefined;
    node = node[key];
  }
  return node;
}

/** True when the last key of the path is present, even with a null value (ES hasField). */
export function hasPath(doc: JsonObject, path: string): boolean {
  const keys = path.split('.');
  const last = keys.pop() as string;
  let node: unknown = doc;
  for (const key of keys) {
    if (!isObject(node)) return false;
    node = node[key];
  }
  return isObject(node) && Object.prototype.hasOwnProperty.call(node, last);
}

/** Sets a value, creating intermediate objects; a scalar in the way is a pipeline failure. */
export function setPath(doc: JsonObject, path: string, value: unknown): void {
  const keys = path.split('.');
  const last = keys.pop() as string;
  let node: JsonObject = doc;
  for (const key of keys) {
    const next = node[key];
    if (next === undefined || next === null) {
      const created: JsonObject = {};
      node[key] = created;
      node = created;
    } else if (isObject(next)) {
      node = next;
    } else {
      throw new PipelineFailure(
        `cannot set [${last}] with parent object of type [${javaTypeName(next)}] as part of path [${path}]`,
      );
    }
  }
  node[last] = value;
}

export function removePath(doc: JsonObject, path: string): void {
  const keys = path.split('.');
  const last = keys.pop() as string;
  const parent = keys.length === 0 ? doc : getPath(doc, keys.join('.'));
  if (isObject(parent)) delete parent[last];
}

/** The rename processor with ignore_missing: moves a field, refusing to overwrite one. */
export function rename(doc: JsonObject, from: string, to: string): void {
  if (!hasPath(doc, from)) return;
  if (hasPath(doc, to)) throw new PipelineFailure(`field [${to}] already exists`);
  const value = getPath(doc, from);
  removePath(doc, from);
  setPath(doc, to, value);
}

/** A string field for processors that require one; null/missing means "ignore". */
export function stringField(doc: JsonObject, path: string): string | undefined {
  const value = getPath(doc, path);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw new PipelineFailure(
      `field [${path.split('.').pop()}] of type [${javaTypeName(value)}] cannot be cast to [java.lang.String]`,
    );
  }
  return value;
}

/** Java's String.split(regex) with limit 0: trailing empty strings are dropped. */
export function javaSplit(value: string, separator: RegExp): string[] {
  const parts = value.split(separator);
  if (parts.length === 1) return parts;
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** Appends values to a list field without duplicates (the append processor, allow_duplicates false). */
export function appendUnique(doc: JsonObject, path: string, values: readonly unknown[]): void {
  if (values.length === 0) return;
  const current = getPath(doc, path);
  const list: unknown[] = Array.isArray(current) ? current : current === undefined ? [] : [current];
  for (const value of values) if (!list.includes(value)) list.push(value);
  setPath(doc, path, list);
}

/** How Mustache renders a scalar in `{{{field}}}`; objects render as nothing useful, so skip them. */
export function renderTemplateValue(value: unknown): string | undefined {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function javaTypeName(value: unknown): string {
  if (typeof value === 'string') return 'java.lang.String';
  if (typeof value === 'boolean') return 'java.lang.Boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'java.lang.Integer' : 'java.lang.Double';
  if (Array.isArray(value)) return 'java.util.ArrayList';
  return 'java.util.HashMap';
}
