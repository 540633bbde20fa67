import { resolve } from 'node:path';
import type { z } from 'zod';
import { settingsSchema, SECRET_SETTINGS, type Settings } from './schema.js';

/** A setting with a bad value; the message is one line that names it. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** The first problem as one line: the setting, what is wrong, and the offending value unless secret. */
export function describeConfigIssue(error: z.ZodError, input: Record<string, unknown>): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid configuration';
  const setting = issue.path.join('.') || 'configuration';
  const value = input[setting];
  const shown = (SECRET_SETTINGS as readonly string[]).includes(setting) || value === undefined ? '' : ` (got ${JSON.stringify(value)})`;
  return `${setting}: ${issue.message}${shown}`;
}

/** Reads the settings from the environment; throws ConfigError naming the first bad setting. */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const input: Record<string, unknown> = {};
  for (const key of Object.keys(settingsSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const parsed = settingsSchema.safeParse(input);
  if (!parsed.success) throw new ConfigError(describeConfigIssue(parsed.error, input));
  const settings = parsed.data;
  if (settings.ELASTICSEARCH_USERNAME && !settings.ELASTICSEARCH_PASSWORD) {
    throw new ConfigError('ELASTICSEARCH_PASSWORD: required when ELASTICSEARCH_USERNAME is set');
  }
  checkInputSettings(settings);
  checkRedisSettings(settings);
  return { ...settings, DATA_DIR: resolve(settings.DATA_DIR) };
}

export function fileSinkPath(settings: Settings): string {
  return settings.FILE_SINK_PATH ?? resolve(settings.DATA_DIR, 'audit.ndjson');
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
