/**
 * Modern audit records (Mattermost 7.x and later: event_name, status, actor, event, meta, error,
 * written by mlog with timestamp/level/msg) onto the same ECS fields as legacy lines, with the
 * event's own objects kept under mattermost.audit.event.* (mapped as flattened).
 * There is no Elastic pipeline to mirror here, so the document is built in its final shape: each
 * field only when it has a value, the parts copied from the record pruned as they are copied
 * (pruned-copy.ts), so that toEcs need not walk the whole document again.
 */
import { categorizeEvent, setCategory } from './categorize.js';
import { isObject } from './ingest-document.js';
import { readEventData, readTargets, type EventData } from './modern-targets.js';
import { DocumentParts } from './pruned-copy.js';
import { setOwn } from './prune-empty.js';
import { relatedAuditFields, relatedFields } from './related-entities.js';
import { forwardedIp, sourceFields, urlFields } from './request-fields.js';
import { parseMlogTimestamp } from './timestamps.js';
import type { GeoLookup, JsonObject } from './types.js';
import { parseUserAgent } from './user-agent.js';

/**
 * event.outcome of a status: success, fail and attempt by comparison (a lookup in an object by a
 * string that JSON.parse made costs an internalization of it first); a status that names a member
 * of Object.prototype ('constructor') leaves no outcome, as the lookup in an object always did.
 */
function outcomeOf(status: string | undefined, error: JsonObject): string | undefined {
  if (status === '') return undefined;
  if (status === 'success') return 'success';
  if (status === 'fail') return 'failure';
  if (status === 'attempt') return 'unknown';
  if (status !== undefined && status in Object.prototype) return undefined;
  return error.description ? 'failure' : 'unknown';
}
const NOTHING: JsonObject = Object.freeze({}) as JsonObject;

export function isModernRecord(record: JsonObject): boolean {
  return typeof record.event_name === 'string';
}

/**
 * Fills `doc` (which holds ecs and an empty event). True when the document is final: nothing in
 * it is empty and nothing nests too deep, so toEcs leaves pruneEmpty out. A record too deep to
 * index is mapped again with its parts as they came, and false tells toEcs to prune (and refuse) it.
 */
export function mapModernRecord(doc: JsonObject, record: JsonObject, geo: GeoLookup | undefined, maxNesting: number): boolean {
  if (mapWith(doc, record, geo, new DocumentParts(maxNesting))) return true;
  mapWith(doc, record, geo, new DocumentParts(maxNesting, true));
  return false;
}

