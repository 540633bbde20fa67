/**
 * The configuration a Mattermost emulator holds, with what Mattermost does to it on the way out
 * and in (mattermost/mattermost): GET /api/v4/config answers it sanitized, plugin settings marked
 * `secret` in their manifest replaced by model.FakeSetting (since MM-57194; older servers show
 * them); PUT /api/v4/config/patch merges a patch section by section, and a plugin secret that
 * comes back as the mask keeps its stored value.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../support/shared-fixtures.js';

export const FAKE_SETTING = '********************************';

type Json = Record<string, any>;

const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, 'plugin.json'), 'utf8')) as { id: string; settings_schema: { settings: Array<{ key: string; secret?: boolean }> } };
/** Lower-cased keys of the settings our manifest marks secret. */
const SECRET_KEYS = new Set(manifest.settings_schema.settings.filter((s) => s.secret).map((s) => s.key.toLowerCase()));

export function defaultConfig(): Json {
  return {
    ServiceSettings: { SiteURL: 'http://mattermost.test' },
    ExperimentalAuditSettings: { FileEnabled: false, FileName: '', FileMaxSizeMB: 100, AdvancedLoggingJSON: {}, Certificate: '' },
    PluginSettings: { Enable: true, Plugins: {}, PluginStates: {} },
  };
}

function lowerKeys(values: Json): Json {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k.toLowerCase(), v]));
}

export class ConfigState {
  config: Json = defaultConfig();

  constructor(private readonly maskSecrets: boolean) {}

  setPluginSettings(pluginId: string, settings: Json | undefined): void {
    const plugins = this.config.PluginSettings.Plugins as Json;
    if (settings === undefined) delete plugins[pluginId];
    else plugins[pluginId] = lowerKeys(settings);
  }

  /** What GET /api/v4/config answers. */
  sanitized(): Json {
    const copy = structuredClone(this.config);
    if (!this.maskSecrets) return copy;
    const ours = copy.PluginSettings.Plugins[manifest.id] as Json | undefined;
    for (const key of Object.keys(ours ?? {})) {
      if (SECRET_KEYS.has(key) && ours![key] !== '' && ours![key] !== undefined) ours![key] = FAKE_SETTING;
    }
    return copy;
  }

  /** PUT /api/v4/config/patch: sections merged; a masked plugin secret keeps what is stored. */
  patch(patch: Json): void {
    for (const [section, values] of Object.entries(patch)) {
      if (typeof values !== 'object' || values === null) continue;
      if (section !== 'PluginSettings') {
        this.config[section] = { ...this.config[section], ...values };
        continue;
      }
      const { Plugins, ...rest } = values as Json;
      Object.assign(this.config.PluginSettings, rest);
      for (const [pluginId, settings] of Object.entries((Plugins ?? {}) as Json)) {
        const stored = (this.config.PluginSettings.Plugins[pluginId] ?? {}) as Json;
        const next = lowerKeys(settings as Json);
        for (const [key, value] of Object.entries(next)) if (value === FAKE_SETTING && key in stored) next[key] = stored[key];
        this.config.PluginSettings.Plugins[pluginId] = next;
      }
    }
  }
}
