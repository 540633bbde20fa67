/**
 * What Elastic's pipeline (legacy.ts) makes of the usual line (legacy-usual-line.ts says which),
 * value by value, before any of it is put into a document: the one mapping that both ways of
 * writing the document read, as an object (legacy-fast-path.ts) and as JSON text
 * (legacy-fast-json.ts). Where each value goes, and in what order, is theirs.
 */
import type { Categorization } from './audit-event-catalog.js';
import { categorizeLegacy } from './categorize.js';
import { textHoldsOtherThan } from './elastic-json.js';
import { javaSplit } from './ingest-document.js';
import { isInetAddress } from './inet-address.js';
import { readUsualLine, repeatsNoKey, UsualLine } from './legacy-usual-line.js';
import { parseLegacyTimestamp } from './timestamps.js';
import type { GeoLookup, GeoResult, JsonObject } from './types.js';
import { urlParts } from './url-parts.js';
import { parseUserAgent } from './user-agent.js';

/**
 * The document nests 5 levels at most (mattermost.audit.post.channel); below this MAX_RECORD_DEPTH
 * the step list decides, depth errors included.
 */
const FAST_PATH_MIN_DEPTH = 8;

/** One line's values (usualValuesOf). */
export class UsualValues {
  readonly line = new UsualLine();
  timestamp = '';
  outcome = '';
  categorization!: Categorization;
  /** mattermost.audit.error.message */
  errors: string[] | undefined;
  /** user.id: user_id, or login_id when there is no user_id at all ("" counts as one). */
  userId: string | undefined;
  /** source.ip: the address when it is one. */
  sourceIp: string | undefined;
  sourceGeo: GeoResult | undefined;
  userAgent: JsonObject | undefined;
  url: JsonObject | undefined;
  targetRoles: string[] | undefined;
  /** user.target: the line's user object has an id, a name or roles. */
  hasTarget = false;
  /** The post, its channel_id moved to channel.id. */
  post: JsonObject | undefined;
  /** user.changes.name (patchUser). */
  changedName: string | undefined;
  /** group.* or, for team members, user.target.group.* */
  group: JsonObject | undefined;
  groupOnTarget = false;
  relatedUsers: string[] | undefined;
  relatedChannels: string[] | undefined;
  /** A value pruneEmpty removes ("" or null, an empty object) is among them. */
  empty = false;
}

const BRACKETS = /[[\]]/g;
const ERROR_SEPARATOR = /,\s+/;
const WHITESPACE = /\s+/;
const TEAM_ACTIONS = new Set(['createTeam', 'patchTeam', 'deleteTeam']);
const MEMBER_ACTIONS = new Set(['addTeamMembers', 'removeTeamMember']);

const values = new UsualValues();

/**
 * The values of a usual line; undefined for any other line (the step list's, the reference).
 * `text`: the line as parsed. One instance, filled anew by the next call (the transform is synchronous).
 */
export function usualValuesOf(record: JsonObject, text: string, geo: GeoLookup | undefined, maxDepth: number): UsualValues | undefined {
  return readUsualValues(values, record, text, geo, maxDepth) ? values : undefined;
}

