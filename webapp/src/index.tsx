/**
 * The plugin's entry: Mattermost loads this bundle in the System Console and calls
 * initialize() with its registry. React comes from Mattermost's page (window.React); the build
 * maps `react` and `react/jsx-runtime` onto it, so one React renders everything.
 */
import type { ComponentType } from 'react';
import { manifest } from '../../plugin-contract/manifest.js';
import { ConnectMattermost } from './connect-mattermost.js';
import { StatusPanel } from './status-panel.js';
import { TestConnection } from './test-connection.js';
import type { CustomSettingProps } from './types.js';

/** The component of each `custom` setting of plugin.json, by key. */
export const CUSTOM_SETTINGS: Record<string, ComponentType<CustomSettingProps>> = {
  Status: StatusPanel,
  TestConnection,
  ConnectMattermost,
};

export interface PluginRegistry {
  registerAdminConsoleCustomSetting(key: string, component: ComponentType<CustomSettingProps>, options?: { showTitle: boolean }): void;
}

export class Plugin {
  initialize(registry: PluginRegistry): void {
    for (const setting of manifest.settings_schema.settings) {
      if (setting.type !== 'custom') continue;
      const component = CUSTOM_SETTINGS[setting.key];
      // A custom setting without a component shows Mattermost's "enable the plugin" banner forever.
      if (!component) throw new Error(`${manifest.id}: no component for custom setting ${setting.key}`);
      registry.registerAdminConsoleCustomSetting(setting.key, component, { showTitle: true });
    }
  }
}

declare global {
  interface Window {
    registerPlugin(id: string, plugin: Plugin): void;
  }
}

window.registerPlugin(manifest.id, new Plugin());
