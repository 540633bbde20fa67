/** An ECS document as it is indexed: a plain JSON object. */
export type EcsDocument = Record<string, unknown>;

export type JsonObject = Record<string, unknown>;

/** Where a record came from; the inputs fill it, toEcs copies it into envelope fields. */
export interface RecordSource {
  input: 'http' | 'file' | 'tcp' | 'rest' | 'cli' | 'forwarder';
  /** Stable identity of the source, part of the document id (file fingerprint, TCP listener, ...). */
  identity?: string;
  path?: string;
  offset?: number;
  host?: string;
}

export interface GeoResult {
  geo?: JsonObject;
  as?: JsonObject;
}

/** GeoIP/ASN lookup for one address; absent when no database is configured. */
export type GeoLookup = (ip: string) => GeoResult | undefined;

export interface TransformMeta {
  /** Keep the raw record as `event.original` (tag `preserve_original_event`). */
  keepOriginal?: boolean;
  /** Data stream namespace; `default` when absent. */
  namespace?: string;
  /** When the forwarder received the record (ISO 8601); `@timestamp` of records that carry none. */
  receivedAt?: string;
  source?: RecordSource;
  /** Records longer than this many bytes are truncated and become pipeline_error documents. */
  maxRecordBytes?: number;
  /** Set by an input that already truncated the line: its length before truncation, in bytes. */
  truncatedFromBytes?: number;
  /** Set by an input whose bytes were not valid UTF-8 (the text then holds U+FFFD replacements). */
  invalidUtf8?: boolean;
  geo?: GeoLookup;
  /** Extra tags for every document (Elastic's integration adds `mattermost-audit`). */
  tags?: readonly string[];
}

/** Raised by a pipeline step; the document becomes `event.kind: pipeline_error` with this message. */
export class PipelineFailure extends Error {
  override readonly name = 'PipelineFailure';
}
