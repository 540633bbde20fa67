/**
 * The plugin's setting values as the admin sees them on the page. Mattermost gives a custom
 * setting only its own value and the *saved* config (SchemaAdminSettings passes
 * `config={this.props.config}`, the Redux copy; the page's edits live in that component's
 * state). So the entered-but-unsaved values are read from the page's own inputs, whose ids are
 * the settings' config paths: TextSetting renders <input|textarea id={id}>, DropdownSetting
 * <select id={id}>, BooleanSetting two radios named {id} with values "true"/"false".
 */
import type { AdminConfig } from '@mattermost/types/config';
import { manifest, manifestDefaults } from '../../plugin-contract/manifest.js';
import type { PluginValues } from '../../plugin-contract/settings-map.js';

/** The config path (and DOM id) of a plugin setting: Mattermost writes "." of the id as "+". */
export function settingPath(pluginId: string, key: string): string {
  return `PluginSettings.Plugins.${pluginId.replace(/\./g, '+')}.${key.toLowerCase()}`;
}

/** PluginSettings.Plugins[<id>] of the saved config, keys lower-cased. */
export function savedPluginValues(config: Partial<AdminConfig> | undefined, pluginId: string): PluginValues {
  const plugins = (config?.PluginSettings?.Plugins ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const entry = plugins[pluginId] ?? Object.entries(plugins).find(([id]) => id.toLowerCase() === pluginId.toLowerCase())?.[1];
  const values: PluginValues = {};
  for (const [key, value] of Object.entries(entry ?? {})) values[key.toLowerCase()] = value;
  return values;
}

/** What the page's inputs show now, for the settings that are on the page. */
export function enteredPluginValues(pluginId: string, root: Document = document): PluginValues {
  const values: PluginValues = {};
  for (const setting of manifest.settings_schema.settings) {
    if (setting.type === 'custom') continue;
    const path = settingPath(pluginId, setting.key);
    if (setting.type === 'bool') {
      const checked = root.querySelector<HTMLInputElement>(`input[type="radio"][name="${cssString(path)}"]:checked`);
      if (checked) values[setting.key.toLowerCase()] = checked.value === 'true';
      continue;
    }
    const field = root.getElementById(path);
    if (field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement || field instanceof HTMLSelectElement) {
      values[setting.key.toLowerCase()] = field.value;
    }
  }
  return values;
}

/** Defaults < saved config < what is entered on the page. */
export function currentPluginValues(config: Partial<AdminConfig> | undefined, pluginId = manifest.id): PluginValues {
  const entered = typeof document === 'undefined' ? {} : enteredPluginValues(pluginId);
  return { ...manifestDefaults(), ...savedPluginValues(config, pluginId), ...entered };
}

function cssString(value: string): string {
  return value.replace(/["\\]/g, '\\$&');
}
