/**
 * What the plugin does when the admin presses Save: Mattermost first stores its config
 * (SchemaAdminSettings.doSubmit → patchConfig), then runs the save actions its custom settings
 * registered. Ours pushes the same values to the forwarder (PUT /v1/config), limited to the
 * settings that forwarder takes at runtime, and tells the status panel how it went, since
 * Mattermost shows no message of a save action itself. It pushes only with an admin token typed
 * on the page: Mattermost hides the saved one (a secret setting), and then the page says what
 * happens instead.
 */
import type { AdminConfig } from '@mattermost/types/config';
import { adminClient, readClient } from './forwarder-access.js';
import { describeError, ForwarderError } from './forwarder-client.js';
import { manifest, manifestDefaults } from '../../plugin-contract/manifest.js';
import { currentPluginValues } from './plugin-values.js';
import { forwarderUpdate, pluginKeyFor, restrictToAccepted, type PluginValues } from '../../plugin-contract/settings-map.js';
import type { SaveActionResult } from './types.js';

export interface SaveOutcome {
  /** ok: pushed; warn: nothing to push to yet; error: the forwarder did not take it. */
  tone: 'ok' | 'warn' | 'error';
  message: string;
  at: number;
  /** The config version the forwarder runs after the push. */
  version?: number;
}

type Listener = (outcome: SaveOutcome) => void;
const listeners = new Set<Listener>();
let lastOutcome: SaveOutcome | undefined;

export function onSaveOutcome(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function latestSaveOutcome(): SaveOutcome | undefined {
  return lastOutcome;
}

function publish(outcome: SaveOutcome): SaveActionResult {
  lastOutcome = outcome;
  for (const listener of listeners) listener(outcome);
  // An error keeps Mattermost's Save button armed, so the admin can press it again once fixed.
  return outcome.tone === 'error' ? { error: { message: outcome.message } } : {};
}

/** A plugin setting's name as the System Console shows it. */
export function displayName(pluginKey: string): string {
  return manifest.settings_schema.settings.find((s) => s.key.toLowerCase() === pluginKey.toLowerCase())?.display_name ?? pluginKey;
}

/** "ELASTICSEARCH_URL: …" from the forwarder, with the field's name on this page added. */
export function withDisplayNames(message: string): string {
  return message.replace(/\b([A-Z][A-Z0-9_]{3,})\b/g, (name) => {
    const key = pluginKeyFor(name);
    return key ? `${name} (“${displayName(key)}”)` : name;
  });
}

/** What happens to a Save the page could not push: the forwarder may read the settings from Mattermost itself. */
async function withoutPush(values: PluginValues, reason: ForwarderError): Promise<SaveActionResult> {
  let message = `Saved in Mattermost, not pushed to the forwarder: ${reason.message}`;
  const reader = readClient(values);
  if (reason.problem === 'token-hidden' && !(reader instanceof ForwarderError)) {
    const sync = await reader.status().then((status) => status.pluginSettings, () => undefined);
    if (sync?.enabled) {
      message += ` The forwarder reads the saved settings from Mattermost itself (every ${sync.intervalSeconds ?? 60} s): it applies them by then, `
        + 'except new secrets (API key, password, ingest token), which Mattermost hides from it too and only a push delivers.';
    }
  }
  return publish({ tone: 'warn', at: Date.now(), message });
}

export async function pushSettingsToForwarder(config: Partial<AdminConfig> | undefined): Promise<SaveActionResult> {
  const values = currentPluginValues(config);
  const client = adminClient(values, 'push the settings with Save');
  // Saving in Mattermost still worked; there is just no pushing to the forwarder yet.
  if (client instanceof ForwarderError) return withoutPush(values, client);
  try {
    const current = await client.config();
    const full = forwarderUpdate(values);
    const { update, skipped } = restrictToAccepted(full, Object.keys(current.settings));
    const result = await client.putConfig(update);
    // Only what the admin changed from the plugin's defaults is worth a word.
    const defaults = forwarderUpdate(manifestDefaults());
    const changed = skipped.filter((env) => full[env] !== defaults[env]);
    const notApplied = changed.length === 0
      ? ''
      : ` This forwarder takes ${changed.map((env) => `“${displayName(pluginKeyFor(env) ?? env)}”`).join(', ')} from its environment only, so those were not applied.`;
    return publish({ tone: 'ok', at: Date.now(), version: result.version, message: `Pushed to the forwarder: it now runs config version ${result.version}.${notApplied}` });
  } catch (error) {
    return publish({ tone: 'error', at: Date.now(), message: `Saved in Mattermost, but the forwarder did not take the settings: ${withDisplayNames(describeError(error))}` });
  }
}
