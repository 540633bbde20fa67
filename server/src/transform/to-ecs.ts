/**
 * toEcs: one Mattermost audit record (legacy line, modern record or REST audit) in, one ECS
 * document out. Pure and synchronous; never throws: whatever cannot be mapped becomes an
 * `event.kind: pipeline_error` document that keeps the original.
 */
import { isUtf8 } from 'node:buffer';
import { addEnvelope, ECS_VERSION, PRESERVE_ORIGINAL_TAG } from './envelope.js';
import { parseLikeElastic, REPEATED_KEY_MESSAGE, repeatsAKey } from './elastic-json.js';
import { isForwarderEvent, mapForwarderEvent } from './forwarder-event.js';
import { appendUnique, isObject } from './ingest-document.js';
import { applyLegacyPipeline } from './legacy.js';
import { isModernRecord, mapModernRecord } from './modern.js';
import { pruneEmpty } from './prune-empty.js';
import { isRestAudit, mapRestAudit } from './rest.js';
import { PipelineFailure, type EcsDocument, type JsonObject, type TransformMeta } from './types.js';

export const DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;
export const TRUNCATED_TAG = 'truncated';

export function toEcs(raw: string | Uint8Array, meta: TransformMeta = {}): EcsDocument {
  const maxBytes = meta.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  if (meta.invalidUtf8 || (typeof raw !== 'string' && !isUtf8(raw))) {
    return failureDocument(typeof raw === 'string' ? raw : Buffer.from(raw).toString('utf8'), meta, 'record is not valid UTF-8');
  }
  let text = stripLineEnd(typeof raw === 'string' ? raw : Buffer.from(raw).toString('utf8'));
  const originalBytes = meta.truncatedFromBytes ?? byteLengthOver(text, maxBytes);
  if (originalBytes !== undefined) {
    if (meta.truncatedFromBytes === undefined) text = truncateUtf8(text, maxBytes);
    const message = `record of ${originalBytes} bytes is over the limit of ${maxBytes} bytes: truncated`;
    return failureDocument(text, meta, message, [TRUNCATED_TAG]);
  }
  // Elastic's json processor reads an empty line as null: its document keeps `json: null`.
  if (text.trim() === '') return failureDocument(text, meta, 'empty record', [], { json: null });

  const parsed = parseLikeElastic(text);
  if (!parsed.ok) return failureDocument(text, meta, parsed.message);
  const record = parsed.value;
  if (!isObject(record)) return failureDocument(text, meta, 'Missing JSON object', [], { json: record });

  // event.original is added at the end, and the legacy steps' `json` is cleared for pruneEmpty to
  // leave out: a deleted property would turn the object into a slow dictionary for JSON.stringify.
  let doc: EcsDocument = { ecs: { version: ECS_VERSION }, event: {} };
  try {
    if (isForwarderEvent(record, meta.source)) mapForwarderEvent(doc, record);
    else if (isModernRecord(record)) mapModernRecord(doc, record, meta.geo);
    else if (isRestAudit(record)) mapRestAudit(doc, record, meta.geo);
    else if (repeatsAKey(parsed.text, record)) return failureDocument(text, meta, REPEATED_KEY_MESSAGE);
    else {
      doc.json = record;
      applyLegacyPipeline(doc, meta.geo, parsed.text);
      doc.json = undefined;
    }
  } catch (error) {
    // As in Elastic's failed documents, what the pipeline had not moved out of the line yet stays under `json`.
    if (doc.json === undefined) delete doc.json;
    (doc.event as JsonObject).original = text;
    const message = error instanceof PipelineFailure ? error.message : `internal error: ${String(error)}`;
    return markFailed(doc, meta, message);
  }
  if (meta.keepOriginal) (doc.event as JsonObject).original = text;
  doc = pruneEmpty(doc);
  addEnvelope(doc, meta, meta.keepOriginal ? [PRESERVE_ORIGINAL_TAG] : []);
  return doc;
}

function failureDocument(original: string, meta: TransformMeta, message: string, tags: string[] = [], fields: EcsDocument = {}): EcsDocument {
  return markFailed({ ecs: { version: ECS_VERSION }, event: { original }, ...fields }, meta, message, tags);
}

/** What Elastic's on_failure handler writes; the original is always kept so nothing is lost. */
function markFailed(doc: EcsDocument, meta: TransformMeta, message: string, tags: string[] = []): EcsDocument {
  (doc.event as JsonObject).kind = 'pipeline_error';
  if (!isObject(doc.error)) doc.error = {};
  appendUnique(doc, 'error.message', [message]);
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

function truncateUtf8(text: string, maxBytes: number): string {
  // Cutting inside a multi-byte character leaves U+FFFD at the end, which is still valid text.
  return Buffer.from(text, 'utf8').subarray(0, maxBytes).toString('utf8');
}
