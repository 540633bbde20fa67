/**
 * plugin.json is the one place the plugin's id, version and settings are written; the bundle
 * (esbuild inlines the JSON) and the forwarder both read them from here.
 */
import manifestJson from '../plugin.json' with { type: 'json' };

export interface ManifestSetting {
  key: string;
  display_name: string;
  type: 'bool' | 'dropdown' | 'generated' | 'radio' | 'text' | 'longtext' | 'number' | 'username' | 'custom';
  help_text?: string;
  placeholder?: string;
  default?: unknown;
  options?: Array<{ display_name: string; value: string }>;
  secret?: boolean;
}

export interface PluginManifest {
  id: string;
  name: string;
  version: string;
  min_server_version?: string;
  webapp: { bundle_path: string };
  settings_schema: { header?: string; footer?: string; settings: ManifestSetting[] };
}

export const manifest = manifestJson as PluginManifest;
export const PLUGIN_ID = manifest.id;

/** Default values by lower-cased key, as Mattermost's System Console shows them before a first save. */
export function manifestDefaults(): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  for (const setting of manifest.settings_schema.settings) {
    if (setting.type !== 'custom' && setting.default !== undefined) defaults[setting.key.toLowerCase()] = setting.default;
  }
  return defaults;
}
