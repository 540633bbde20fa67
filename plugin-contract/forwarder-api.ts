/**
 * What the forwarder answers on the HTTP API the plugin's pages read (GET /v1/status, GET /v1/config,
 * POST /v1/config/test): the forwarder produces these shapes and the webapp renders them. Types only,
 * so the webapp's bundle carries none of the forwarder's code.
 */

/** A mapper type the cluster lacks, what stands in for it in our index template, and the fields it concerned. */
export interface LeftOut {
  type: string;
  /** The core type used instead; absent when the fields were left out (dynamic mapping then applies). */
  replacedBy?: string;
  fields: string[];
  /** Why: the missing module, or Elasticsearch's own refusal of the template. */
  reason: string;
}

/** Our index template as the cluster holds it. */
export interface TemplateReport {
  name: string;
  /** Put as written: nothing left out. */
  complete: boolean;
  leftOut: LeftOut[];
  /** What else an admin should know (a lifecycle no module applies, a template not put yet). */
  notes: string[];
}

/** The data stream of the current namespace, and what in its mapping refuses our documents. */
export interface DataStreamReport {
  name: string;
  exists: boolean;
  /** The backing index documents go to now. */
  writeIndex?: string;
  /** The template new backing indices take (the highest priority that matches). */
  template?: string;
  problems: string[];
}

/** A sink's health check, as the status and the connection test report it. */
export interface SinkHealth {
  reachable: boolean;
  kind: 'elasticsearch' | 'file';
  target: string;
  version?: string;
  health?: string;
  error?: string;
  /** Elasticsearch, once reached. */
  template?: TemplateReport;
  /** Elasticsearch, once reached. */
  dataStream?: DataStreamReport;
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
  config: ConfigView;
  /** Whether the forwarder reads the plugin's saved settings from Mattermost itself (MATTERMOST_URL + MATTERMOST_TOKEN). */
  pluginSettings: { enabled: boolean; intervalSeconds?: number | null; lastReadAt?: string | null; lastError?: string | null };
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
    template?: TemplateReport;
    dataStream?: DataStreamReport;
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

/**
 * Where a runtime setting's value comes from: pushed by PUT /v1/config and kept in Redis
 * ("runtime"), the forwarder's environment ("env"), or its built-in default. Runtime wins over
 * env, env over default; PUT with null hands a setting back to env or default.
 */
export type SettingOrigin = 'runtime' | 'env' | 'default';

export interface ConfigView {
  version: number;
  settings: Record<string, unknown>;
  /** One entry per runtime setting, keyed by its name (a secret's too, though its value is never shown). */
  origins: Record<string, SettingOrigin>;
}

/** POST /v1/config/test answers the sink's health plus a verdict. */
export interface ConnectionTestResult extends SinkHealth {
  ok: boolean;
}
