/**
 * Who and what a modern audit record is about, read from its event data: the object type and
 * its prior/resulting state, and the parameters (whose key spelling varies across Mattermost's
 * handlers: user_id, userID, userId).
 */
import { appendUnique, getPath, isObject, setPath } from './ingest-document.js';
import type { JsonObject } from './types.js';

interface EventData {
  objectType: string | undefined;
  parameters: JsonObject;
  prior: JsonObject | undefined;
  resulting: JsonObject | undefined;
}

export function readEventData(event: unknown): EventData {
  const data = isObject(event) ? event : {};
  return {
    objectType: typeof data.object_type === 'string' ? data.object_type : undefined,
    parameters: isObject(data.parameters) ? data.parameters : {},
    prior: isObject(data.prior_state) ? data.prior_state : undefined,
    resulting: isObject(data.resulting_state) ? data.resulting_state : undefined,
  };
}

/** Normalized spellings of the parameter keys seen so far: handlers use a few dozen keys. */
const normalizedKeys = new Map<string, string>();
const MAX_NORMALIZED_KEYS = 10_000;

/** Parameters by normalized key: lower case, no underscores ("userID" and "user_id" → "userid"). */
function normalizedParameters(parameters: JsonObject): Map<string, unknown> {
  const map = new Map<string, unknown>();
  for (const key in parameters) {
    let normalized = normalizedKeys.get(key);
    if (normalized === undefined) {
      normalized = key.toLowerCase().replace(/_/g, '');
      if (normalizedKeys.size < MAX_NORMALIZED_KEYS) normalizedKeys.set(key, normalized);
    }
    map.set(normalized, parameters[key]);
  }
  return map;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function idOf(value: unknown): string | undefined {
  return isObject(value) ? text(value.id) : text(value);
}

/** An object with at least one key: Mattermost's audit record starts every state as `{}`. */
function nonEmpty(state: JsonObject | undefined): JsonObject | undefined {
  if (state !== undefined) for (const _key in state) return state;
  return undefined;
}

export function addTargets(doc: JsonObject, data: EventData): void {
  const params = normalizedParameters(data.parameters);
  // A deletion's only state is the prior one (resulting_state stays `{}`).
  const state = nonEmpty(data.resulting) ?? nonEmpty(data.prior);
  const type = data.objectType?.toLowerCase();

  addUserTarget(doc, type === 'user' || type === 'bot' ? state : undefined, data, params);
  const team = type === 'team' ? state : undefined;
  setEntity(doc, 'mattermost.audit.team', team, idOf(params.get('teamid')) ?? idOf(params.get('team')) ?? text(state?.team_id));
  const channel = type === 'channel' ? state : undefined;
  setEntity(doc, 'mattermost.audit.channel', channel, idOf(params.get('channelid')) ?? idOf(params.get('channel')) ?? text(state?.channel_id));
  if (type === 'post' && state) {
    const post: JsonObject = { id: text(state.id), channel: { id: text(state.channel_id) } };
    if (typeof state.is_pinned === 'boolean') post.pinned = state.is_pinned;
    setPath(doc, 'mattermost.audit.post', post);
  } else {
    const postId = idOf(params.get('postid')) ?? idOf(params.get('post'));
    if (postId) setPath(doc, 'mattermost.audit.post.id', postId);
  }
}

function setEntity(doc: JsonObject, path: string, state: JsonObject | undefined, fallbackId: string | undefined): void {
  const id = text(state?.id) ?? fallbackId;
  if (!id) return;
  setPath(doc, path, { id, name: text(state?.name), type: text(state?.type) });
}

/** The ids in a value: an id, an object's id, or arrays of them, which may nest as deep as a record may (walked with a stack, in order). */
function addIds(ids: Set<string>, value: unknown): void {
  if (!Array.isArray(value)) {
    const id = idOf(value);
    if (id) ids.add(id);
    return;
  }
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (Array.isArray(next)) {
      for (let i = next.length - 1; i >= 0; i--) pending.push(next[i]);
    } else {
      const id = idOf(next);
      if (id) ids.add(id);
    }
  }
}

const USER_PARAMETERS = ['userid', 'user', 'userids', 'users', 'targetuserid', 'removeuserid', 'member', 'botuserid'];

function addUserTarget(doc: JsonObject, user: JsonObject | undefined, data: EventData, params: Map<string, unknown>): void {
  const ids = new Set<string>();
  addIds(ids, user?.id);
  for (const key of USER_PARAMETERS) {
    const value = params.get(key);
    addIds(ids, key === 'member' && isObject(value) ? value.user_id : value);
  }
  if (ids.size === 0) return;
  setPath(doc, 'user.target.id', ids.size === 1 ? [...ids][0] : [...ids]);
  if (user) {
    setPath(doc, 'user.target.name', text(user.username));
    setPath(doc, 'user.target.email', text(user.email));
    if (typeof user.roles === 'string') setPath(doc, 'user.target.roles', user.roles.split(/\s+/).filter(Boolean));
    const before = text(data.prior?.username);
    const after = text(data.resulting?.username);
    if (before && after && before !== after) setPath(doc, 'user.changes.name', after);
  }
}

/** For iam team events, Elastic's group fields: the team itself, or the team members join. */
export function addGroupFields(doc: JsonObject, types: readonly string[]): void {
  if (!types.includes('group')) return;
  const team = getPath(doc, 'mattermost.audit.team');
  if (!isObject(team)) return;
  const group = { id: team.id, name: team.name };
  if (getPath(doc, 'user.target.id') !== undefined) setPath(doc, 'user.target.group', group);
  else setPath(doc, 'group', group);
}

/** Pushes the value when it is a string (a non-empty one unless `empty`). */
function pushString(list: string[], value: unknown, empty = false): void {
  if (typeof value === 'string' && (empty || value !== '')) list.push(value);
}

export function addRelatedEntities(doc: JsonObject): void {
  const users: string[] = [];
  pushString(users, getPath(doc, 'user.id'));
  pushString(users, getPath(doc, 'user.name'));
  pushString(users, getPath(doc, 'user.changes.name'));
  pushString(users, getPath(doc, 'user.target.name'));
  const targetIds = getPath(doc, 'user.target.id');
  if (Array.isArray(targetIds)) for (const id of targetIds) pushString(users, id);
  else pushString(users, targetIds);
  appendUnique(doc, 'related.user', users);
  const ips: string[] = [];
  pushString(ips, getPath(doc, 'source.ip'), true);
  pushString(ips, getPath(doc, 'network.forwarded_ip'), true);
  appendUnique(doc, 'related.ip', ips);
  const channels: string[] = [];
  pushString(channels, getPath(doc, 'mattermost.audit.post.channel.id'));
  pushString(channels, getPath(doc, 'mattermost.audit.channel.id'));
  appendUnique(doc, 'mattermost.audit.related.channel', channels);
  const team = getPath(doc, 'mattermost.audit.team.id');
  if (typeof team === 'string' && team !== '') appendUnique(doc, 'mattermost.audit.related.team', [team]);
}
