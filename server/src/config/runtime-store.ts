/**
 * Settings pushed at runtime (PUT /v1/config), kept in Redis so that every process sees them:
 * a version number that each worker checks before a batch, and the settings as JSON.
 * Secrets are write-only: omitted means "keep", null means "clear", and reads never show them.
 */
import type { RedisClient } from '../queue/redis-connection.js';
import type { RedisKeys } from '../queue/keys.js';
import { ConfigError, describeConfigIssue } from './load.js';
import { runtimeSettingsSchema, SECRET_SETTINGS, type RuntimeSettings, type Settings } from './schema.js';

export interface EffectiveConfig {
  version: number;
  settings: Settings;
}

const RUNTIME_KEYS = Object.keys(runtimeSettingsSchema.shape) as Array<keyof RuntimeSettings>;

export class RuntimeConfigStore {
  private cached: EffectiveConfig;
  private read = false;

  constructor(private readonly redis: RedisClient, private readonly keys: RedisKeys, private readonly base: Settings) {
    this.cached = { version: 0, settings: base };
  }

  /**
   * The environment's settings overlaid with the pushed ones; one GET when nothing changed. While
   * Redis is away the settings last read stay in force (a request then fails where it needs
   * Redis, with its own 503); before a first read there are none to trust, and it throws.
   */
  async effective(): Promise<EffectiveConfig> {
    let version: number;
    try {
      version = Number((await this.redis.get(this.keys.configVersion)) ?? 0);
    } catch (error) {
      if (this.read) return this.cached;
      throw error;
    }
    this.read = true;
    if (version === this.cached.version) return this.cached;
    const stored = await this.storedSettings();
    this.cached = { version, settings: { ...this.base, ...stored } };
    return this.cached;
  }

  private async storedSettings(): Promise<Partial<RuntimeSettings>> {
    const json = await this.redis.get(this.keys.config);
    return json ? (JSON.parse(json) as Partial<RuntimeSettings>) : {};
  }

  /** Validates with the same schema as the environment; returns the new version. */
  async put(update: Record<string, unknown>): Promise<number> {
    const unknown = Object.keys(update).filter((key) => !(RUNTIME_KEYS as string[]).includes(key));
    if (unknown.length > 0) throw new ConfigError(`${unknown[0]}: not a setting that can be changed at runtime`);
    const merged: Record<string, unknown> = { ...(await this.storedSettings()) };
    for (const [key, value] of Object.entries(update)) {
      if (value === null) delete merged[key];
      else if (value !== undefined) merged[key] = value;
    }
    const parsed = runtimeSettingsSchema.safeParse(merged);
    if (!parsed.success) throw new ConfigError(describeConfigIssue(parsed.error, merged));
    const { DATA_STREAM_NAMESPACE, KEEP_ORIGINAL, ...rest } = parsed.data;
    const stored = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
    if ('DATA_STREAM_NAMESPACE' in merged) Object.assign(stored, { DATA_STREAM_NAMESPACE });
    if ('KEEP_ORIGINAL' in merged) Object.assign(stored, { KEEP_ORIGINAL });
    const [, [, version]] = (await this.redis.multi().set(this.keys.config, JSON.stringify(stored)).incr(this.keys.configVersion).exec()) as [unknown, [unknown, number]];
    return version;
  }

  /** What GET /v1/config and the status show: values, with secrets reduced to "is it set". */
  async publicView(): Promise<{ version: number; settings: Record<string, unknown> }> {
    const { version, settings } = await this.effective();
    return { version, settings: publicSettings(settings) };
  }
}

export function publicSettings(settings: Partial<Settings>): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  for (const key of RUNTIME_KEYS) {
    if ((SECRET_SETTINGS as readonly string[]).includes(key)) view[`${key}_SET`] = Boolean(settings[key]);
    else view[key] = settings[key] ?? null;
  }
  return view;
}
