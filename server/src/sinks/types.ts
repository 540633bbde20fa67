import type { DataStreamReport } from './data-stream-check.js';
import type { DocumentBatch } from './document-batch.js';
import type { LeftOut } from './template-fit.js';

/** A document the destination refused for good (e.g. a mapping conflict): it goes to dead letters. */
export interface RejectedDocument {
  /** Its place in the batch. */
  index: number;
  id: string;
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
  /** Elasticsearch: our index template as the cluster holds it; `leftOut` lists the mapper types it lacks. */
  template?: { name: string; complete: boolean; leftOut: LeftOut[]; notes: string[] };
  /** Elasticsearch: the data stream of the current namespace, and what in its mapping refuses our documents. */
  dataStream?: DataStreamReport;
}

/**
 * A destination of ECS documents. `write` resolves once every document of the batch is stored (or
 * refused for good, listed in the result); it rejects with SinkUnavailableError when the destination cannot
 * take the batch now, and the caller retries the whole batch later.
 */
export interface Sink {
  readonly kind: SinkHealth['kind'];
  write(batch: DocumentBatch): Promise<RejectedDocument[]>;
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
