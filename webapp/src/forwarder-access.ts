/**
 * Which token this page calls the forwarder with. Reading (the status panel, the wiring's look
 * at the TCP input) uses the status token, a plain setting; changing (Save, Test connection,
 * replaying dead letters) uses the admin token, a secret setting that Mattermost hides once
 * saved (it shows a mask instead, also to this page): only an admin token typed on the page now
 * can change anything, and without one the page says so instead of failing.
 */
import { enteredSecret, FAKE_SETTING, pluginValue, type PluginValues } from '../../plugin-contract/settings-map.js';
import { ForwarderClient, ForwarderError } from './forwarder-client.js';

function typed(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

/** The status token, or else an admin token typed on the page: reading needs either. */
export function readClient(values: PluginValues): ForwarderClient | ForwarderError {
  const url = pluginValue(values, 'ForwarderUrl');
  const status = typed(pluginValue(values, 'StatusToken'));
  if (status !== '') return ForwarderClient.create(url, status, 'status');
  const admin = enteredSecret(pluginValue(values, 'AdminToken'));
  return admin ? ForwarderClient.create(url, admin, 'admin') : ForwarderClient.create(url, '', 'status');
}

/** The admin token as typed on the page; `purpose` completes "type it … to <purpose>". */
export function adminClient(values: PluginValues, purpose: string): ForwarderClient | ForwarderError {
  const url = pluginValue(values, 'ForwarderUrl');
  const raw = pluginValue(values, 'AdminToken');
  const admin = enteredSecret(raw);
  const client = ForwarderClient.create(url, admin ?? 'hidden', 'admin');
  // A wrong URL is said first; then the hidden token.
  if (admin !== undefined || client instanceof ForwarderError) return client;
  if (typed(raw) !== FAKE_SETTING) return ForwarderClient.create(url, '', 'admin');
  return new ForwarderError('token-hidden', `Mattermost hides the saved admin token, from this page too: type the forwarder’s admin token into “Forwarder admin token” to ${purpose}.`);
}
