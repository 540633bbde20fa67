/**
 * The forwarder's own audit records (input "forwarder"): a change of its runtime settings, as
 * RuntimeConfigStore recorded it, becomes an ECS configuration-change event in the same data
 * stream as Mattermost's records, so that a switched-off input or a redirected sink shows in
 * Kibana like any other audit event. Only records the forwarder itself queued are read this way:
 * the same JSON posted to the webhook stays a Mattermost record.
 */
import { isIP } from 'node:net';
import type { JsonObject, RecordSource } from './types.js';

export const FORWARDER_PROVIDER = 'mattermost-audit-elastic';
export const CONFIG_CHANGED_ACTION = 'forwarderConfigChanged';

const TOKEN_WORDS: Record<string, string> = {
  admin: 'the admin token', status: 'the status token', local: 'a local client without a token', mattermost: 'the plugin settings saved in Mattermost',
};

export function isForwarderEvent(record: JsonObject, source: RecordSource | undefined): boolean {
  return source?.input === 'forwarder' && record.forwarder_event === CONFIG_CHANGED_ACTION && Array.isArray(record.changes);
}

interface Change { setting: string; old?: unknown; new?: unknown }

function changesOf(record: JsonObject): Change[] {
  return (record.changes as unknown[])
    .filter((c): c is JsonObject => typeof c === 'object' && c !== null && typeof (c as JsonObject).setting === 'string')
    .map((c) => {
      const change: Change = { setting: c.setting as string };
      // Absent, not null: "unset" is the absence of a value, for the flattened field too.
      if (c.old !== null && c.old !== undefined) change.old = c.old;
      if (c.new !== null && c.new !== undefined) change.new = c.new;
      return change;
    });
}

function describe(change: Change): string {
  const shown = (value: unknown) => (value === undefined ? 'unset' : String(value));
  return change.old === 'changed' && change.new === 'changed' ? `${change.setting} changed` : `${change.setting} ${shown(change.old)} → ${shown(change.new)}`;
}

export function mapForwarderEvent(doc: JsonObject, record: JsonObject): void {
  const actor = (typeof record.actor === 'object' && record.actor !== null ? record.actor : {}) as JsonObject;
  const token = typeof actor.token === 'string' ? actor.token : 'unknown';
  const address = typeof actor.address === 'string' ? actor.address : undefined;
  const changes = changesOf(record);
  if (typeof record.at === 'string') doc['@timestamp'] = record.at;
  Object.assign(doc.event as JsonObject, {
    kind: 'event', category: ['configuration'], type: ['change'], action: CONFIG_CHANGED_ACTION, provider: FORWARDER_PROVIDER, outcome: 'success',
  });
  const from = address ? ` from ${address}` : '';
  doc.message = `Forwarder settings changed by ${TOKEN_WORDS[token] ?? token}${from}: ${changes.map(describe).join('; ')}`;
  if (address && isIP(address)) {
    doc.client = { ip: address };
    doc.related = { ip: [address] };
  }
  if (typeof record.host === 'string') doc.host = { name: record.host };
  doc.service = { name: FORWARDER_PROVIDER, ...(typeof record.service_version === 'string' ? { version: record.service_version } : {}) };
  doc.mattermost = {
    audit: {
      forwarder: {
        config_version: typeof record.version === 'number' ? record.version : undefined,
        settings_changed: changes.map((c) => c.setting),
        changes,
        actor: { token, address },
      },
    },
  };
}
