/**
 * `_bulk`: the NDJSON body is split with indexOf (no per-line regex), every action line is
 * checked first (a malformed one fails the whole request, storing nothing, as in ES), then each
 * item goes through the fault plan, the data stream rules, the mapping check and the _id check.
 */
import type { FaultPlan } from './contract.js';
import { DocRecord, EmulatedCluster, randomId, type IndexTarget } from './cluster.js';
import { badRequest, cause, coordinatingRejection, EsError, statusError, type ErrorCause } from './es-errors.js';
import { isRecord } from './mapping.js';

type Operation = 'create' | 'index' | 'delete' | 'update';

interface BulkAction {
  op: Operation;
  index: string;
  id: string | undefined;
  source: string | undefined;
}

interface ItemResult {
  _index: string;
  _id: string;
  status: number;
  [field: string]: unknown;
}

const OPERATIONS = new Set<string>(['create', 'index', 'delete', 'update']);
const METADATA = new Set(['_index', '_id', 'routing', 'op_type', 'pipeline', 'version', 'version_type', 'if_seq_no',
  'if_primary_term', 'require_alias', 'require_data_stream', 'dynamic_templates', 'list_executed_pipelines', '_source',
  'retry_on_conflict']);
const SHARDS = Object.freeze({ total: 2, successful: 1, failed: 0 });
const MAX_ID_BYTES = 512;

export function runBulk(cluster: EmulatedCluster, text: string, defaultIndex: string | undefined, plan: FaultPlan): Record<string, unknown> {
  const started = Date.now();
  cluster.stats.bulkRequests++;
  if (plan.bulkStatus !== undefined) throw statusError(plan.bulkStatus);
  if (plan.bulkStatusWhenIncludes && text.includes(plan.bulkStatusWhenIncludes.text)) throw statusError(plan.bulkStatusWhenIncludes.status);
  const actions = parseActions(text, defaultIndex);
  const items: Array<Record<string, ItemResult>> = new Array(actions.length);
  let errors = false;
  for (let i = 0; i < actions.length; i++) {
    const action = actions[i]!;
    const result = runItem(cluster, action, plan);
    if (result.status >= 300 && !(action.op === 'delete' && result.status === 404)) errors = true;
    items[i] = { [action.op]: result };
  }
  return { errors, took: Date.now() - started, items };
}

function parseActions(text: string, defaultIndex: string | undefined): BulkAction[] {
  if (text.length === 0) throw badRequest('action_request_validation_exception', 'Validation Failed: 1: no requests added;');
  if (text.charCodeAt(text.length - 1) !== 10) throw badRequest('illegal_argument_exception', 'The bulk request must be terminated by a newline [\\n]');
  const actions: BulkAction[] = [];
  let position = 0;
  let line = 0;
  while (position < text.length) {
    const end = text.indexOf('\n', position);
    line++;
    const action = parseActionLine(text.slice(position, end), line);
    position = end + 1;
    const op = Object.keys(action)[0]!;
    const meta = action[op];
    if (!isRecord(meta)) throw badRequest('illegal_argument_exception', `Malformed action/metadata line [${line}], expected START_OBJECT but found [${typeof meta}]`);
    for (const key of Object.keys(meta)) {
      if (!METADATA.has(key)) throw badRequest('illegal_argument_exception', `Action/metadata line [${line}] contains an unknown parameter [${key}]`);
    }
    const index = typeof meta._index === 'string' ? meta._index : defaultIndex;
    if (index === undefined) throw badRequest('action_request_validation_exception', 'Validation Failed: 1: index is missing;');
    let source: string | undefined;
    if (op !== 'delete') {
      const sourceEnd = text.indexOf('\n', position);
      if (sourceEnd < 0 || position >= text.length) throw badRequest('illegal_argument_exception', `The bulk request must be terminated by a newline [\\n]`);
      source = text.slice(position, sourceEnd);
      position = sourceEnd + 1;
      line++;
    }
    const id = meta._id === undefined || meta._id === null ? undefined : String(meta._id);
    const effective: Operation = op === 'index' && meta.op_type === 'create' ? 'create' : op as Operation;
    actions.push({ op: effective, index, id, source });
  }
  return actions;
}

