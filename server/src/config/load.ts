import { resolve } from 'node:path';
import type { z } from 'zod';
import { GeoDatabaseError } from '../transform/index.js';
import { ConfigError } from './config-error.js';
import { checkHttpSettings } from './http-settings.js';
import { settingsSchema, SECRET_SETTINGS, type Settings } from './schema.js';

export { ConfigError };

/** The first problem as one line: the setting, what is wrong, and the offending value unless secret. */
export function describeConfigIssue(error: z.ZodError, input: Record<string, unknown>): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid configuration';
  const setting = issue.path.join('.') || 'configuration';
  const value = input[setting];
  // A value with an `@` may hold a URL's password, even one the URL parser cannot find (a bad URL,
  // `user:password@host` without a scheme): not shown.
  const hidden = (SECRET_SETTINGS as readonly string[]).includes(setting) || value === undefined || (typeof value === 'string' && value.includes('@'));
  const shown = hidden ? '' : ` (got ${JSON.stringify(value)})`;
  return `${setting}: ${issue.message}${shown}`;
}

/** The settings the environment gives a value (an empty variable counts as unset). */
export function environmentSettings(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const input: Record<string, string> = {};
  for (const key of Object.keys(settingsSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  return input;
}

/** Reads the settings from the environment; throws ConfigError naming the first bad setting. */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const input: Record<string, unknown> = environmentSettings(env);
  const parsed = settingsSchema.safeParse(input);
  if (!parsed.success) throw new ConfigError(describeConfigIssue(parsed.error, input));
  const settings = parsed.data;
  if (settings.ELASTICSEARCH_USERNAME && !settings.ELASTICSEARCH_PASSWORD) {
    throw new ConfigError('ELASTICSEARCH_PASSWORD: required when ELASTICSEARCH_USERNAME is set');
  }
  if (settings.STATUS_TOKEN !== undefined && settings.STATUS_TOKEN === settings.ADMIN_TOKEN) {
    throw new ConfigError('STATUS_TOKEN: must differ from ADMIN_TOKEN (whoever holds the status token may only read)');
  }
  checkInputSettings(settings);
  checkHttpSettings(settings);
  checkRedisSettings(settings);
  return { ...settings, DATA_DIR: resolve(settings.DATA_DIR) };
}

/**
 * Some settings, from the environment and from a command's options (which win), by the same
 * schema and with the same one-line messages as `serve`: `transform --namespace Prod` is refused
 * as DATA_STREAM_NAMESPACE=Prod is.
 */
export function loadSomeSettings<K extends keyof Settings>(names: readonly K[], options: Partial<Record<K, unknown>> = {}, env: NodeJS.ProcessEnv = process.env): Pick<Settings, K> {
  const fromEnvironment = environmentSettings(env);
  const input: Record<string, unknown> = {};
  for (const name of names) {
    const value = options[name] ?? fromEnvironment[name];
    if (value !== undefined) input[name] = value;
  }
  // zod's pick() cannot be typed over a generic list of keys; the parse is the same either way.
  const mask = Object.fromEntries(names.map((name) => [name, true]));
  const parsed = settingsSchema.pick(mask as never).safeParse(input);
  if (!parsed.success) throw new ConfigError(describeConfigIssue(parsed.error, input));
  return parsed.data as unknown as Pick<Settings, K>;
}

/** A GeoIP database that cannot be opened, as the ConfigError naming its setting; other errors as they are. */
export function geoDatabaseConfigError(error: unknown, settings: Pick<Settings, 'GEOIP_CITY_DB' | 'GEOIP_ASN_DB'>): unknown {
  if (!(error instanceof GeoDatabaseError)) return error;
  return new ConfigError(`${error.path === settings.GEOIP_CITY_DB ? 'GEOIP_CITY_DB' : 'GEOIP_ASN_DB'}: ${error.message}`, { cause: error });
}

/** A file of each format by default: a `_bulk` body must not have plain document lines mixed in. */
export function fileSinkPath(settings: Pick<Settings, 'FILE_SINK_PATH' | 'FILE_SINK_FORMAT' | 'DATA_DIR'>): string {
  return settings.FILE_SINK_PATH ?? resolve(settings.DATA_DIR, settings.FILE_SINK_FORMAT === 'bulk' ? 'audit.bulk.ndjson' : 'audit.ndjson');
}

/** Redis topology rules between settings; throws ConfigError naming the setting. */
export function checkRedisSettings(settings: Settings): void {
  if (settings.REDIS_CLUSTER_NODES && settings.REDIS_SENTINELS) {
    throw new ConfigError('REDIS_CLUSTER_NODES and REDIS_SENTINELS: set one of them (Cluster or Sentinel), not both');
  }
  // Every key of the queue must share one slot, or Cluster refuses BullMQ's multi-key scripts.
  if (settings.REDIS_CLUSTER_NODES && !/\{[^}]+\}/.test(settings.QUEUE_PREFIX)) {
    throw new ConfigError(`QUEUE_PREFIX: needs a {…} hash tag with REDIS_CLUSTER_NODES, e.g. {mattermost-audit} (got ${JSON.stringify(settings.QUEUE_PREFIX)})`);
  }
}

/**
 * Rules between input settings that the schema checks one by one; throws ConfigError naming the
 * setting. Pure, so that it can run before anything connects.
 */
export function checkInputSettings(settings: Settings): void {
  if (settings.MATTERMOST_URL && !settings.MATTERMOST_TOKEN) {
    throw new ConfigError('MATTERMOST_TOKEN: required when MATTERMOST_URL is set (a personal access token)');
  }
  if (Boolean(settings.TCP_TLS_CERT) !== Boolean(settings.TCP_TLS_KEY)) {
    throw new ConfigError('TCP_TLS_CERT and TCP_TLS_KEY: set both for TLS, or neither');
  }
  if (settings.TCP_TLS_CA && !settings.TCP_TLS_CERT) {
    throw new ConfigError('TCP_TLS_CA: client certificates need TLS (TCP_TLS_CERT and TCP_TLS_KEY)');
  }
}
