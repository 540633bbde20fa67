/**
 * Settings pushed at runtime (PUT /v1/config), kept in Redis so that every process sees them:
 * a version number that each worker checks before a batch, and the settings as JSON.
 * Secrets are write-only: omitted means "keep", null means "clear", and reads never show them,
 * nor the credentials inside a URL (ELASTICSEARCH_URL reads as `https://***@host`).
 * A change that changes an effective value also leaves its audit record in an outbox list, in
 * the same atomic step, for ConfigChangeRelay to queue: no change goes unrecorded.
 */
import { hostname } from 'node:os';
import type { ConfigView, SettingOrigin } from '../../../plugin-contract/forwarder-api.js';
import { VERSION } from '../package-info.js';
import type { RedisClient } from '../queue/redis-connection.js';
import type { RedisKeys } from '../queue/keys.js';
import { scrubUrlCredentials } from '../url-credentials.js';
import { settingChanges, type ConfigActor, type ConfigChangeRecord } from './config-changes.js';
import { ConfigError, describeConfigIssue } from './load.js';
import { runtimeSettingsSchema, SECRET_SETTINGS, type RuntimeSettings, type Settings } from './schema.js';

export type { SettingOrigin };

// One atomic step: the new settings, the next version, and the change's record carrying that version.
const COMMIT_SCRIPT = `
local version = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1])
if ARGV[2] ~= '' then
  local record = string.gsub(ARGV[2], '"version":0', '"version":' .. version, 1)
  redis.call('RPUSH', KEYS[3], record)
end
return version`;

export interface EffectiveConfig {
  version: number;
  settings: Settings;
  /** Where each runtime setting's value comes from. */
  origins: Record<string, SettingOrigin>;
}

const RUNTIME_KEYS = Object.keys(runtimeSettingsSchema.shape) as Array<keyof RuntimeSettings>;

export class RuntimeConfigStore {
  private cached: EffectiveConfig;
  private read = false;

  /** `fromEnvironment`: the names of the settings the environment set (environmentSettings). */
  constructor(private readonly redis: RedisClient, private readonly keys: RedisKeys, private readonly base: Settings, private readonly fromEnvironment: ReadonlySet<string> = new Set()) {
    this.cached = { version: 0, settings: base, origins: this.origins({}) };
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
    this.cached = { version, settings: { ...this.base, ...stored }, origins: this.origins(stored) };
    return this.cached;
  }

  private origins(stored: Partial<RuntimeSettings>): Record<string, SettingOrigin> {
    const origins: Record<string, SettingOrigin> = {};
    for (const key of RUNTIME_KEYS) origins[key] = key in stored ? 'runtime' : this.fromEnvironment.has(key) ? 'env' : 'default';
    return origins;
  }

  private async storedSettings(): Promise<Partial<RuntimeSettings>> {
    const json = await this.redis.get(this.keys.config);
    return json ? (JSON.parse(json) as Partial<RuntimeSettings>) : {};
  }

  /**
   * Validates with the same schema as the environment; returns the new version (the current one
   * when nothing changed). `actor` is who changed it, for the change's audit record.
   */
  async put(update: Record<string, unknown>, actor: ConfigActor = { token: 'local' }): Promise<number> {
    const unknown = Object.keys(update).filter((key) => !(RUNTIME_KEYS as string[]).includes(key));
    if (unknown.length > 0) throw new ConfigError(`${unknown[0]}: not a setting that can be changed at runtime`);
    const previous = await this.storedSettings();
    const merged: Record<string, unknown> = { ...previous };
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
    return this.commit(previous, stored, actor);
  }

  private async commit(previous: Partial<RuntimeSettings>, stored: Partial<RuntimeSettings>, actor: ConfigActor): Promise<number> {
    if (canonical(previous) === canonical(stored)) return Number((await this.redis.get(this.keys.configVersion)) ?? 0);
    const changes = settingChanges({ ...this.base, ...previous }, { ...this.base, ...stored }, RUNTIME_KEYS);
    const record: ConfigChangeRecord | undefined = changes.length === 0 ? undefined : {
      forwarder_event: 'forwarderConfigChanged', at: new Date().toISOString(), version: 0,
      host: this.base.HOST_NAME ?? hostname(), service_version: VERSION, actor, changes,
    };
    const version = await this.redis.eval(
      COMMIT_SCRIPT, 3, this.keys.config, this.keys.configVersion, this.keys.configChanges, JSON.stringify(stored), record ? JSON.stringify(record) : '',
    );
    return Number(version);
  }

  /** What GET /v1/config and the status show: values, with secrets reduced to "is it set", and their origins. */
  async publicView(): Promise<ConfigView> {
    const { version, settings, origins } = await this.effective();
    return { version, settings: publicSettings(settings), origins };
  }
}

function canonical(settings: Partial<RuntimeSettings>): string {
  return JSON.stringify(Object.entries(settings).sort(([a], [b]) => a.localeCompare(b)));
}

export function publicSettings(settings: Partial<Settings>): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  for (const key of RUNTIME_KEYS) {
    const value = settings[key];
    if ((SECRET_SETTINGS as readonly string[]).includes(key)) view[`${key}_SET`] = Boolean(value);
    else view[key] = typeof value === 'string' ? scrubUrlCredentials(value) : value ?? null;
  }
  return view;
}
