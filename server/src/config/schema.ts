/**
 * Every setting of the forwarder, validated at the edge. Keys are the environment variable
 * names, so an error names exactly what the operator has to fix. Defaults make a zero-config
 * `serve` work: file sink under ./data, local Redis, loopback only.
 */
import { availableParallelism } from 'node:os';
import { z } from 'zod';

const envBoolean = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off', ''])])
  .transform((v) => v === true || v === 'true' || v === '1' || v === 'yes' || v === 'on');

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const positiveInt = (fallback: number, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(1).max(max).default(fallback);

/** One transform thread per core beside the main thread (its reads, Redis and HTTP), at least 1, at most 4. */
function defaultTransformThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

const httpUrl = z
  .string()
  .trim()
  .refine((v) => /^https?:\/\/[^\s/]+/.test(v) && URL.canParse(v), 'expected an http(s) URL such as https://es.example.com:9200');

// Elasticsearch's rules for the namespace part of a data stream name.
export const namespaceSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9_.]+$/, 'lowercase letters, digits, "_" and "." only (no "-", spaces or upper case)')
  .refine((v) => !v.startsWith('_') && !v.startsWith('.'), 'must not start with "_" or "."');

const token = optionalText.refine((v) => v === undefined || v.length >= 16, 'must be at least 16 characters');

/** An input's switch: unset means "on when its own settings are there" (the webhook: on). */
const inputSwitch = envBoolean.optional();

/** What the plugin may change at runtime (PUT /v1/config); the same rules as the environment's. */
export const runtimeSettingsSchema = z.object({
  ELASTICSEARCH_URL: httpUrl.optional(),
  ELASTICSEARCH_API_KEY: optionalText,
  ELASTICSEARCH_USERNAME: optionalText,
  ELASTICSEARCH_PASSWORD: optionalText,
  ELASTICSEARCH_CA: optionalText,
  ELASTICSEARCH_CA_FINGERPRINT: optionalText,
  ELASTICSEARCH_PIPELINE: optionalText,
  DATA_STREAM_NAMESPACE: namespaceSchema.default('default'),
  KEEP_ORIGINAL: envBoolean.default(false),
  INGEST_TOKEN: token,
  // Input switches start and stop an input live, in every process (see inputs/input-supervisor.ts).
  INPUT_WEBHOOK: inputSwitch,
  INPUT_FILE: inputSwitch,
  INPUT_TCP: inputSwitch,
  INPUT_REST: inputSwitch,
});

export const settingsSchema = runtimeSettingsSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  ROLE: z.enum(['all', 'api', 'worker']).default('all'),
  DATA_DIR: z.string().trim().min(1).default('data'),
  REDIS_URL: z.string().trim()
    .refine((url) => /^rediss?:\/\//.test(url) && URL.canParse(url), 'expected redis://[:password@]host:port[/db] or rediss://... (a valid URL)')
    .default('redis://127.0.0.1:6379'),
  REDIS_SENTINELS: optionalText,
  REDIS_SENTINEL_NAME: optionalText,
  REDIS_CLUSTER_NODES: optionalText.refine((v) => v === undefined || v.split(',').every((entry) => /^[^:\s]+:\d{1,5}$/.test(entry.trim())), 'expected host:port,host:port (seed nodes of the cluster)'),
  /** Replicas that must hold a write before it is acknowledged; unset: every replica the master reports connected. */
  REDIS_MIN_REPLICAS: z.coerce.number().int().min(0).max(64).optional(),
  REDIS_WAIT_TIMEOUT_MS: positiveInt(2000, 60_000),
  REDIS_COMMAND_TIMEOUT_MS: positiveInt(2000, 60_000),
  QUEUE_PREFIX: z.string().trim().min(1).default('{mattermost-audit}'),
  ADMIN_TOKEN: token,
  STATUS_TOKEN: token,
  MATTERMOST_SITE_URL: httpUrl.optional(),
  FILE_SINK_PATH: optionalText,
  FILE_SINK_FORMAT: z.enum(['documents', 'bulk']).default('documents'),
  FILE_SINK_MAX_BYTES: positiveInt(100 * 1024 * 1024),
  FILE_SINK_MAX_FILES: positiveInt(10, 1000),
  GEOIP_CITY_DB: optionalText,
  GEOIP_ASN_DB: optionalText,
  BATCH_SIZE: positiveInt(1000, 10_000),
  WORKER_CONCURRENCY: positiveInt(4, 64),
  TRANSFORM_THREADS: z.coerce.number().int().min(0).max(64).default(defaultTransformThreads()),
  QUEUE_HIGH_WATER_MARK: positiveInt(1_000_000),
  MAX_BODY_BYTES: positiveInt(16 * 1024 * 1024),
  MAX_RECORD_BYTES: positiveInt(1024 * 1024),
  MAX_RECORD_DEPTH: z.coerce.number().int().min(20).max(1000).default(64),
  MAX_IN_FLIGHT_BYTES: positiveInt(16 * 1024 * 1024),
  HTTP_MAX_CONNECTIONS: positiveInt(512, 100_000),
  HTTP_HEADERS_TIMEOUT_SECONDS: positiveInt(10, 3600),
  HTTP_REQUEST_TIMEOUT_SECONDS: positiveInt(60, 3600),
  HTTP_TLS_CERT: optionalText,
  HTTP_TLS_KEY: optionalText,
  JOB_ATTEMPTS: positiveInt(12, 1000),
  HOST_NAME: optionalText,
  AUDIT_LOG_PATHS: optionalText,
  AUDIT_LOG_START: z.enum(['beginning', 'end']).default('beginning'),
  AUDIT_LOG_DELIVERY: z.enum(['direct', 'queue']).default('direct'),
  TCP_LISTEN: optionalText.refine((v) => v === undefined || /^(\[[0-9a-fA-F:.]+\]|[^:\s]+):\d{1,5}$/.test(v), 'expected host:port, e.g. 0.0.0.0:5514'),
  TCP_TLS_CERT: optionalText,
  TCP_TLS_KEY: optionalText,
  TCP_TLS_CA: optionalText,
  TCP_TOKEN: token,
  TCP_MAX_CONNECTIONS: positiveInt(256, 100_000),
  TCP_IDLE_TIMEOUT_SECONDS: positiveInt(300),
  MATTERMOST_URL: httpUrl.optional(),
  MATTERMOST_TOKEN: optionalText,
  MATTERMOST_POLL_INTERVAL: positiveInt(60, 86_400),
  ENRICH: envBoolean.default(true),
  ENRICH_USER_EMAIL: envBoolean.default(false),
  ENRICH_MAX_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(2000),
  ENRICH_CACHE_TTL_SECONDS: positiveInt(600, 86_400),
  ENRICH_MISS_TTL_SECONDS: positiveInt(60, 86_400),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Settings = z.infer<typeof settingsSchema>;
export type RuntimeSettings = z.infer<typeof runtimeSettingsSchema>;
export const SECRET_SETTINGS = ['ELASTICSEARCH_API_KEY', 'ELASTICSEARCH_PASSWORD', 'INGEST_TOKEN', 'ADMIN_TOKEN', 'STATUS_TOKEN', 'TCP_TOKEN', 'MATTERMOST_TOKEN'] as const;
