/**
 * Records of Mattermost's REST API `GET /api/v4/audits` (model.Audit: id, create_at in ms,
 * user_id, action = the API path, extra_info, ip_address, session_id).
 */
import { categorizeEvent, setCategory } from './categorize.js';
import { setPath } from './ingest-document.js';
import { mapApiPath, mapSourceAddress } from './modern.js';
import { addRelatedEntities } from './modern-targets.js';
import { restAction } from './rest-routes.js';
import { fromEpochMillis } from './timestamps.js';
import type { GeoLookup, JsonObject } from './types.js';

export function isRestAudit(record: JsonObject): boolean {
  return typeof record.action === 'string' && typeof record.create_at === 'number' && record.timestamp === undefined;
}

function outcomeOf(extraInfo: unknown): string {
  if (typeof extraInfo !== 'string') return 'unknown';
  const word = extraInfo.trimStart().toLowerCase();
  if (word.startsWith('success')) return 'success';
  if (word.startsWith('fail')) return 'failure';
  return 'unknown';
}

/** The login handler's `attempt - login_id=<name>` and `failure - login_id=<name>`. */
const LOGIN_ID = /(?:^|\s)login_id=(.*)$/;

function loginNameOf(extraInfo: unknown): string | undefined {
  if (typeof extraInfo !== 'string' || !extraInfo.includes('login_id=')) return undefined;
  const name = LOGIN_ID.exec(extraInfo)?.[1]?.trim();
  return name === '' ? undefined : name;
}

/** Fills `doc`; false: toEcs prunes it (pruneEmpty) as the last step. */
export function mapRestAudit(doc: JsonObject, record: JsonObject, geo: GeoLookup | undefined, _maxNesting?: number): boolean {
  const timestamp = fromEpochMillis(record.create_at as number);
  if (timestamp) doc['@timestamp'] = timestamp;
  const event = doc.event as JsonObject;
  if (typeof record.id === 'string') event.id = record.id;
  // The path (with its ids) stays in url.* and api_path; the action is the route's event name.
  const path = record.action as string;
  const { action, eventName, ids } = restAction(path);
  event.action = action;
  event.outcome = outcomeOf(record.extra_info);
  mapApiPath(doc, path);
  if (typeof record.user_id === 'string') setPath(doc, 'user.id', record.user_id);
  const loginName = loginNameOf(record.extra_info);
  if (loginName !== undefined) setPath(doc, 'user.name', loginName);
  mapSourceAddress(doc, record.ip_address, geo);
  if (typeof record.session_id === 'string') setPath(doc, 'mattermost.audit.session.id', record.session_id);
  if (typeof record.extra_info === 'string') setPath(doc, 'mattermost.audit.extra_info', record.extra_info);
  // Whom and what the request was about: the ids of its path (`/users/{user_id}/roles`).
  if (ids.users.length > 0) setPath(doc, 'user.target.id', ids.users.length === 1 ? ids.users[0] : [...ids.users]);
  if (ids.team) setPath(doc, 'mattermost.audit.team.id', ids.team);
  if (ids.channel) setPath(doc, 'mattermost.audit.channel.id', ids.channel);
  if (ids.post) setPath(doc, 'mattermost.audit.post.id', ids.post);
  setCategory(event, categorizeEvent(eventName));
  addRelatedEntities(doc);
  return false;
}
