/**
 * The emulated cluster's state: index templates, data streams and plain indices with their
 * documents (a Map by _id each), and the counters the tests read.
 */
import { randomBytes } from 'node:crypto';
import type { EmulatorStats, StoredDoc } from './contract.js';
import type { Flavor } from './distribution.js';
import { badRequest, cause, EsError, indexNotFound } from './es-errors.js';
import { renderTemplate, setting, templateFor, validateTemplate } from './index-templates.js';
import { compileMapping, type DocumentValidator } from './mapping.js';
import { hasWildcard, wildcardMatcher } from './wildcard.js';

/**
 * A stored document keeps its source as the text it arrived as and parses it when read: hundreds
 * of thousands of parsed documents would make the emulator's own garbage collector the pace of a
 * benchmark, while strings cost it nothing to keep.
 */
export class DocRecord implements StoredDoc {
  private parsed: Record<string, unknown> | undefined;

  constructor(
    readonly _id: string,
    readonly _index: string,
    private readonly sourceText: string,
    readonly _version: number,
    readonly _seq_no: number,
  ) {}

  get _source(): Record<string, unknown> {
    this.parsed ??= JSON.parse(this.sourceText) as Record<string, unknown>;
    return this.parsed;
  }
}

/** A data stream (one backing index) or a plain index. */
export class IndexTarget {
  readonly docs = new Map<string, DocRecord>();
  readonly uuid = randomId(22);
  nextSeqNo = 0;

  constructor(
    readonly kind: 'data_stream' | 'index',
    readonly name: string,
    /** The backing index `.ds-<name>-<yyyy.MM.dd>-000001` for a data stream, else the name. */
    readonly indexName: string,
    readonly templateName: string | undefined,
    readonly validator: DocumentValidator | undefined,
    readonly lifecycle: unknown,
    /** The template's mappings it was created with. */
    readonly mappings: unknown,
  ) {}
}

export function randomId(length: number): string {
  return randomBytes(Math.ceil((length * 3) / 4)).toString('base64url').slice(0, length);
}

export function freshStats(): EmulatorStats {
  return { bulkRequests: 0, itemsReceived: 0, created: 0, conflicts: 0, rejected: 0, mappingErrors: 0, pipelines: [] };
}

export class EmulatedCluster {
  readonly name = 'es-emulator';
  readonly clusterName = 'es-emulator-cluster';
  readonly uuid = randomId(22);
  readonly nodeId = randomId(22);
  readonly versionParts: readonly [number, number];
  readonly templates = new Map<string, Record<string, unknown>>();
  stats = freshStats();
  private readonly targets = new Map<string, IndexTarget>();
  private readonly byIndexName = new Map<string, IndexTarget>();

  constructor(readonly version: string, readonly flavor: Flavor = 'default') {
    const [major = 8, minor = 0] = version.split('.').map(Number);
    this.versionParts = [major, minor];
  }

  putTemplate(name: string, body: unknown, createOnly: boolean): void {
    if (createOnly && this.templates.has(name)) throw badRequest('illegal_argument_exception', `index template [${name}] already exists`);
    this.templates.set(name, validateTemplate(name, body, this.versionParts, this.templates, this.flavor));
  }

  /** Templates whose names match the expression, rendered as GET shows them; 404 for a missing concrete name. */
  getTemplates(expression = '*'): Array<{ name: string; index_template: Record<string, unknown> }> {
    const found = [...this.templates]
      .filter(([name]) => expression.split(',').some((p) => wildcardMatcher(p)(name)))
      .map(([name, body]) => ({ name, index_template: renderTemplate(body) }));
    if (found.length === 0 && !hasWildcard(expression)) {
      throw new EsError(404, cause('resource_not_found_exception', `index template matching [${expression}] not found`));
    }
    return found;
  }

  createDataStream(name: string): IndexTarget {
    checkIndexName(name);
    if (this.targets.has(name)) throw badRequest('resource_already_exists_exception', `data_stream [${name}] already exists`);
    const template = templateFor(this.templates, name);
    if (!template?.dataStream) throw badRequest('illegal_argument_exception', `no matching index template found for data stream [${name}]`);
    return this.create('data_stream', name);
  }

