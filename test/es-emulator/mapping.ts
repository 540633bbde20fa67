/**
 * The mapping check: an index template's `mappings` compiled once into a tree of nodes, then each
 * document walked against it, refusing what Elasticsearch would refuse (a scalar where an object is
 * mapped, an object on a keyword, a malformed ip/date/number, a different constant_keyword, an
 * unmapped field under `dynamic: strict`). Unmapped fields under dynamic true are accepted without
 * learning their type, so conflicts between two unmapped documents go unnoticed: a known gap.
 * `dynamic_templates` are ignored for the same reason (they only decide learned types).
 */
import { cause, type ErrorCause } from './es-errors.js';
import { fieldType, KNOWN_TYPES, type FieldType } from './field-types.js';

type Dynamic = 'true' | 'false' | 'strict' | 'runtime';

interface ObjectNode { kind: 'object'; path: string; dynamic: Dynamic; fields: Map<string, MappingNode> }
interface FlattenedNode { kind: 'flattened'; path: string }
interface LeafNode {
  kind: 'leaf';
  path: string;
  type: string;
  field: FieldType;
  ignoreMalformed: boolean;
  /** constant_keyword: the mapped value, learnt from the first document when the mapping has none. */
  constant?: { value: string | undefined };
}
type MappingNode = ObjectNode | FlattenedNode | LeafNode;

export interface MappingOptions {
  /** Data stream backing index: `@timestamp` is required, single-valued and a date. */
  dataStream?: boolean;
  /** Before 8.8 Elasticsearch called document errors mapper_parsing_exception. */
  legacyErrorType?: boolean;
  /** The index setting `index.mapping.ignore_malformed`. */
  ignoreMalformed?: boolean;
}

export interface DocumentValidator {
  /** undefined when the document fits, else the item error ES would answer (status 400). */
  validate(source: Record<string, unknown>, id: string, raw?: string): ErrorCause | undefined;
}

/** Where the walk stopped: `key` is used to point at the offending spot in the raw line. */
interface Problem { key: string; type?: string; reason: string; caused_by?: ErrorCause }

const OBJECT_TYPES = new Set(['object', 'nested', 'passthrough']);
const IGNORE_MALFORMED_TYPES = new Set(['long', 'integer', 'short', 'byte', 'double', 'float', 'half_float', 'scaled_float',
  'unsigned_long', 'date', 'date_nanos', 'ip', 'geo_point', 'geo_shape', 'boolean']);

export function compileMapping(mappings: unknown, options: MappingOptions = {}): DocumentValidator {
  const definition = isRecord(mappings) ? mappings : {};
  const root = compileObject(definition, '', 'true', options.ignoreMalformed ?? false);
  if (options.dataStream && !root.fields.has('@timestamp')) {
    root.fields.set('@timestamp', compileField({ type: 'date' }, '@timestamp', 'true', false));
  }
  return new Validation(root, options);
}

/** The first reason ES would refuse these mappings at PUT time, or undefined. */
export function mappingsProblem(mappings: unknown, path = ''): string | undefined {
  if (mappings === undefined) return undefined;
  if (!isRecord(mappings)) return `Expected map for property [mappings] but got [${JSON.stringify(mappings)}]`;
  const properties = mappings.properties;
  if (properties === undefined) return undefined;
  if (!isRecord(properties)) return `Expected map for property [properties] on field [${path || '_doc'}]`;
  for (const [name, def] of Object.entries(properties)) {
    const full = path ? `${path}.${name}` : name;
    if (!isRecord(def)) return `Expected map for property [fields] on field [${full}] but got a ${typeof def}`;
    if (typeof def.type === 'string' && !KNOWN_TYPES.has(def.type)) return `No handler for type [${def.type}] declared on field [${full}]`;
    if (def.type === 'scaled_float' && typeof def.scaling_factor !== 'number') return 'Field [scaling_factor] is required';
    const inner = mappingsProblem(def, full);
    if (inner) return inner;
  }
  return undefined;
}