function text(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

function hasKeys(object: JsonObject): boolean {
  for (const _key in object) return true;
  return false;
}

/** Builds the fields, then writes them into the document unless a part turned out too deep (and the parts are pruned). */
function mapWith(doc: JsonObject, record: JsonObject, geo: GeoLookup | undefined, parts: DocumentParts): boolean {
  const audit: JsonObject = {};
  const user: JsonObject = {};
  const status = typeof record.status === 'string' ? record.status : undefined;
  const error = isObject(record.error) ? record.error : NOTHING;
  const outcome = outcomeOf(status, error);
  if (status) audit.status = status;
  if (error.description !== undefined) {
    const message = parts.kept(error.description, 5);
    if (message !== undefined) audit.error = { message };
  }
  const statusCode = typeof error.status_code === 'number' && error.status_code !== 0 ? error.status_code : undefined;

  const actor = isObject(record.actor) ? record.actor : NOTHING;
  if (text(actor.user_id)) user.id = actor.user_id;
  if (text(actor.session_id)) audit.session = { id: actor.session_id };
  const userAgent = text(actor.client) ? parts.kept(parseUserAgent(actor.client), 2) : undefined;
  const source = sourceFields(actor.ip_address, geo, parts);
  const forwarded = forwardedIp(actor.x_forwarded_for);

  const meta = isObject(record.meta) ? record.meta : NOTHING;
  let url: JsonObject | undefined;
  if (text(meta.api_path)) {
    audit.api_path = meta.api_path;
    url = urlFields(meta.api_path, parts);
  }
  if (text(meta.cluster_id)) audit.cluster = { id: meta.cluster_id };
  const otherMeta = parts.kept(otherMetaKeys(meta), 4);
  if (otherMeta !== undefined) audit.meta = otherMeta;

  const data = readEventData(record.event);
  // What a login was tried with: a failed one has no actor, and this is the account it aimed at.
  // 7.x put it in meta, later versions in the event's parameters.
  const loginName = data.parameters.login_id ?? meta.login_id;
  if (text(loginName)) user.name = loginName;
  const eventObjects = eventFields(data, parts);
  if (eventObjects !== undefined) audit.event = eventObjects;
  const targets = readTargets(data);
  if (targets.user !== undefined) user.target = targets.user;
  if (targets.changedName !== undefined) user.changes = { name: targets.changedName };
  if (targets.team !== undefined) audit.team = targets.team;
  if (targets.channel !== undefined) audit.channel = targets.channel;
  if (targets.post !== undefined) audit.post = targets.post;

  const categorization = categorizeEvent(record.event_name);
  // For iam team events, Elastic's group fields: the team itself, or the team members join.
  let group: JsonObject | undefined;
  if (targets.team !== undefined && categorization.category.includes('iam') && categorization.type.includes('group')) {
    group = targets.team.name === undefined ? { id: targets.team.id } : { id: targets.team.id, name: targets.team.name };
    if (targets.user !== undefined) {
      targets.user.group = group;
      group = undefined;
    }
  }
  const hasUser = hasKeys(user);
  const related = relatedFields(hasUser ? user : undefined, source, forwarded);
  const relatedAudit = relatedAuditFields(audit);
  if (relatedAudit !== undefined) audit.related = relatedAudit;
  if (!parts.final) return false;

  if (typeof record.timestamp === 'string') {
    const timestamp = parseMlogTimestamp(record.timestamp);
    if (timestamp) doc['@timestamp'] = timestamp;
  }
  const event = doc.event as JsonObject;
  if (record.event_name !== '') event.action = record.event_name;
  if (outcome !== undefined) event.outcome = outcome;
  setCategory(event, categorization);
  if (hasKeys(audit)) doc.mattermost = { audit };
  if (statusCode !== undefined) doc.http = { response: { status_code: statusCode } };
  if (hasUser) doc.user = user;
  if (userAgent !== undefined) doc.user_agent = userAgent;
  if (source !== undefined) doc.source = source;
  if (forwarded !== undefined) doc.network = { forwarded_ip: forwarded };
  if (url !== undefined) doc.url = url;
  if (group !== undefined) doc.group = group;
  if (related !== undefined) doc.related = related;
  return !parts.raw;
}

/** mattermost.audit.event: the event's object type, parameters and states, pruned. */
function eventFields(data: EventData, parts: DocumentParts): JsonObject | undefined {
  const event: JsonObject = {};
  if (data.objectType) event.object_type = data.objectType;
  const parameters = parts.kept(data.parameters, 5);
  if (parameters !== undefined) event.parameters = parameters;
  const prior = parts.kept(data.prior, 5);
  if (prior !== undefined) event.prior_state = prior;
  const resulting = parts.kept(data.resulting, 5);
  if (resulting !== undefined) event.resulting_state = resulting;
  return hasKeys(event) ? event : undefined;
}

/** The meta keys without a field of their own, copied one by one: an object rest (`{ a, b, ...rest }`) costs far more per record. */
function otherMetaKeys(meta: JsonObject): JsonObject | undefined {
  let rest: JsonObject | undefined;
  for (const key in meta) {
    if (key === 'api_path' || key === 'cluster_id') continue;
    rest ??= {};
    setOwn(rest, key, meta[key]);
  }
  return rest;
}
