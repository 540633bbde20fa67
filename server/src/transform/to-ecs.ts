/**
 * toEcs: one Mattermost audit record (legacy line, modern record or REST audit) in, one ECS
 * document out. Pure and synchronous; never throws: whatever cannot be mapped becomes an
 * `event.kind: pipeline_error` document that keeps the original.
 */
import { isUtf8 } from 'node:buffer';
import { DEFAULT_MAX_RECORD_DEPTH, depthProblem, DocumentTooDeep } from './document-depth.js';
import { addEnvelope, ECS_VERSION, PRESERVE_ORIGINAL_TAG } from './envelope.js';
import { parseLikeElastic, REPEATED_KEY_MESSAGE, repeatsAKey } from './elastic-json.js';
import { isForwarderEvent, mapForwarderEvent } from './forwarder-event.js';
import { appendUnique, isObject } from './ingest-document.js';
import type { JsonWriter } from './json-writer.js';
import { applyLegacyPipeline } from './legacy.js';
import { usualLegacyDocument } from './legacy-fast-path.js';
import { writeUsualLegacyJson } from './legacy-fast-json.js';
import { usualValuesOf, type UsualValues } from './legacy-usual-values.js';
import { isModernRecord, mapModernRecord } from './modern.js';
import { pruneEmpty } from './prune-empty.js';
import { isRestAudit, mapRestAudit } from './rest.js';
import { PipelineFailure, type EcsDocument, type JsonObject, type TransformMeta } from './types.js';

export const DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;
export const TRUNCATED_TAG = 'truncated';

export function toEcs(raw: string | Uint8Array, meta: TransformMeta = {}): EcsDocument {
  return transform(raw, meta, true);
}

/**
 * toEcs with every legacy line through the pipeline's step list (legacy.ts): the reference that
 * the fast path for the usual line (legacy-fast-path.ts) is tested against.
 */
export function toEcsByTheSteps(raw: string | Uint8Array, meta: TransformMeta = {}): EcsDocument {
  return transform(raw, meta, false);
}

/**
 * toEcs for whoever serializes documents one record at a time (the transform threads): the usual
 * legacy line's document is written as JSON after what `out` holds (legacy-fast-json.ts), and its
 * `@timestamp` returned; any other record's is returned as the document, with nothing written.
 * Guarded as toEcsOrFailure.
 */
export function toEcsOrJson(raw: string | Uint8Array, meta: TransformMeta, out: JsonWriter): EcsDocument | string {
  const start = out.length;
  try {
    return transform(raw, meta, true, out);
  } catch (error) {
    out.truncate(start);
    return internalFailure(raw, meta, error);
  }
}

function transform(raw: string | Uint8Array, meta: TransformMeta, fastPath: boolean): EcsDocument;
function transform(raw: string | Uint8Array, meta: TransformMeta, fastPath: boolean, out: JsonWriter): EcsDocument | string;
function transform(raw: string | Uint8Array, meta: TransformMeta, fastPath: boolean, out?: JsonWriter): EcsDocument | string {
  const maxBytes = meta.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  const maxDepth = meta.maxRecordDepth ?? DEFAULT_MAX_RECORD_DEPTH;
  if (meta.invalidUtf8 || (typeof raw !== 'string' && !isUtf8(raw))) {
    // Each invalid byte decodes to U+FFFD, 3 bytes: the text can be longer than the record was.
    const decoded = typeof raw === 'string' ? raw : Buffer.from(raw).toString('utf8');
    const over = byteLengthOver(decoded, maxBytes);
    return over === undefined
      ? failureDocument(decoded, meta, 'record is not valid UTF-8')
      : failureDocument(truncateUtf8(decoded, maxBytes), meta, ['record is not valid UTF-8', truncatedMessage(over, maxBytes)], [TRUNCATED_TAG]);
  }
  let text = stripLineEnd(typeof raw === 'string' ? raw : Buffer.from(raw).toString('utf8'));
  const originalBytes = meta.truncatedFromBytes ?? byteLengthOver(text, maxBytes);
  if (originalBytes !== undefined) {
    if (meta.truncatedFromBytes === undefined) text = truncateUtf8(text, maxBytes);
    return failureDocument(text, meta, truncatedMessage(originalBytes, maxBytes), [TRUNCATED_TAG]);
  }
  // Elastic's json processor reads an empty line as null: its document keeps `json: null`.
  if (text.charCodeAt(0) !== 0x7b && text.trim() === '') return failureDocument(text, meta, 'empty record', [], { json: null });

  const parsed = parseLikeElastic(text);
  if (!parsed.ok) return failureDocument(text, meta, parsed.message);
  const record = parsed.value;
  if (!isObject(record)) return failureDocument(text, meta, 'Missing JSON object', [], { json: record }, maxDepth);

  // event.original is added at the end, and the legacy steps' `json` is cleared for pruneEmpty to
  // leave out: a deleted property would turn the object into a slow dictionary for JSON.stringify.
  let doc: EcsDocument = { ecs: { version: ECS_VERSION }, event: {} };
  // A mapper that builds its document in its final shape (nothing empty, nothing nesting past
  // maxDepth or Elasticsearch's limit) says so, and the walk of pruneEmpty is left out.
  let final = false;
  let usual: UsualValues | undefined;
  try {
    if (isForwarderEvent(record, meta.source)) mapForwarderEvent(doc, record);
    else if (isModernRecord(record)) final = mapModernRecord(doc, record, meta.geo, maxDepth);
    else if (isRestAudit(record)) final = mapRestAudit(doc, record, meta.geo, maxDepth);
    else if (fastPath && (usual = usualValuesOf(record, parsed.text, meta.geo, maxDepth))) {
      const original = meta.keepOriginal ? text : undefined;
      // As JSON for a caller that serializes, unless pruneEmpty would change the document.
      if (out !== undefined && !usual.empty) {
        writeUsualLegacyJson(out, usual, meta, original);
        return usual.timestamp;
      }
      doc = usualLegacyDocument(doc, usual, maxDepth, original);
      addEnvelope(doc, meta, meta.keepOriginal ? [PRESERVE_ORIGINAL_TAG] : []);
      return doc;
    } else if (repeatsAKey(parsed.text, record)) return failureDocument(text, meta, REPEATED_KEY_MESSAGE);
    else {
      doc.json = record;
      applyLegacyPipeline(doc, meta.geo, parsed.text);
      doc.json = undefined;
    }
  } catch (error) {
    // As in Elastic's failed documents, what the pipeline had not moved out of the line yet stays under `json`.
    if (doc.json === undefined) delete doc.json;
    const message = error instanceof PipelineFailure ? error.message : `internal error: ${String(error)}`;
    // The fields set up to the failing step stay, as in Elastic, unless they nest too deep to be indexed.
    const tooDeep = depthProblem(doc, maxDepth);
    if (tooDeep) return failureDocument(text, meta, [message, tooDeep]);
    (doc.event as JsonObject).original = text;
    return markFailed(doc, meta, message);
  }
  if (meta.keepOriginal) (doc.event as JsonObject).original = text;
  try {
    if (!final) doc = pruneEmpty(doc, maxDepth);
  } catch (error) {
    if (!(error instanceof DocumentTooDeep)) throw error;
    return failureDocument(text, meta, depthProblem(doc, maxDepth) ?? error.message);
  }
  addEnvelope(doc, meta, meta.keepOriginal ? [PRESERVE_ORIGINAL_TAG] : []);
  return doc;
}