function parseActionLine(text: string, line: number): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw badRequest('x_content_parse_exception', `[${line}:1] Malformed action/metadata line [${line}]: ${(error as Error).message}`);
  }
  const keys = isRecord(parsed) ? Object.keys(parsed) : [];
  if (!isRecord(parsed) || keys.length !== 1 || !OPERATIONS.has(keys[0]!)) {
    const found = keys[0] ?? (parsed === undefined ? 'null' : typeof parsed);
    throw badRequest('illegal_argument_exception', `Malformed action/metadata line [${line}], expected one of [create, delete, index, update] but found [${found}]`);
  }
  return parsed;
}

function runItem(cluster: EmulatedCluster, action: BulkAction, plan: FaultPlan): ItemResult {
  const stats = cluster.stats;
  stats.itemsReceived++;
  let target: IndexTarget;
  try {
    target = cluster.targetForWrite(action.index);
  } catch (error) {
    if (error instanceof EsError) return failed(action.index, action.id ?? '', error.status, error.detail);
    throw error;
  }
  const index = target.indexName;
  const id = action.id ?? randomId(20);
  if (plan.itemRejectShare && Math.random() < plan.itemRejectShare) {
    stats.rejected++;
    return failed(index, id, 429, cause('es_rejected_execution_exception', coordinatingRejection()));
  }
  if (plan.itemFailShare && Math.random() < plan.itemFailShare) {
    stats.rejected++;
    return failed(index, id, 503, cause('unavailable_shards_exception', `[${index}][0] primary shard is not active Timeout: [1m], request: [BulkShardRequest [[${index}][0]] containing [1] requests]`));
  }
  if (target.kind === 'data_stream' && action.op !== 'create') {
    return failed(index, id, 400, cause('illegal_argument_exception', 'only write ops with an op_type of create are allowed in data streams'));
  }
  if (action.op === 'update') return failed(index, id, 400, cause('illegal_argument_exception', 'bulk update is not emulated'));
  if (action.op === 'delete') return deleteDoc(target, id);
  if (Buffer.byteLength(id) > MAX_ID_BYTES) {
    return failed(index, id, 400, cause('illegal_argument_exception', `id [${id}] is too long, must be no longer than 512 bytes but was: ${Buffer.byteLength(id)}`));
  }
  const text = action.source ?? '';
  const source = parseSource(text);
  if (!isRecord(source)) {
    stats.mappingErrors++;
    return failed(index, id, 400, cause('document_parsing_exception', `[1:1] failed to parse: ${source instanceof Error ? source.message : 'the document is not an object'}`));
  }
  const rejection = target.validator?.validate(source, id, text);
  if (rejection) {
    stats.mappingErrors++;
    return failed(index, id, 400, rejection);
  }
  const existing = target.docs.get(id);
  if (existing && action.op === 'create') {
    stats.conflicts++;
    return failed(index, id, 409, cause('version_conflict_engine_exception',
      `[${id}]: version conflict, document already exists (current version [${existing._version}])`, { index_uuid: target.uuid, shard: '0', index }));
  }
  const version = existing ? existing._version + 1 : 1;
  const seqNo = target.nextSeqNo++;
  // Parsed to be checked, kept as text (see DocRecord).
  target.docs.set(id, new DocRecord(id, target.name, text, version, seqNo));
  if (!existing) stats.created++;
  return {
    _index: index, _id: id, _version: version, result: existing ? 'updated' : 'created', _shards: SHARDS,
    _seq_no: seqNo, _primary_term: 1, status: existing ? 200 : 201,
  };
}

function deleteDoc(target: IndexTarget, id: string): ItemResult {
  const existing = target.docs.get(id);
  if (existing) target.docs.delete(id);
  return {
    _index: target.indexName, _id: id, _version: (existing?._version ?? 0) + 1, result: existing ? 'deleted' : 'not_found',
    _shards: SHARDS, _seq_no: target.nextSeqNo++, _primary_term: 1, status: existing ? 200 : 404,
  };
}

function parseSource(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

function failed(index: string, id: string, status: number, error: ErrorCause): ItemResult {
  return { _index: index, _id: id, status, error };
}
