import type { SinkHealth } from '../../../plugin-contract/forwarder-api.js';
import type { DocumentBatch } from './document-batch.js';

export type { SinkHealth };

/** A document the destination refused for good (e.g. a mapping conflict): it goes to dead letters. */
export interface RejectedDocument {
  /** Its place in the batch. */
  index: number;
  id: string;
  status: number;
  reason: string;
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
