/**
 * The enrichment stage's interface: between toEcs and the sinks, a batch's documents get the names
 * of the ids they carry. It never fails a batch and never holds one longer than its bound: what
 * cannot be named in time goes out as it is, and the report says so.
 *
 * A batch is named document by document as toEcs makes them: a document whose ids are all known
 * is named at once and can be serialized at once (the steady state: no batch of object graphs is
 * held), the others wait for the batch's one lookup round.
 */
import type { EcsDocument } from '../transform/index.js';

export interface Enricher {
  /** Starts naming one batch. */
  batch(): EnrichmentBatch;
  /** Names what it can in `documents` (in place): a whole batch at once, for callers that hold it anyway. */
  enrich(documents: EcsDocument[]): Promise<void>;
  /** True while requests to Mattermost are under way (their answers are still to be read). */
  asking(): boolean;
  /** Stops lookups under way. */
  close(): void;
}

export interface EnrichmentBatch {
  /** Names `doc` from what is known; false when it wants ids not known yet (then it waits for `settle`). */
  name(doc: EcsDocument): boolean;
  /** One lookup round for the documents `name` left waiting, then names them; resolves within the bound, never rejects. */
  settle(): Promise<void>;
}

/** What an Enricher has done since its last report: counts to add up, the latest times and error. */
export interface EnrichmentReport {
  /** Requests sent to Mattermost. */
  requests: number;
  /** Of those, the ones that failed (refused token, down, slow, 5xx...). */
  failures: number;
  /** Documents sent on with an id left unnamed because Mattermost could not be asked or answered late. */
  documentsWithoutNames: number;
  lastError?: string;
  lastErrorAt?: string;
  lastSuccessAt?: string;
}

/** Everything an enricher needs; plain data, so that it crosses to the transform threads. */
export interface EnrichSettings {
  url: string;
  token: string;
  /** ENRICH_USER_EMAIL: also user.email / user.target.email (personal data, off by default). */
  includeEmail: boolean;
  /** ENRICH_MAX_WAIT_MS: the longest a batch waits for Mattermost; 0 names from the cache only. */
  maxWaitMs: number;
  /** ENRICH_CACHE_TTL_SECONDS, in ms: how long a name is reused. */
  cacheTtlMs: number;
  /** ENRICH_MISS_TTL_SECONDS, in ms: how long "Mattermost has no such id" is believed. */
  missTtlMs: number;
}

export function emptyReport(): EnrichmentReport {
  return { requests: 0, failures: 0, documentsWithoutNames: 0 };
}

/** `into` plus `delta`: counts added, the latest error and times kept. */
export function addReport(into: EnrichmentReport, delta: EnrichmentReport): EnrichmentReport {
  into.requests += delta.requests;
  into.failures += delta.failures;
  into.documentsWithoutNames += delta.documentsWithoutNames;
  if (delta.lastError !== undefined) {
    into.lastError = delta.lastError;
    into.lastErrorAt = delta.lastErrorAt;
  }
  if (delta.lastSuccessAt !== undefined) into.lastSuccessAt = delta.lastSuccessAt;
  return into;
}
