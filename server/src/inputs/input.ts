/**
 * The shape every input shares (webhook aside, which is an Express route): started by the
 * forwarder, stopped before the worker on shutdown, and reporting its own status.
 */
import type { Settings } from '../config/schema.js';
import type { Logger } from '../logger.js';
import type { AuditQueue } from '../queue/audit-queue.js';
import type { RecordDestination } from '../queue/batch.js';
import type { RedisKeys } from '../queue/keys.js';
import type { RedisClient } from '../queue/redis-connection.js';
import type { ReplicaAcks } from '../queue/replica-acks.js';
import type { Activity } from '../status/activity.js';
import type { InFlightBudget } from './in-flight-budget.js';

export interface InputContext {
  settings: Settings;
  queue: AuditQueue;
  /** Where the file input's lines go: the queue, or straight to the sink (AUDIT_LOG_DELIVERY=direct). */
  fileDestination: RecordDestination;
  activity: Activity;
  /** For checkpoints (fail-fast, the queue's own connection); keys under `keys` share the queue's Cluster hash slot. */
  redis: RedisClient;
  /** Confirms `redis` writes on the replicas: a checkpoint counts only once they hold it. */
  replicas: ReplicaAcks;
  /** A fail-fast connection no WAIT holds up, for leases. */
  requests: RedisClient;
  keys: RedisKeys;
  logger: Logger;
  /** host.name of the documents and the key of this host's checkpoints. */
  hostName: string;
  /** MAX_IN_FLIGHT_BYTES: what TCP connections hold before Redis has it, shared with the webhook. */
  budget: InFlightBudget;
}

export interface InputStatus {
  kind: 'file' | 'tcp' | 'rest';
  /** Path/glob, listen address or URL, without credentials. */
  target: string;
  records: number;
  bytes: number;
  lastRecordAt: string | null;
  /** Bytes not yet read (file), or age in seconds of the newest record not yet read (rest). */
  lag: number | null;
  lastError: string | null;
  [detail: string]: unknown;
}

export interface Input {
  readonly name: string;
  start(): Promise<void>;
  /** Resolves when nothing more will be queued and checkpoints are saved. */
  stop(): Promise<void>;
  status(): InputStatus;
}