function readUsualValues(into: UsualValues, record: JsonObject, text: string, geo: GeoLookup | undefined, maxDepth: number): boolean {
  const from = into.line;
  if (maxDepth < FAST_PATH_MIN_DEPTH || !readUsualLine(record, from)) return false;
  const timestamp = from.timestamp === undefined ? undefined : parseLegacyTimestamp(from.timestamp);
  // A repeated key: JSON.parse kept the last, Elastic refuses the line; the step list says so. Counting
  // the text's keys is for the lines whose length cannot tell (escapes, spaces, numbers).
  if (timestamp === undefined || (!repeatsNoKey(text, from) && textHoldsOtherThan(text, from.keys))) return false;
  into.timestamp = timestamp;
  let empty = from.empty;
  const errors = from.errors === undefined || from.errors === '[]' ? undefined : javaSplit(from.errors.replace(BRACKETS, ''), ERROR_SEPARATOR);
  if (errors !== undefined && errors.includes('')) empty = true;
  into.errors = errors;
  into.outcome = from.status === 'fail' || errors !== undefined ? 'failure' : from.status === 'success' ? 'success' : 'unknown';
  into.categorization = categorizeLegacy(from.event);
  const userId = into.userId = from.userId ?? from.loginId;

  into.sourceIp = into.sourceGeo = undefined;
  if (from.ipAddress !== undefined && isInetAddress(from.ipAddress)) {
    into.sourceIp = from.ipAddress;
    const found = geo?.(from.ipAddress);
    into.sourceGeo = found;
    if (found?.geo && containsEmpty(found.geo)) empty = true;
    if (found?.as && containsEmpty(found.as)) empty = true;
  }
  into.userAgent = from.client === undefined ? undefined : parseUserAgent(from.client);
  if (into.userAgent !== undefined && containsEmpty(into.userAgent)) empty = true;
  into.url = from.apiPath === undefined ? undefined : urlParts(from.apiPath);
  if (into.url !== undefined && containsEmpty(into.url)) empty = true;

  const targetRoles = from.user?.roles as string | undefined;
  into.targetRoles = targetRoles === undefined ? undefined : javaSplit(targetRoles, WHITESPACE);
  if (into.targetRoles !== undefined && into.targetRoles.includes('')) empty = true;
  into.hasTarget = from.user?.id !== undefined || from.user?.name !== undefined || targetRoles !== undefined;
  const postChannel = from.post?.channel_id as string | undefined;
  into.post = from.post === undefined || postChannel === undefined ? from.post : withChannel(from.post, postChannel);

  into.changedName = into.group = undefined;
  into.groupOnTarget = false;
  if (into.categorization.category.includes('iam')) {
    if (from.event === 'patchUser') into.changedName = changedUserName(from);
    else readTeamFields(into, from.event!, from.team);
  }
  into.relatedUsers = uniqueStrings(into.changedName, userId, from.user?.id as string | undefined);
  into.relatedChannels = uniqueStrings(postChannel, from.channel?.id as string | undefined);
  into.empty = empty;
  return true;
}

/** The post with its channel_id moved to channel.id, where the rename leaves it. */
function withChannel(post: JsonObject, channelId: string): JsonObject {
  const moved: JsonObject = {};
  for (const key in post) if (key !== 'channel_id') moved[key] = post[key];
  moved.channel = { id: channelId };
  return moved;
}

/*
 * Elastic's "Add ECS User fields" script, for iam actions. It also makes group, user, user.target,
 * user.changes and user.target.group where they are missing; those it leaves empty are pruned, so
 * only those it fills are written.
 */

/**
 * patchUser: user.changes.name ← the patch's name unless user.target.name is that; undefined when
 * not set, or set to null (no patch, or one without a name: pruned with user.changes).
 */
function changedUserName(from: UsualLine): string | undefined {
  const patchedName = from.patch?.name as string | undefined;
  return patchedName === undefined || from.user?.name === patchedName ? undefined : patchedName;
}

/** group.* or user.target.group.* ← the team's name and id, those it has (a null is pruned, with the object if both are). */
function readTeamFields(into: UsualValues, action: string, team: JsonObject | undefined): void {
  const isTeamAction = TEAM_ACTIONS.has(action);
  if (team === undefined || (!isTeamAction && !MEMBER_ACTIONS.has(action))) return;
  const group: JsonObject = {};
  if (team.name !== undefined) group.name = team.name;
  if (team.id !== undefined) group.id = team.id;
  if (group.name === undefined && group.id === undefined) return;
  into.group = group;
  into.groupOnTarget = !isTeamAction;
}

/** Each string once, in order (related.user, mattermost.audit.related.channel). */
function uniqueStrings(...values: Array<string | undefined>): string[] | undefined {
  let list: string[] | undefined;
  for (const value of values) {
    if (typeof value !== 'string') continue;
    if (list === undefined) list = [value];
    else if (!list.includes(value)) list.push(value);
  }
  return list;
}

/** Whether pruneEmpty would change the object: null, "", an empty object or list in it, or none of its own. */
function containsEmpty(object: JsonObject): boolean {
  let keys = 0;
  for (const key in object) {
    keys++;
    const value = object[key];
    if (value === null || value === '' || value === undefined || Array.isArray(value)) return true;
    if (typeof value === 'object' && containsEmpty(value as JsonObject)) return true;
  }
  return keys === 0;
}
