/**
 * The plugin's settings as Mattermost stores them (PluginSettings.Plugins[<plugin id>] of
 * GET /api/v4/config), read by the forwarder itself: it is configured after a restart even when
 * no admin has pressed Save in a browser since. The name mapping is the plugin's own
 * (plugin-contract/settings-map.ts), so the browser's push and this read always agree.
 */
import type { Logger } from '../logger.js';
import { manifestDefaults, PLUGIN_ID } from '../../../plugin-contract/manifest.js';
import { forwarderUpdate, type PluginValues } from '../../../plugin-contract/settings-map.js';
import { ConfigError } from './load.js';
import type { RuntimeConfigStore } from './runtime-store.js';
import { runtimeSettingsSchema, type Settings } from './schema.js';

export { PLUGIN_ID };

const RUNTIME_KEYS = new Set(Object.keys(runtimeSettingsSchema.shape));
const REQUEST_TIMEOUT_MS = 10_000;
const DEFAULT_INTERVAL_MS = 60_000;

export class MattermostConfigError extends Error {
  override readonly name = 'MattermostConfigError';
}

/**
 * Env-style settings for RuntimeConfigStore.put(): values to set, `null` to clear (the
 * environment applies again). Secrets Mattermost hides or that are empty are left out, which
 * keeps the stored ones. `{}` when the plugin has never been saved in Mattermost.
 */
export async function readPluginSettingsFromMattermost(url: string, token: string, pluginId: string = PLUGIN_ID): Promise<Record<string, unknown>> {
  const base = url.trim().replace(/\/+$/, '');
  let response: Response;
  try {
    response = await fetch(`${base}/api/v4/config`, {
      headers: { authorization: `Bearer ${token}`, 'x-requested-with': 'XMLHttpRequest', accept: 'application/json' },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    throw new MattermostConfigError(`cannot reach Mattermost at ${base}: ${(error as Error).message}`, { cause: error });
  }
  if (response.status === 401) throw new MattermostConfigError('Mattermost refused MATTERMOST_TOKEN (HTTP 401)');
  if (response.status === 403) {
    throw new MattermostConfigError("MATTERMOST_TOKEN's user may not read the configuration (HTTP 403): it needs the system admin role");
  }
  if (!response.ok) throw new MattermostConfigError(`GET ${base}/api/v4/config answered HTTP ${response.status}`);
  const config = (await response.json().catch(() => undefined)) as { PluginSettings?: { Plugins?: Record<string, unknown> } } | undefined;
  const plugins = config?.PluginSettings?.Plugins ?? {};
  // Mattermost lower-cases plugin ids (model.FindManifest) and setting keys; match loosely.
  const entry = plugins[pluginId] ?? Object.entries(plugins).find(([id]) => id.toLowerCase() === pluginId.toLowerCase())?.[1];
  if (typeof entry !== 'object' || entry === null) return {};
  const values: PluginValues = { ...manifestDefaults() };
  for (const [key, value] of Object.entries(entry)) values[key.toLowerCase()] = value;
  return Object.fromEntries(Object.entries(forwarderUpdate(values)).filter(([name]) => RUNTIME_KEYS.has(name)));
}

export interface MattermostConfigSyncOptions {
  settings: Pick<Settings, 'MATTERMOST_URL' | 'MATTERMOST_TOKEN'>;
  store: Pick<RuntimeConfigStore, 'put'>;
  logger: Logger;
  /** How often to read Mattermost's config; 60 s unless a test wants faster. */
  intervalMs?: number;
  pluginId?: string;
}

/** What /v1/status says of the sync, so that the plugin's page can tell whether a Save reaches the forwarder without a push. */
export interface MattermostConfigSyncStatus {
  enabled: boolean;
  intervalSeconds: number | null;
  lastReadAt: string | null;
  lastError: string | null;
}

export interface MattermostConfigSync {
  status(): MattermostConfigSyncStatus;
  stop(): Promise<void>;
}

/**
 * Reads the plugin's settings at start and every minute, and stores them (a new config
 * version) whenever they differ from the last ones read. Off without MATTERMOST_URL and
 * MATTERMOST_TOKEN. Failures are logged once per distinct message, never thrown.
 */
export function startMattermostConfigSync(options: MattermostConfigSyncOptions): MattermostConfigSync {
  const { settings, store, logger } = options;
  const url = settings.MATTERMOST_URL;
  const token = settings.MATTERMOST_TOKEN;
  if (!url || !token) {
    logger.debug('MATTERMOST_URL or MATTERMOST_TOKEN not set: plugin settings are not read from Mattermost');
    return { status: () => ({ enabled: false, intervalSeconds: null, lastReadAt: null, lastError: null }), stop: async () => undefined };
  }
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  let lastReadAt: string | null = null;
  let lastApplied: string | undefined;
  let lastProblem: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  const problem = (message: string, error?: unknown) => {
    if (message !== lastProblem) logger.warn({ err: error, 'url.full': `${url}/api/v4/config` }, message);
    lastProblem = message;
  };

  const tick = async () => {
    let update: Record<string, unknown>;
    try {
      update = await readPluginSettingsFromMattermost(url, token, options.pluginId);
      lastReadAt = new Date().toISOString();
    } catch (error) {
      problem(`cannot read the plugin settings from Mattermost: ${(error as Error).message}`, error);
      return;
    }
    if (Object.keys(update).length === 0) {
      problem('the plugin has no saved settings in Mattermost yet: nothing to apply');
      return;
    }
    const fingerprint = JSON.stringify(Object.entries(update).sort(([a], [b]) => a.localeCompare(b)));
    if (fingerprint === lastApplied) return;
    try {
      const version = await store.put(update, { token: 'mattermost', address: new URL(url).origin });
      lastApplied = fingerprint;
      lastProblem = undefined;
      logger.info({ 'config.version': version, 'config.settings': Object.keys(update).sort() }, 'applied the plugin settings saved in Mattermost');
    } catch (error) {
      // Values the schema refuses are reported once, not every minute; Redis being down is retried.
      if (error instanceof ConfigError) {
        lastApplied = fingerprint;
        problem(`the plugin settings saved in Mattermost are refused: ${error.message}`);
      } else {
        problem(`cannot store the plugin settings read from Mattermost: ${(error as Error).message}`, error);
      }
    }
  };

  const schedule = () => {
    if (stopped) return;
    running = tick().finally(() => {
      running = undefined;
      if (!stopped) {
        timer = setTimeout(schedule, intervalMs);
        timer.unref();
      }
    });
  };
  schedule();

  return {
    status: () => ({ enabled: true, intervalSeconds: Math.round(intervalMs / 1000), lastReadAt, lastError: lastProblem ?? null }),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
