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

/** running: taking records; off: switched off; unconfigured: on, but the forwarder lacks its settings; failed: its start failed (retried). */
export type InputState = 'running' | 'off' | 'unconfigured' | 'failed' | 'starting' | 'stopping';

export interface InputStatus {
  /** What its switch says (INPUT_WEBHOOK, INPUT_FILE, INPUT_TCP, INPUT_REST). */
  enabled?: boolean;
  state?: InputState;
  /** Why it does not run although switched on. */
  problem?: string | null;
  tls?: boolean;
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
  /** Whether the forwarder reads the plugin's saved settings from Mattermost itself (MATTERMOST_URL + MATTERMOST_TOKEN). */
  pluginSettings: { enabled: boolean; intervalSeconds?: number | null; lastReadAt?: string | null; lastError?: string | null };
  inputs: Record<string, InputStatus>;
  queue: { waiting: number; active: number; delayed: number; failed: number; pendingRecords: number; deadLetters: number; highWaterMark: number };
  rate: { perSecond1m: number; perSecond5m: number };
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
  /** Names instead of ids from Mattermost's API: on or why not, and how it goes. */
  enrichment?: {
    enabled: boolean;
    target?: string;
    reason?: string;
    requests: number;
    failures: number;
    documentsWithoutNames: number;
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