  /** Where a bulk item for this name goes, auto-creating a data stream or index as ES does. */
  targetForWrite(name: string): IndexTarget {
    return this.targets.get(name) ?? this.byIndexName.get(name) ?? this.autoCreate(name);
  }

  private autoCreate(name: string): IndexTarget {
    checkIndexName(name);
    return this.create(templateFor(this.templates, name)?.dataStream ? 'data_stream' : 'index', name);
  }

  private create(kind: 'data_stream' | 'index', name: string): IndexTarget {
    const template = templateFor(this.templates, name);
    const [major, minor] = this.versionParts;
    const validator = template && compileMapping(template.mappings, {
      dataStream: kind === 'data_stream',
      legacyErrorType: major < 8 || (major === 8 && minor < 8),
      ignoreMalformed: setting(template.settings, 'index.mapping.ignore_malformed') === true
        || setting(template.settings, 'index.mapping.ignore_malformed') === 'true',
    });
    const indexName = kind === 'data_stream' ? `.ds-${name}-${new Date().toISOString().slice(0, 10).replaceAll('-', '.')}-000001` : name;
    const target = new IndexTarget(kind, name, indexName, template?.name, validator, template?.lifecycle, template?.mappings);
    this.targets.set(name, target);
    this.byIndexName.set(indexName, target);
    return target;
  }

  /**
   * Targets named by an expression such as `logs-*,other`: a concrete name that does not exist is
   * a 404 (when strict), a wildcard that matches nothing is simply empty, as in ES.
   */
  resolve(expression: string | undefined, strict: boolean): IndexTarget[] {
    if (expression === undefined || expression === '' || expression === '_all') return [...this.targets.values()];
    const found = new Set<IndexTarget>();
    for (const part of expression.split(',')) {
      if (hasWildcard(part)) {
        const matches = wildcardMatcher(part);
        for (const target of this.targets.values()) if (matches(target.name)) found.add(target);
        continue;
      }
      const target = this.targets.get(part) ?? this.byIndexName.get(part);
      if (target) found.add(target);
      else if (strict) throw indexNotFound(part);
    }
    return [...found];
  }

  dataStreams(expression?: string): IndexTarget[] {
    return this.resolve(expression, false).filter((t) => t.kind === 'data_stream');
  }

  deleteDataStream(name: string): void {
    const targets = this.resolve(name, true).filter((t) => t.kind === 'data_stream');
    if (targets.length === 0 && !hasWildcard(name)) throw indexNotFound(name);
    for (const target of targets) {
      this.targets.delete(target.name);
      this.byIndexName.delete(target.indexName);
    }
  }

  recordPipeline(pipeline: string | null): void {
    if (pipeline !== null && !this.stats.pipelines.includes(pipeline)) this.stats.pipelines.push(pipeline);
  }

  reset(): void {
    this.templates.clear();
    this.targets.clear();
    this.byIndexName.clear();
    this.stats = freshStats();
  }
}

const FORBIDDEN_IN_NAMES = /[\\/*?"<>| ,#:]/;

/** ES refuses these names at creation; the item answers 400 invalid_index_name_exception. */
function checkIndexName(name: string): void {
  let why: string | undefined;
  if (name !== name.toLowerCase()) why = 'must be lowercase';
  else if (FORBIDDEN_IN_NAMES.test(name)) why = 'must not contain the following characters [\\, /, *, ?, ", <, >, |,  , ,, #, :]';
  else if (/^[_\-+]/.test(name)) why = "must not start with '_', '-', or '+'";
  else if (name === '.' || name === '..') why = "must not be '.' or '..'";
  else if (Buffer.byteLength(name) > 255) why = 'index name is too long';
  if (why) throw badRequest('invalid_index_name_exception', `Invalid index name [${name}], ${why}`, { index_uuid: '_na_', index: name });
}
