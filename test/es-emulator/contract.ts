/** The emulator's public shapes; other test code depends on exactly these. */

export interface EsEmulatorOptions {
  /** Default 0: a free port, bound to 127.0.0.1. */
  port?: number;
  /** Default '8.15.0'; `GET /` reports it and error types follow it (e.g. mapper_parsing_exception before 8.8). */
  version?: string;
  /** Default 'default' (a full distribution); 'integ-test' answers as Elastic's integ-test zip (see distribution.ts). */
  flavor?: 'default' | 'integ-test';
  /** http.max_content_length in bytes (default 100 MB): a longer body gets a bare 413. */
  maxContentLength?: number;
  /** When set, requests without a matching Authorization header get 401 with ES's security_exception body. */
  auth?: { apiKey?: string; username?: string; password?: string };
}

export interface FaultPlan {
  /** Every request: the socket is reset without an answer, as if Elasticsearch were down. */
  down?: boolean;
  /** Every response is delayed this long (the request is processed first). */
  delayMs?: number;
  /** 0..1: this share of _bulk items answers 429 (es_rejected_execution_exception), not stored. */
  itemRejectShare?: number;
  /** 0..1: this share of _bulk items answers 503 (unavailable_shards_exception), not stored. */
  itemFailShare?: number;
  /** The whole _bulk request answers this HTTP status with an ES-style error body, storing nothing. */
  bulkStatus?: number;
  /** Requests whose path starts with one of these answer 403, as for credentials without the privilege. */
  forbiddenPaths?: string[];
  /**
   * The same, only for bulk requests whose body contains `text`: one document that makes
   * Elasticsearch refuse the request it travels in (as a document over its size limits does, 413).
   */
  bulkStatusWhenIncludes?: { text: string; status: number };
}

/** `_index` is the data stream's name for data streams (not the backing index), else the index name. */
export interface StoredDoc {
  _id: string;
  _index: string;
  _source: Record<string, unknown>;
}

export interface EmulatorStats {
  bulkRequests: number;
  itemsReceived: number;
  created: number;
  conflicts: number;
  /** Items refused by the fault plan (429 and 503). */
  rejected: number;
  /** Items refused with 400 because the document contradicts the mapping (or lacks @timestamp). */
  mappingErrors: number;
  /** The distinct `pipeline` query parameters seen on _bulk, in order of first appearance. */
  pipelines: string[];
}

export interface EsEmulator {
  /** e.g. http://127.0.0.1:45678 */
  url: string;
  port: number;
  /** Replaces the current plan; setFault({}) clears it. */
  setFault(plan: FaultPlan): void;
  /** All documents, or those of one data stream or index (wildcards `*` allowed, commas too). */
  documents(indexOrDataStream?: string): StoredDoc[];
  count(indexOrDataStream?: string): number;
  stats(): EmulatorStats;
  /** Index templates by name, as PUT. */
  templates(): Record<string, unknown>;
  dataStreams(): string[];
  /** Drops documents, templates, data streams and stats, and clears the fault plan. */
  reset(): void;
  close(): Promise<void>;
}
