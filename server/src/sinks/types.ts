/**
 * A document ready to write. It is serialized as soon as it is made: a batch's object graphs
 * would otherwise outlive the bulk request and fill the old generation with garbage.
 */
export interface SinkDocument {
  /** Stable `_id` (documentId): a retried create of the same record answers 409, not a duplicate. */
  id: string;
  /** `logs-mattermost.audit-<namespace>` */
  dataStream: string;
  /** The ECS document as JSON. */
  json: string;
}

/** A document the destination refused for good (e.g. a mapping conflict): it goes to dead letters. */
export interface RejectedDocument {
  document: SinkDocument;
  status: number;
  reason: string;
}

export interface SinkHealth {
  reachable: boolean;
  kind: 'elasticsearch' | 'file';
  target: string;
  version?: string;
  health?: string;
  error?: string;
}

/**
 * A destination of ECS documents. `write` resolves once every document is stored (or refused for
 * good, listed in the result); it rejects with SinkUnavailableError when the destination cannot
 * take the batch now, and the caller retries the whole batch later.
 */
export interface Sink {
  readonly kind: SinkHealth['kind'];
  write(documents: readonly SinkDocument[]): Promise<RejectedDocument[]>;
  check(): Promise<SinkHealth>;
  close(): Promise<void>;
}

/** The destination is down, overloaded or refused the request as a whole: retry later. */
export class SinkUnavailableError extends Error {
  override readonly name = 'SinkUnavailableError';
  constructor(message: string, readonly retryAfterMs?: number, options?: ErrorOptions) {
    super(message, options);
  }
}
