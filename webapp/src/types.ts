/**
 * The shapes this bundle meets: the props Mattermost's System Console gives a plugin's custom
 * setting (SchemaAdminSettings.buildCustomSetting in webapp/channels/src/components/admin_console),
 * and what the forwarder answers on GET /v1/status (server/src/status/status-report.ts).
 */

// Type-only: erased from the bundle, so the webapp shares the forwarder's shape without its code.
import type { SinkHealth } from '../../server/src/sinks/types.js';
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

export interface InputStatus {
  records?: number;
  bytes?: number;
  lastSeen?: string | null;
  lastRecordAt?: string | null;
  lag?: number | null;
  lastError?: string | null;
  kind?: string;
  target?: string;
}

export interface ForwarderStatus {
  service: { name: string; version: string; role: string; time: string };
  config: { version: number; settings: Record<string, unknown> };
  inputs: Record<string, InputStatus>;
  queue: { waiting: number; active: number; delayed: number; failed: number; pendingRecords: number; deadLetters: number; highWaterMark: number };
  rate: { perSecond1m: number; perSecond5m: number };
  sink: {
    kind: 'elasticsearch' | 'file';
    target: string;
    reachable: boolean;
    version?: string;
    health?: string;
    error?: string;
    delivered: number;
    lastSuccessAt: string | null;
    lastError: string | null;
    lastErrorAt: string | null;
  };
}

export interface ConfigView {
  version: number;
  settings: Record<string, unknown>;
}

/** POST /v1/config/test: the sink's health check. */
/** POST /v1/config/test answers the sink's health plus a verdict. */
export interface ConnectionTestResult extends SinkHealth {
  ok: boolean;
}
