/**
 * A batch of raw records → documents ready for the sink: toEcs, the stable id and the JSON text,
 * made one record at a time so no batch of object graphs outlives its serialization.
 */
import { dataStreamName } from '../sinks/index-template.js';
import type { SinkDocument } from '../sinks/types.js';
import { documentId, toEcs, type TransformMeta } from '../transform/index.js';
import type { AuditBatch } from './batch.js';

export function toSinkDocuments(batch: AuditBatch, meta: TransformMeta): SinkDocument[] {
  const identity = batch.source.identity ?? '';
  const dataStream = dataStreamName(meta.namespace ?? 'default');
  return batch.records.map((record) => {
    const source = record.offset === undefined ? batch.source : { ...batch.source, offset: record.offset };
    const doc = toEcs(record.text, { ...meta, source, truncatedFromBytes: record.truncatedFromBytes, invalidUtf8: record.invalidUtf8 });
    const id = documentId(record.text, record.offset === undefined ? identity : `${identity}@${record.offset}`);
    return { id, dataStream, json: JSON.stringify(doc) };
  });
}
