/**
 * What the forwarder answers on the HTTP API the plugin's pages read (GET /v1/status, GET /v1/config,
 * POST /v1/config/test): the forwarder produces these shapes and the webapp renders them. Types only,
 * so the webapp's bundle carries none of the forwarder's code.
 */

/** A sink's health check, as the status and the connection test report it. */
export interface SinkHealth {
  reachable: boolean;
  kind: 'elasticsearch' | 'file';
  target: string;
  version?: string;
  health?: string;
  error?: string;
}

export interface InputStatus {
  records?: number;
  bytes?: number;
  lastSeen?: string | null;
  lastRecordAt?: string | null;
  lag?: number | null;
  lastError?: string | null;
  kind?: string;
  target?: string;
}

export interface ForwarderStatus {
  service: { name: string; version: string; role: string; time: string };
  config: { version: number; settings: Record<string, unknown> };
  inputs: Record<string, InputStatus>;
  queue: { waiting: number; active: number; delayed: number; failed: number; pendingRecords: number; deadLetters: number; highWaterMark: number };
  rate: { perSecond1m: number; perSecond5m: number };
  /** How many Redis replicas must hold a write before it is acknowledged (null: unknown now). */
  redis?: { replicasRequired: number | null };
  sink: {
    kind: 'elasticsearch' | 'file';
    target: string;
    reachable: boolean;
    version?: string;
    health?: string;
    error?: string;
    delivered: number;
    lastSuccessAt: string | null;
    lastError: string | null;
    lastErrorAt: string | null;
  };
}

export interface ConfigView {
  version: number;
  settings: Record<string, unknown>;
}

/** POST /v1/config/test answers the sink's health plus a verdict. */
export interface ConnectionTestResult extends SinkHealth {
  ok: boolean;
}
