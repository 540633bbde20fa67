/**
 * Modern audit records (Mattermost 7.x and later: event_name, status, actor, event, meta, error,
 * written by mlog with timestamp/level/msg) onto the same ECS fields as legacy lines, with the
 * event's own objects kept under mattermost.audit.event.* (mapped as flattened).
 */
import { isIP } from 'node:net';
import { categorizeEvent, setCategory } from './categorize.js';
import { isObject, setPath } from './ingest-document.js';
import { addGroupFields, addRelatedEntities, addTargets, readEventData } from './modern-targets.js';
import { parseMlogTimestamp } from './timestamps.js';
import type { GeoLookup, JsonObject } from './types.js';
import { urlParts } from './url-parts.js';
import { parseUserAgent } from './user-agent.js';

const OUTCOMES: Record<string, string> = { success: 'success', fail: 'failure', attempt: 'unknown' };

export function isModernRecord(record: JsonObject): boolean {
  return typeof record.event_name === 'string';
}

/** Fills `doc`; false: toEcs prunes it (pruneEmpty) as the last step. */
export function mapModernRecord(doc: JsonObject, record: JsonObject, geo: GeoLookup | undefined, _maxNesting?: number): boolean {
  if (typeof record.timestamp === 'string') {
    const timestamp = parseMlogTimestamp(record.timestamp);
    if (timestamp) doc['@timestamp'] = timestamp;
  }
  const event = doc.event as JsonObject;
  event.action = record.event_name;
  const status = typeof record.status === 'string' ? record.status : undefined;
  const error = isObject(record.error) ? record.error : {};
  event.outcome = (status && OUTCOMES[status]) ?? (error.description ? 'failure' : 'unknown');
  setPath(doc, 'mattermost.audit.status', status);
  if (error.description !== undefined) setPath(doc, 'mattermost.audit.error.message', error.description);
  if (typeof error.status_code === 'number' && error.status_code !== 0) {
    setPath(doc, 'http.response.status_code', error.status_code);
  }

  mapActor(doc, isObject(record.actor) ? record.actor : {}, geo);
  const meta = isObject(record.meta) ? record.meta : {};
  mapMeta(doc, meta);

  const data = readEventData(record.event);
  // What a login was tried with: a failed one has no actor, and this is the account it aimed at.
  // 7.x put it in meta, later versions in the event's parameters.
  const loginName = data.parameters.login_id ?? meta.login_id;
  if (typeof loginName === 'string' && loginName !== '') setPath(doc, 'user.name', loginName);
  setPath(doc, 'mattermost.audit.event', {
    object_type: data.objectType,
    parameters: data.parameters,
    prior_state: data.prior,
    resulting_state: data.resulting,
  });
  addTargets(doc, data);

  const categorization = categorizeEvent(record.event_name);
  setCategory(event, categorization);
  if (categorization.category.includes('iam')) addGroupFields(doc, categorization.type);
  addRelatedEntities(doc);
  return false;
}

export function mapActor(doc: JsonObject, actor: JsonObject, geo: GeoLookup | undefined): void {
  if (typeof actor.user_id === 'string') setPath(doc, 'user.id', actor.user_id);
  if (typeof actor.session_id === 'string') setPath(doc, 'mattermost.audit.session.id', actor.session_id);
  if (typeof actor.client === 'string' && actor.client !== '') doc.user_agent = parseUserAgent(actor.client);
  mapSourceAddress(doc, actor.ip_address, geo);
  if (typeof actor.x_forwarded_for === 'string') {
    const first = actor.x_forwarded_for.split(',')[0]?.trim() ?? '';
    if (isIP(first) !== 0) setPath(doc, 'network.forwarded_ip', first);
  }
}

export function mapSourceAddress(doc: JsonObject, address: unknown, geo: GeoLookup | undefined): void {
  if (typeof address !== 'string' || address === '') return;
  setPath(doc, 'source.address', address);
  if (isIP(address) === 0) return;
  setPath(doc, 'source.ip', address);
  const found = geo?.(address);
  if (found?.geo) setPath(doc, 'source.geo', found.geo);
  if (found?.as) setPath(doc, 'source.as', found.as);
}

export function mapApiPath(doc: JsonObject, apiPath: unknown): void {
  if (typeof apiPath !== 'string' || apiPath === '') return;
  setPath(doc, 'mattermost.audit.api_path', apiPath);
  const url = urlParts(apiPath);
  if (url) doc.url = url;
}

function mapMeta(doc: JsonObject, meta: JsonObject): void {
  mapApiPath(doc, meta.api_path);
  if (typeof meta.cluster_id === 'string') setPath(doc, 'mattermost.audit.cluster.id', meta.cluster_id);
  // The other keys, copied one by one: an object rest (`{ a, b, ...rest }`) costs far more per record.
  let rest: JsonObject | undefined;
  for (const key in meta) {
    if (key === 'api_path' || key === 'cluster_id') continue;
    rest ??= {};
    // A `__proto__` key of the record stays a key, as the object rest kept it.
    if (key === '__proto__') Object.defineProperty(rest, key, { value: meta[key], enumerable: true, writable: true, configurable: true });
    else rest[key] = meta[key];
  }
  if (rest) setPath(doc, 'mattermost.audit.meta', rest);
}