/**
 * The document as JSON text, for whoever serializes documents one record at a time (the transform
 * threads, the CLI): whatever goes wrong with one record is that record's pipeline_error document,
 * never an error for its neighbours.
 */
export function toEcsJson(raw: string | Uint8Array, meta: TransformMeta = {}): string {
  try {
    return JSON.stringify(toEcs(raw, meta));
  } catch (error) {
    return JSON.stringify(internalFailure(raw, meta, error));
  }
}

/** toEcs as a document that later stages still change (the enrichment), with the same guard. */
export function toEcsOrFailure(raw: string | Uint8Array, meta: TransformMeta = {}): EcsDocument {
  try {
    return toEcs(raw, meta);
  } catch (error) {
    return internalFailure(raw, meta, error);
  }
}

function internalFailure(raw: string | Uint8Array, meta: TransformMeta, error: unknown): EcsDocument {
  const text = typeof raw === 'string' ? raw : Buffer.from(raw).toString('utf8');
  const maxBytes = meta.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  return failureDocument(truncateUtf8(text, maxBytes), meta, `internal error: ${String(error)}`);
}

/** `fields` Elastic's failed document keeps (`json`) stay unless they nest deeper than `maxDepth` allows. */
function failureDocument(original: string, meta: TransformMeta, message: string | readonly string[], tags: string[] = [], fields: EcsDocument = {}, maxDepth?: number): EcsDocument {
  const messages = typeof message === 'string' ? [message] : message;
  const tooDeep = maxDepth === undefined ? undefined : depthProblem(fields, maxDepth);
  const kept = tooDeep ? {} : fields;
  return markFailed({ ecs: { version: ECS_VERSION }, event: { original }, ...kept }, meta, tooDeep ? [...messages, tooDeep] : messages, tags);
}

/** What Elastic's on_failure handler writes; the original is always kept so nothing is lost. */
function markFailed(doc: EcsDocument, meta: TransformMeta, message: string | readonly string[], tags: string[] = []): EcsDocument {
  (doc.event as JsonObject).kind = 'pipeline_error';
  if (!isObject(doc.error)) doc.error = {};
  appendUnique(doc, 'error.message', typeof message === 'string' ? [message] : message);
  addEnvelope(doc, meta, [PRESERVE_ORIGINAL_TAG, ...tags]);
  return doc;
}

function stripLineEnd(text: string): string {
  let end = text.length;
  while (end > 0 && (text.charCodeAt(end - 1) === 10 || text.charCodeAt(end - 1) === 13)) end--;
  return end === text.length ? text : text.slice(0, end);
}

/** The byte length when it is over the limit, else undefined; cheap for the common short line. */
function byteLengthOver(text: string, maxBytes: number): number | undefined {
  if (text.length * 3 <= maxBytes) return undefined;
  const bytes = Buffer.byteLength(text, 'utf8');
  return bytes > maxBytes ? bytes : undefined;
}

function truncatedMessage(originalBytes: number, maxBytes: number): string {
  return `record of ${originalBytes} bytes is over the limit of ${maxBytes} bytes: truncated`;
}

/** At most `maxBytes` of UTF-8, cut before a character rather than inside one. */
function truncateUtf8(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  let cut = maxBytes;
  while (cut > 0 && (bytes[cut]! & 0xc0) === 0x80) cut--;
  return bytes.toString('utf8', 0, cut);
}
