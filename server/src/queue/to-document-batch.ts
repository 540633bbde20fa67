/**
 * A batch of raw records → its DocumentBatch: toEcs, the stable id and the JSON text, encoded as
 * a bulk body one record at a time, so no batch of object graphs outlives its serialization.
 * With an enricher, documents whose ids are not all known yet wait for the batch's one lookup round
 * (a bounded wait) before they are serialized.
 */
import type { Enricher } from '../enrich/index.js';
import { DocumentBatchEncoder, type DocumentBatch, type SpareBuffers } from '../sinks/document-batch.js';
import { dataStreamName } from '../sinks/index-template.js';
import { documentId, toEcsOrFailure, toEcsOrJson, type EcsDocument, type TransformMeta } from '../transform/index.js';
import type { RecordSource } from '../transform/index.js';
import type { RawRecord } from '../records/index.js';
import { readBatch, type BatchRecords, type RecordBatch } from './batch.js';

/** A document is about 2.7 times its legacy line: enough to size the encoder's buffer once. */
const DOCUMENT_TO_RECORD_CHARS = 3;
/** Batches of big records start smaller (their documents are nearer their size) and grow as needed. */
const MAX_FIRST_BUFFER_CHARS = 8 * 1024 * 1024;

/** `spares`: the buffers of batches already sent (SpareBuffers), for this one's bytes. */
export function toDocumentBatch(batch: RecordBatch, meta: TransformMeta, spares?: SpareBuffers): DocumentBatch {
  const identity = batch.source.identity ?? '';
  const records = readBatch(batch);
  const encoder = encoderFor(records, meta, spares);
  for (let i = 0; i < records.length; i++) {
    const record = records.record(i);
    // The usual legacy line's document is written into the body as it is made, its id after it.
    const made = toEcsOrJson(record.text, recordMeta(meta, batch.source, record), encoder.startInPlace());
    if (typeof made === 'string') {
      encoder.finishInPlace(recordDocumentId(identity, record, made, records.bytes(i)));
      continue;
    }
    encoder.cancelInPlace();
    const ownTime = stampReceivedTime(made, meta);
    encoder.add(recordDocumentId(identity, record, ownTime, records.bytes(i)), JSON.stringify(made));
  }
  return encoder.finish();
}

/**
 * The `_id` of a record's document: its text, where it came from (file offsets) and the
 * document's `@timestamp` (documentId says why); without the document, the id of one that has none.
 * `bytes`, what the record's text was decoded from, are hashed as they are (the same id as its text)
 * unless they are not valid UTF-8: then the text, with its replacement characters, is the record.
 */
export function recordDocumentId(identity: string, record: RawRecord, timestamp?: unknown, bytes?: Uint8Array): string {
  const raw = bytes !== undefined && !record.invalidUtf8 ? bytes : record.text;
  return documentId(raw, identity, timestamp, record.offset);
}

/**
 * The same with names: each document is named as it is made, and serialized at once when its ids
 * are known. From the first one that waits for a lookup on, the rest of the batch is held (as
 * JSON, or as the document itself while it waits) until the batch's lookup round has settled.
 */
export async function toEnrichedDocumentBatch(batch: RecordBatch, meta: TransformMeta, enricher: Enricher, spares?: SpareBuffers): Promise<DocumentBatch> {
  const identity = batch.source.identity ?? '';
  const records = readBatch(batch);
  const encoder = encoderFor(records, meta, spares);
  const naming = enricher.batch();
  let held: Array<{ id: string; json: string } | { doc: EcsDocument; ownTime: unknown; record: RawRecord }> | undefined;
  for (let i = 0; i < records.length; i++) {
    const record = records.record(i);
    const { doc, ownTime } = documentOf(record, meta, batch.source);
    const named = naming.name(doc);
    if (held === undefined) {
      if (named) {
        encoder.add(recordDocumentId(identity, record, ownTime), JSON.stringify(doc));
        continue;
      }
      held = [];
    }
    held.push(named ? { id: recordDocumentId(identity, record, ownTime), json: JSON.stringify(doc) } : { doc, ownTime, record });
  }
  if (held !== undefined) {
    await naming.settle();
    for (const item of held) {
      if ('doc' in item) encoder.add(recordDocumentId(identity, item.record, item.ownTime), JSON.stringify(item.doc));
      else encoder.add(item.id, item.json);
    }
  }
  return encoder.finish();
}

/**
 * toEcs with the `@timestamp` the record itself gives (`ownTime`, for its id): one that falls back
 * to the time the record was received is not the record's own, as a re-read receives it anew.
 */
function documentOf(record: RawRecord, meta: TransformMeta, source: RecordSource): { doc: EcsDocument; ownTime: unknown } {
  const doc = toEcsOrFailure(record.text, recordMeta(meta, source, record));
  return { doc, ownTime: stampReceivedTime(doc, meta) };
}

/** Fills in the time the record was received where the document has no `@timestamp`; returns the one it had (the id's). */
function stampReceivedTime(doc: EcsDocument, meta: TransformMeta): unknown {
  const ownTime = doc['@timestamp'];
  if (ownTime === undefined && meta.receivedAt !== undefined) doc['@timestamp'] = meta.receivedAt;
  return ownTime;
}

function encoderFor(records: BatchRecords, meta: TransformMeta, spares: SpareBuffers | undefined): DocumentBatchEncoder {
  return new DocumentBatchEncoder(dataStreamName(meta.namespace ?? 'default'), Math.min(records.chars * DOCUMENT_TO_RECORD_CHARS, MAX_FIRST_BUFFER_CHARS), spares);
}

/** Every key, so that a field added to the type cannot be left out of the copies below. */
type AllKeys<T> = { [K in keyof Required<T>]: T[K] };

/**
 * One record's meta, written out key by key: in Node 20 an object spread with a key added
 * (`{ ...meta, source }`) takes 0.7–0.9 µs, and each record took two: about a fifth of its toEcs.
 */
function recordMeta(meta: TransformMeta, source: RecordSource, record: RawRecord): TransformMeta {
  const recordSource = record.offset === undefined ? source : {
    input: source.input, identity: source.identity, path: source.path, host: source.host, offset: record.offset,
  } satisfies AllKeys<RecordSource>;
  return {
    keepOriginal: meta.keepOriginal, namespace: meta.namespace, receivedAt: undefined /* documentOf's */, ingestedAt: meta.ingestedAt, maxRecordBytes: meta.maxRecordBytes,
    maxRecordDepth: meta.maxRecordDepth,
    geo: meta.geo, tags: meta.tags, source: recordSource, truncatedFromBytes: record.truncatedFromBytes, invalidUtf8: record.invalidUtf8,
  } satisfies AllKeys<TransformMeta>;
}
