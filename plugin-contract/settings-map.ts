/**
 * How the plugin's settings (System Console, stored by Mattermost under
 * PluginSettings.Plugins[<plugin id>] with lower-cased keys) become the forwarder's
 * environment-style settings for PUT /v1/config. Pure and DOM-free: the browser (Save,
 * Test connection) and the forwarder (reading Mattermost's config itself) use this one
 * table, so the two can never disagree about a name.
 */

/** What Mattermost puts in place of a value it hides (model.FakeSetting): never a real value. */
export const FAKE_SETTING = '********************************';

export type AuthMode = 'none' | 'apikey' | 'basic';

export interface SettingMapping {
  /** The key as plugin.json spells it. */
  key: string;
  /** The forwarder's setting (environment variable name). */
  env: string;
  /** text: empty clears; secret: empty or hidden keeps; bool: true/false; switch: on/off, or auto (clears). */
  kind: 'text' | 'secret' | 'bool' | 'switch';
  /** Sent only when this authentication is chosen, cleared otherwise. */
  auth?: Exclude<AuthMode, 'none'>;
  /** Part of what "Test connection" tries (the Elasticsearch connection itself). */
  connection?: boolean;
}

export const SETTING_MAP: readonly SettingMapping[] = [
  { key: 'ElasticsearchUrl', env: 'ELASTICSEARCH_URL', kind: 'text', connection: true },
  { key: 'ElasticsearchApiKey', env: 'ELASTICSEARCH_API_KEY', kind: 'secret', auth: 'apikey', connection: true },
  { key: 'ElasticsearchUsername', env: 'ELASTICSEARCH_USERNAME', kind: 'text', auth: 'basic', connection: true },
  { key: 'ElasticsearchPassword', env: 'ELASTICSEARCH_PASSWORD', kind: 'secret', auth: 'basic', connection: true },
  { key: 'ElasticsearchCa', env: 'ELASTICSEARCH_CA', kind: 'text', connection: true },
  { key: 'ElasticsearchCaFingerprint', env: 'ELASTICSEARCH_CA_FINGERPRINT', kind: 'text', connection: true },
  { key: 'ElasticsearchPipeline', env: 'ELASTICSEARCH_PIPELINE', kind: 'text' },
  { key: 'DataStreamNamespace', env: 'DATA_STREAM_NAMESPACE', kind: 'text' },
  { key: 'KeepOriginal', env: 'KEEP_ORIGINAL', kind: 'bool' },
  { key: 'IngestToken', env: 'INGEST_TOKEN', kind: 'secret' },
  // Sent only to a forwarder whose GET /v1/config lists them (see restrictToAccepted): an older
  // one reads its inputs from its environment, and the page says that they were not applied.
  { key: 'InputWebhook', env: 'INPUT_WEBHOOK', kind: 'switch' },
  { key: 'InputRestPoller', env: 'INPUT_REST', kind: 'switch' },
  { key: 'InputFileTail', env: 'INPUT_FILE', kind: 'switch' },
  { key: 'InputTcp', env: 'INPUT_TCP', kind: 'switch' },
];

/** The values of an input switch's dropdown; `auto` leaves the input to the forwarder's environment. */
export const SWITCH_VALUES = ['auto', 'on', 'off'] as const;

/**
 * Settings the plugin uses itself and never sends: where the forwarder is, the tokens this page
 * calls it with (the status token reads, the admin token changes), how to choose credentials.
 */
export const PLUGIN_ONLY_KEYS = ['ForwarderUrl', 'StatusToken', 'AdminToken', 'ElasticsearchAuth'] as const;

export type PluginValues = Record<string, unknown>;
export type ForwarderUpdate = Record<string, string | boolean | null>;

/** A value by plugin key, whatever its case (Mattermost lower-cases the keys it stores). */
export function pluginValue(values: PluginValues, key: string): unknown {
  const lower = key.toLowerCase();
  if (lower in values) return values[lower];
  if (key in values) return values[key];
  const found = Object.keys(values).find((k) => k.toLowerCase() === lower);
  return found === undefined ? undefined : values[found];
}

export function authMode(values: PluginValues): AuthMode {
  const mode = pluginValue(values, 'ElasticsearchAuth');
  return mode === 'apikey' || mode === 'basic' ? mode : 'none';
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
}

function bool(value: unknown): boolean | null {
  if (value === true || value === 'true' || value === 'on') return true;
  if (value === false || value === 'false' || value === 'off') return false;
  return null;
}

/**
 * A secret as the admin entered it, or undefined when there is none to use: empty, or the mask
 * Mattermost shows in place of a saved secret (the page never sees a saved secret's value).
 */
export function enteredSecret(value: unknown): string | undefined {
  const secret = text(value);
  return secret === '' || secret === FAKE_SETTING ? undefined : secret;
}

/**
 * The PUT /v1/config body for these plugin values. `null` clears a stored value (the forwarder
 * falls back to its environment); an omitted secret is kept, which is what an empty secret field
 * or one Mattermost shows hidden means. Credentials of the authentication not chosen are cleared.
 */
export function forwarderUpdate(values: PluginValues): ForwarderUpdate {
  const auth = authMode(values);
  const update: ForwarderUpdate = {};
  for (const mapping of SETTING_MAP) {
    const value = pluginValue(values, mapping.key);
    if (mapping.auth && mapping.auth !== auth) {
      update[mapping.env] = null;
    } else if (mapping.kind === 'secret') {
      const secret = enteredSecret(value);
      if (secret !== undefined) update[mapping.env] = secret;
    } else if (mapping.kind === 'bool' || mapping.kind === 'switch') {
      update[mapping.env] = bool(value);
    } else {
      const plain = text(value);
      update[mapping.env] = plain === '' ? null : plain;
    }
  }
  return update;
}

/**
 * The POST /v1/config/test body: only the connection settings. The forwarder lays the body over
 * its current settings and skips nulls, so a cleared value is sent as '' (which its schema reads
 * as "unset"); the URL is left out when empty, since '' is no URL.
 */
export function connectionTestBody(values: PluginValues): ForwarderUpdate {
  const update = forwarderUpdate(values);
  const body: ForwarderUpdate = {};
  for (const mapping of SETTING_MAP) {
    if (!mapping.connection || !(mapping.env in update)) continue;
    const value = update[mapping.env];
    if (value !== null && value !== undefined) body[mapping.env] = value;
    else if (mapping.env !== 'ELASTICSEARCH_URL') body[mapping.env] = '';
  }
  return body;
}

/**
 * Keeps what the forwarder takes at runtime. `accepted` are the names GET /v1/config lists
 * (secrets appear there as `<NAME>_SET`); the rest is returned so that the UI can say so.
 */
export function restrictToAccepted(update: ForwarderUpdate, accepted: Iterable<string>): { update: ForwarderUpdate; skipped: string[] } {
  const names = new Set<string>();
  for (const name of accepted) names.add(name.endsWith('_SET') ? name.slice(0, -4) : name);
  const kept: ForwarderUpdate = {};
  const skipped: string[] = [];
  for (const [name, value] of Object.entries(update)) {
    if (names.has(name)) kept[name] = value;
    else if (value !== null) skipped.push(name);
  }
  return { update: kept, skipped };
}

/** The plugin setting that feeds a forwarder setting, for messages. */
export function pluginKeyFor(env: string): string | undefined {
  return SETTING_MAP.find((m) => m.env === env)?.key;
}