function compileObject(def: Record<string, unknown>, path: string, inherited: Dynamic, ignoreMalformed: boolean): ObjectNode {
  const node: ObjectNode = { kind: 'object', path, dynamic: dynamicOf(def.dynamic) ?? inherited, fields: new Map() };
  const properties = isRecord(def.properties) ? def.properties : {};
  for (const [name, fieldDef] of Object.entries(properties)) {
    if (!isRecord(fieldDef)) continue;
    // A dotted name in `properties` is shorthand for nested objects, as in documents.
    const parts = name.split('.');
    let parent = node;
    for (const part of parts.slice(0, -1)) {
      let next = parent.fields.get(part);
      if (next?.kind !== 'object') {
        next = { kind: 'object', path: join(parent.path, part), dynamic: parent.dynamic, fields: new Map() };
        parent.fields.set(part, next);
      }
      parent = next;
    }
    const last = parts[parts.length - 1]!;
    const compiled = compileField(fieldDef, join(parent.path, last), parent.dynamic, ignoreMalformed);
    const existing = parent.fields.get(last);
    if (existing?.kind === 'object' && compiled.kind === 'object') {
      for (const [key, child] of compiled.fields) existing.fields.set(key, child);
    } else {
      parent.fields.set(last, compiled);
    }
  }
  return node;
}

function compileField(def: Record<string, unknown>, path: string, inherited: Dynamic, ignoreMalformed: boolean): MappingNode {
  const type = typeof def.type === 'string' ? def.type : 'object';
  // Elasticsearch skips a disabled object's content whatever it is, a concrete value included.
  if (def.enabled === false) return { kind: 'flattened', path };
  if (OBJECT_TYPES.has(type)) return compileObject(def, path, inherited, ignoreMalformed);
  if (type === 'flattened') return { kind: 'flattened', path };
  const leaf: LeafNode = {
    kind: 'leaf', path, type, field: fieldType(type, def),
    ignoreMalformed: IGNORE_MALFORMED_TYPES.has(type) && (typeof def.ignore_malformed === 'boolean' ? def.ignore_malformed : ignoreMalformed),
  };
  if (type === 'constant_keyword') leaf.constant = { value: def.value === undefined ? undefined : String(def.value) };
  return leaf;
}

class Validation implements DocumentValidator {
  private id = '';
  /** constant_keyword values seen in the current document, committed only if it is accepted. */
  private learnt: Array<[LeafNode, string]> = [];

  constructor(private readonly root: ObjectNode, private readonly options: MappingOptions) {}

  validate(source: Record<string, unknown>, id: string, raw?: string): ErrorCause | undefined {
    this.id = id;
    this.learnt.length = 0;
    const problem = (this.options.dataStream ? this.timestamp(source) : undefined) ?? this.object(this.root, source);
    if (problem) return this.rejection(problem, raw);
    for (const [node, value] of this.learnt) node.constant!.value ??= value;
    return undefined;
  }

  private timestamp(source: Record<string, unknown>): Problem | undefined {
    const value = source['@timestamp'];
    const missing = value === undefined || value === null || (Array.isArray(value) && value.length === 0);
    if (missing || (Array.isArray(value) && value.length > 1)) {
      const what = missing ? 'is missing' : 'encountered multiple values';
      return { key: '@timestamp', reason: 'failed to parse', caused_by: cause('illegal_argument_exception', `data stream timestamp field [@timestamp] ${what}`) };
    }
    return undefined;
  }

  private object(node: ObjectNode, value: Record<string, unknown>): Problem | undefined {
    for (const key in value) {
      const child = value[key];
      if (child === null || child === undefined) continue;
      const problem = key.includes('.') ? this.dotted(node, key, child) : this.field(node, key, child);
      if (problem) return problem;
    }
    return undefined;
  }

  private dotted(start: ObjectNode, key: string, value: unknown): Problem | undefined {
    const parts = key.split('.');
    let parent = start;
    for (let i = 0; i < parts.length - 1; i++) {
      const part = parts[i]!;
      const node = parent.fields.get(part);
      if (!node) return this.unmapped(parent, part);
      if (node.kind === 'flattened') return undefined;
      if (node.kind === 'leaf') {
        return { key: parts[parts.length - 1]!, reason: `Could not dynamically add mapping for field [${join(parent.path, key)}]. Existing mapping for [${node.path}] must be of type object but found [${node.type}].` };
      }
      parent = node;
    }
    return this.field(parent, parts[parts.length - 1]!, value);
  }

