/**
 * Records of Mattermost's REST API `GET /api/v4/audits` (model.Audit: id, create_at in ms,
 * user_id, action = the API path, extra_info, ip_address, session_id). Built in their final
 * shape, as modern records are (see modern.ts): toEcs need not prune them.
 */
import { categorizeEvent, setCategory } from './categorize.js';
import { DocumentParts } from './pruned-copy.js';
import { isoFromEpochMillis } from './record-timestamps.js';
import { relatedAuditFields, relatedFields } from './related-entities.js';
import { sourceFields, urlFields } from './request-fields.js';
import { restAction } from './rest-routes.js';
import type { GeoLookup, JsonObject } from './types.js';

export function isRestAudit(record: JsonObject): boolean {
  return typeof record.action === 'string' && typeof record.create_at === 'number' && record.timestamp === undefined;
}

function outcomeOf(extraInfo: unknown): string {
  if (typeof extraInfo !== 'string') return 'unknown';
  const word = extraInfo.trimStart().slice(0, 7).toLowerCase();
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

function text(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

/** Fills `doc` (which holds ecs and an empty event); true: the document is final (see mapModernRecord). */
export function mapRestAudit(doc: JsonObject, record: JsonObject, geo: GeoLookup | undefined, maxNesting: number): boolean {
  const parts = new DocumentParts(maxNesting);
  const timestamp = isoFromEpochMillis(record.create_at as number);
  if (timestamp) doc['@timestamp'] = timestamp;
  const event = doc.event as JsonObject;
  if (text(record.id)) event.id = record.id;
  // The path (with its ids) stays in url.* and api_path; the action is the route's event name.
  const path = record.action as string;
  const { action, eventName, ids } = restAction(path);
  if (action !== '') event.action = action;
  event.outcome = outcomeOf(record.extra_info);
  setCategory(event, categorizeEvent(eventName));

  const audit: JsonObject = {};
  const user: JsonObject = {};
  let url: JsonObject | undefined;
  if (path !== '') {
    audit.api_path = path;
    url = urlFields(path, parts);
  }
  if (text(record.user_id)) user.id = record.user_id;
  const loginName = loginNameOf(record.extra_info);
  if (loginName !== undefined) user.name = loginName;
  const source = sourceFields(record.ip_address, geo, parts);
  if (text(record.session_id)) audit.session = { id: record.session_id };
  if (text(record.extra_info)) audit.extra_info = record.extra_info;
  // Whom and what the request was about: the ids of its path (`/users/{user_id}/roles`).
  if (ids.users.length > 0) user.target = { id: ids.users.length === 1 ? ids.users[0] : [...ids.users] };
  if (ids.team) audit.team = { id: ids.team };
  if (ids.channel) audit.channel = { id: ids.channel };
  if (ids.post) audit.post = { id: ids.post };
  const hasUser = user.id !== undefined || user.name !== undefined || user.target !== undefined;
  const related = relatedFields(hasUser ? user : undefined, source, undefined);
  const relatedAudit = relatedAuditFields(audit);
  if (relatedAudit !== undefined) audit.related = relatedAudit;

  if (audit.api_path !== undefined || audit.session !== undefined || audit.extra_info !== undefined || audit.team !== undefined || audit.channel !== undefined || audit.post !== undefined) {
    doc.mattermost = { audit };
  }
  if (url !== undefined) doc.url = url;
  if (hasUser) doc.user = user;
  if (source !== undefined) doc.source = source;
  if (related !== undefined) doc.related = related;
  return parts.final;
}
