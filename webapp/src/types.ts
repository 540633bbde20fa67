/**
 * The shapes this bundle meets: the props Mattermost's System Console gives a plugin's custom
 * setting (SchemaAdminSettings.buildCustomSetting in webapp/channels/src/components/admin_console),
 * The forwarder's answers (GET /v1/status and the rest) are in plugin-contract/forwarder-api.ts.
 */

import type { ReactNode } from 'react';
import type { AdminConfig } from '@mattermost/types/config';

export type SaveActionResult = { error?: { message?: string } };
export type SaveAction = () => Promise<SaveActionResult>;

export interface CustomSettingProps {
  /** 'PluginSettings.Plugins.<id with "." as "+">.<lower-cased key>' */
  id: string;
  label: ReactNode;
  helpText: ReactNode;
  /** This setting's own value in the page's (unsaved) state. */
  value: unknown;
  disabled: boolean;
  /** The saved configuration (Redux), not the page's unsaved edits. */
  config: Partial<AdminConfig>;
  license: Record<string, string>;
  setByEnv: boolean;
  onChange: (id: string, value: unknown) => void;
  setSaveNeeded: () => void;
  /** Called after Mattermost has saved its config: SchemaAdminSettings.doSubmit runs every action. */
  registerSaveAction: (action: SaveAction) => void;
  unRegisterSaveAction: (action: SaveAction) => void;
}