  private field(parent: ObjectNode, key: string, value: unknown): Problem | undefined {
    const node = parent.fields.get(key);
    return node ? this.value(node, key, value) : this.unmapped(parent, key);
  }

  private unmapped(parent: ObjectNode, key: string): Problem | undefined {
    if (parent.dynamic !== 'strict') return undefined;
    return { key, type: 'strict_dynamic_mapping_exception', reason: `mapping set to strict, dynamic introduction of [${key}] within [${parent.path || '_doc'}] is not allowed` };
  }

  private value(node: MappingNode, key: string, value: unknown): Problem | undefined {
    if (value === null) return undefined;
    if (Array.isArray(value)) {
      if (node.kind === 'leaf' && node.field.isArrayValue?.(value)) return this.leaf(node, key, value);
      for (const element of value) {
        const problem = this.value(node, key, element);
        if (problem) return problem;
      }
      return undefined;
    }
    if (node.kind === 'flattened') return undefined;
    if (node.kind === 'leaf') return this.leaf(node, key, value);
    if (isRecord(value)) return this.object(node, value);
    return { key, reason: `object mapping for [${node.path}] tried to parse field [${key}] as object, but found a concrete value` };
  }

  private leaf(node: LeafNode, key: string, value: unknown): Problem | undefined {
    if (typeof value === 'object' && !Array.isArray(value) && !node.field.acceptsObjects) {
      return this.fieldFailure(node, key, value, cause('illegal_state_exception', `Can't get text on a START_OBJECT at 1:${key.length + 4}`));
    }
    if (node.constant) return this.constant(node, key, String(value));
    const failure = node.field.check(value);
    return failure && !node.ignoreMalformed ? this.fieldFailure(node, key, value, failure) : undefined;
  }

  private constant(node: LeafNode, key: string, value: string): Problem | undefined {
    const expected = node.constant!.value ?? this.learnt.find(([n]) => n === node)?.[1];
    if (expected === undefined) {
      this.learnt.push([node, value]);
      return undefined;
    }
    if (expected === value) return undefined;
    return this.fieldFailure(node, key, value, cause('illegal_argument_exception',
      `[constant_keyword] field [${node.path}] only accepts values that are equal to the value defined in the mappings [${expected}], but got [${value}]`));
  }

  private fieldFailure(node: LeafNode, key: string, value: unknown, caused_by: ErrorCause): Problem {
    return { key, caused_by, reason: `failed to parse field [${node.path}] of type [${node.type}] in document with id '${this.id}'. Preview of field's value: '${preview(value)}'` };
  }

  private rejection(problem: Problem, raw: string | undefined): ErrorCause {
    const type = problem.type ?? (this.options.legacyErrorType ? 'mapper_parsing_exception' : 'document_parsing_exception');
    const reason = `[1:${column(raw, problem.key)}] ${problem.reason}`;
    return problem.caused_by ? cause(type, reason, { caused_by: problem.caused_by }) : cause(type, reason);
  }
}

/** Approximately where ES's parser stood: just after the offending key in the raw line. */
function column(raw: string | undefined, key: string): number {
  const at = raw?.indexOf(`"${key}"`) ?? -1;
  return at < 0 ? 1 : at + key.length + 4;
}

/** Java's rendering of the value, as ES's "Preview of field's value" shows it. */
function preview(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(preview).join(', ')}]`;
  if (isRecord(value)) return `{${Object.entries(value).map(([k, v]) => `${k}=${preview(v)}`).join(', ')}}`;
  return String(value);
}

function dynamicOf(value: unknown): Dynamic | undefined {
  if (value === true || value === 'true') return 'true';
  if (value === false || value === 'false') return 'false';
  if (value === 'strict' || value === 'runtime') return value;
  return undefined;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
