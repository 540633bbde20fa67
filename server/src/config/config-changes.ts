/**
 * What one change of the runtime settings was, as the forwarder's own audit record of it: the
 * settings whose effective value changed, old and new (a secret only as "changed"), and who
 * changed it. Pure: RuntimeConfigStore.put computes it and keeps it beside the new settings.
 */
import { SECRET_SETTINGS, type Settings } from './schema.js';

/** The text in place of a secret's value: a secret is never written into a record. */
export const SECRET_CHANGED = 'changed';

export type SettingValue = string | number | boolean | null;

export interface SettingChange {
  setting: string;
  old: SettingValue;
  new: SettingValue;
}

/** Who changed the settings: a kind of token (or the sync from Mattermost) and from where. */
export interface ConfigActor {
  token: 'admin' | 'status' | 'local' | 'mattermost';
  address?: string;
}

/** The raw record of a change, as it goes through the queue like any record (input "forwarder"). */
export interface ConfigChangeRecord {
  forwarder_event: 'forwarderConfigChanged';
  at: string;
  version: number;
  host: string;
  service_version: string;
  actor: ConfigActor;
  changes: SettingChange[];
}

function plain(value: unknown): SettingValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}

/** The settings among `keys` whose value differs between the two, secrets reduced to "changed". */
export function settingChanges(before: Partial<Settings>, after: Partial<Settings>, keys: readonly string[]): SettingChange[] {
  const changes: SettingChange[] = [];
  for (const key of keys) {
    const old = plain(before[key as keyof Settings]);
    const now = plain(after[key as keyof Settings]);
    if (old === now) continue;
    const secret = (SECRET_SETTINGS as readonly string[]).includes(key);
    changes.push(secret ? { setting: key, old: SECRET_CHANGED, new: SECRET_CHANGED } : { setting: key, old, new: now });
  }
  return changes;
}

/** Addresses as Node reports them (IPv4 clients of a dual-stack socket appear as ::ffff:a.b.c.d). */
export function normalizeAddress(address: string | undefined): string | undefined {
  if (!address) return undefined;
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}
