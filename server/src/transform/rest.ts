/**
 * Records of Mattermost's REST API `GET /api/v4/audits` (model.Audit: id, create_at in ms,
 * user_id, action = the API path, extra_info, ip_address, session_id).
 */
import { categorizeEvent, categoryFields } from './categorize.js';
import { setPath } from './ingest-document.js';
import { mapApiPath, mapSourceAddress } from './modern.js';
import { addRelatedEntities } from './modern-targets.js';
import { fromEpochMillis } from './timestamps.js';
import type { GeoLookup, JsonObject } from './types.js';

export function isRestAudit(record: JsonObject): boolean {
  return typeof record.action === 'string' && typeof record.create_at === 'number' && record.timestamp === undefined;
}

// The API paths whose audit action is unambiguous without the HTTP method, by catalog name.
const ROUTE_ACTIONS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\/users\/login(\/|$)/, 'login'],
  [/\/users\/logout$/, 'Logout'],
  [/\/users\/[^/]+\/password$/, 'updatePassword'],
  [/\/users\/[^/]+\/patch$/, 'patchUser'],
  [/\/users\/[^/]+\/active$/, 'updateUserActive'],
  [/\/users\/[^/]+\/sessions\/revoke\/all$/, 'revokeAllSessionsForUser'],
  [/\/users\/[^/]+\/preferences$/, 'updatePreferences'],
  [/\/channels\/[^/]+\/patch$/, 'patchChannel'],
  [/\/channels\/[^/]+\/convert$/, 'convertChannelToPrivate'],
  [/\/channels\/[^/]+\/restore$/, 'restoreChannel'],
  [/\/teams\/[^/]+\/patch$/, 'patchTeam'],
  [/\/teams\/[^/]+\/members\/batch$/, 'addTeamMembers'],
];

export function restRouteAction(path: string): string | undefined {
  const pathOnly = path.split('?')[0] ?? path;
  for (const [pattern, action] of ROUTE_ACTIONS) if (pattern.test(pathOnly)) return action;
  return undefined;
}

function outcomeOf(extraInfo: unknown): string {
  if (typeof extraInfo !== 'string') return 'unknown';
  const word = extraInfo.trimStart().toLowerCase();
  if (word.startsWith('success')) return 'success';
  if (word.startsWith('fail')) return 'failure';
  return 'unknown';
}

export function mapRestAudit(doc: JsonObject, record: JsonObject, geo: GeoLookup | undefined): void {
  const timestamp = fromEpochMillis(record.create_at as number);
  if (timestamp) doc['@timestamp'] = timestamp;
  const event = doc.event as JsonObject;
  if (typeof record.id === 'string') event.id = record.id;
  const action = record.action as string;
  event.action = action;
  event.outcome = outcomeOf(record.extra_info);
  mapApiPath(doc, action);
  if (typeof record.user_id === 'string') setPath(doc, 'user.id', record.user_id);
  mapSourceAddress(doc, record.ip_address, geo);
  if (typeof record.session_id === 'string') setPath(doc, 'mattermost.audit.session.id', record.session_id);
  if (typeof record.extra_info === 'string') setPath(doc, 'mattermost.audit.extra_info', record.extra_info);
  Object.assign(event, categoryFields(categorizeEvent(restRouteAction(action))));
  addRelatedEntities(doc);
}
