/**
 * Settings pushed at runtime (PUT /v1/config), kept in Redis so that every process sees them:
 * a version number that each worker checks before a batch, and the settings as JSON.
 * Secrets are write-only: omitted means "keep", null means "clear", and reads never show them.
 * A change that changes an effective value also leaves its audit record in an outbox list, in
 * the same atomic step, for ConfigChangeRelay to queue: no change goes unrecorded.
 */
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import { VERSION } from '../package-info.js';
import type { RedisKeys } from '../queue/keys.js';
import { settingChanges, type ConfigActor, type ConfigChangeRecord } from './config-changes.js';
import { ConfigError, describeConfigIssue } from './load.js';
import { runtimeSettingsSchema, SECRET_SETTINGS, type RuntimeSettings, type Settings } from './schema.js';

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
}

const RUNTIME_KEYS = Object.keys(runtimeSettingsSchema.shape) as Array<keyof RuntimeSettings>;

export class RuntimeConfigStore {
  private cached: EffectiveConfig;

  constructor(private readonly redis: Redis, private readonly keys: RedisKeys, private readonly base: Settings) {
    this.cached = { version: 0, settings: base };
  }

  /** The environment's settings overlaid with the pushed ones; one GET when nothing changed. */
  async effective(): Promise<EffectiveConfig> {
    const version = Number((await this.redis.get(this.keys.configVersion)) ?? 0);
    if (version === this.cached.version) return this.cached;
    const stored = await this.storedSettings();
    this.cached = { version, settings: { ...this.base, ...stored } };
    return this.cached;
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

  /** What GET /v1/config and the status show: values, with secrets reduced to "is it set". */
  async publicView(): Promise<{ version: number; settings: Record<string, unknown> }> {
    const { version, settings } = await this.effective();
    return { version, settings: publicSettings(settings) };
  }
}

function canonical(settings: Partial<RuntimeSettings>): string {
  return JSON.stringify(Object.entries(settings).sort(([a], [b]) => a.localeCompare(b)));
}

export function publicSettings(settings: Partial<Settings>): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  for (const key of RUNTIME_KEYS) {
    if ((SECRET_SETTINGS as readonly string[]).includes(key)) view[`${key}_SET`] = Boolean(settings[key]);
    else view[key] = settings[key] ?? null;
  }
  return view;
}
