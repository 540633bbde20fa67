/**
 * The legacy pipeline (legacy.ts) for the usual line (legacy-usual-line.ts says which), in one
 * pass: the line's keys read once, each object made where Elastic's pipeline first makes it (so the
 * document's keys come in the same order), no generic path walks, no `json` left behind for
 * pruneEmpty to clean, and pruneEmpty itself only when a value it removes was written ("" or null,
 * an empty object). In a usual line no step of the pipeline can fail and none needs the line's
 * number literals. Any other line is the step list's, the reference: the caller falls back to it
 * when this returns undefined. test/legacy-fast-path.test.ts holds the two to the same documents,
 * key order included.
 */
import { categorizeLegacy, setCategory } from './categorize.js';
import { textHoldsOtherThan } from './elastic-json.js';
import { javaSplit } from './ingest-document.js';
import { isInetAddress } from './inet-address.js';
import { readUsualLine, repeatsNoKey, UsualLine } from './legacy-usual-line.js';
import { pruneEmpty } from './prune-empty.js';
import { parseLegacyTimestamp } from './timestamps.js';
import type { EcsDocument, GeoLookup, JsonObject } from './types.js';
import { urlParts } from './url-parts.js';
import { parseUserAgent } from './user-agent.js';

/**
 * The document nests 5 levels at most (mattermost.audit.post.channel); below this MAX_RECORD_DEPTH
 * the step list decides, depth errors included.
 */
const FAST_PATH_MIN_DEPTH = 8;

const line = new UsualLine();

/**
 * The finished document (before the envelope) of a usual line, built on `doc` (toEcs's fresh
 * `{ecs, event: {}}`); undefined, with `doc` untouched, for any other line. `text`: the line as
 * parsed; `original`: event.original when kept.
 */
export function usualLegacyDocument(
  doc: EcsDocument, record: JsonObject, text: string, geo: GeoLookup | undefined, maxDepth: number, original: string | undefined,
): EcsDocument | undefined {
  if (maxDepth < FAST_PATH_MIN_DEPTH || !readUsualLine(record, line)) return undefined;
  const timestamp = line.timestamp === undefined ? undefined : parseLegacyTimestamp(line.timestamp);
  // A repeated key: JSON.parse kept the last, Elastic refuses the line; the step list says so. Counting
  // the text's keys is for the lines whose length cannot tell (escapes, spaces, numbers).
  if (timestamp === undefined || (!repeatsNoKey(text, line) && textHoldsOtherThan(text, line.keys))) return undefined;
  const wroteEmpty = buildDocument(doc, line, timestamp, geo, original);
  return wroteEmpty ? pruneEmpty(doc, maxDepth) : doc;
}

const BRACKETS = /[[\]]/g;
const ERROR_SEPARATOR = /,\s+/;
const WHITESPACE = /\s+/;

/** The pipeline's processors in their order, as legacy.ts runs them; true when pruneEmpty must run. */
function buildDocument(doc: EcsDocument, from: UsualLine, timestamp: string, geo: GeoLookup | undefined, original: string | undefined): boolean {
  let empty = from.empty;
  const event = doc.event as JsonObject;
  const action = from.event;
  if (action !== undefined) event.action = action;
  const errors = from.errors === undefined || from.errors === '[]' ? undefined : javaSplit(from.errors.replace(BRACKETS, ''), ERROR_SEPARATOR);
  if (errors !== undefined && errors.includes('')) empty = true;
  event.outcome = from.status === 'fail' || errors !== undefined ? 'failure' : from.status === 'success' ? 'success' : 'unknown';
  const categorization = categorizeLegacy(action);
  setCategory(event, categorization);
  doc['@timestamp'] = timestamp;
  if (from.err !== undefined) doc.error = { code: from.err };
  let audit: JsonObject | undefined;
  if (errors !== undefined) (audit = newAudit(doc)).error = { message: errors };

  // user.id ← user_id, or login_id when there is no user_id at all ("" counts as one).
  const userId = from.userId ?? from.loginId;
  if (userId !== undefined) doc.user = { id: userId };
  let sourceIp: string | undefined;
  if (from.ipAddress !== undefined) {
    sourceIp = isInetAddress(from.ipAddress) ? from.ipAddress : undefined;
    empty = addSource(doc, from.ipAddress, sourceIp, geo) || empty;
  }
  if (from.client !== undefined) {
    const userAgent = parseUserAgent(from.client);
    doc.user_agent = userAgent;
    if (containsEmpty(userAgent)) empty = true;
  }
  if (from.apiPath !== undefined) {
    (audit ??= newAudit(doc)).api_path = from.apiPath;
    const url = urlParts(from.apiPath);
    if (url !== undefined) {
      doc.url = url;
      if (containsEmpty(url)) empty = true;
    }
  }
  if (from.sessionId !== undefined) (audit ??= newAudit(doc)).session = { id: from.sessionId };
  if (from.deviceId !== undefined) (audit ??= newAudit(doc)).device = { id: from.deviceId };
  if (from.clusterId !== undefined) (audit ??= newAudit(doc)).cluster = { id: from.clusterId };

  const targetId = from.user?.id as string | undefined;
  const targetName = from.user?.name as string | undefined;
  const targetRoles = from.user?.roles as string | undefined;
  if (targetId !== undefined || targetName !== undefined || targetRoles !== undefined) {
    const target: JsonObject = {};
    if (targetId !== undefined) target.id = targetId;
    if (targetName !== undefined) target.name = targetName;
    if (targetRoles !== undefined) {
      const roles = javaSplit(targetRoles, WHITESPACE);
      if (roles.includes('')) empty = true;
      target.roles = roles;
    }
    userOf(doc).target = target;
  }
  if (from.team !== undefined) (audit ??= newAudit(doc)).team = from.team;
  if (from.code !== undefined) doc.http = { response: { status_code: from.code } };
  const postChannel = from.post?.channel_id as string | undefined;
  if (from.post !== undefined) (audit ??= newAudit(doc)).post = postChannel === undefined ? from.post : withChannel(from.post, postChannel);
  if (from.patch !== undefined) (audit ??= newAudit(doc)).patch = from.patch;
  if (from.channel !== undefined) (audit ??= newAudit(doc)).channel = from.channel;

  let changedName: string | undefined;
  if (categorization.category.includes('iam')) {
    if (action === 'patchUser') {
      changedName = changedUserName(from);
      if (changedName !== undefined) userOf(doc).changes = { name: changedName };
    } else addTeamFields(doc, action!, from.team);
  }
  addRelated(doc, audit, [changedName, userId, targetId], sourceIp, [postChannel, from.channel?.id as string | undefined], from.team?.id as string | undefined);
  if (original !== undefined) event.original = original;
  return empty;
}

/** source.address, and source.ip with its GeoIP fields for an address; true when one of those holds an empty value. */
function addSource(doc: EcsDocument, address: string, ip: string | undefined, geo: GeoLookup | undefined): boolean {
  if (ip === undefined) {
    doc.source = { address };
    return false;
  }
  const source: JsonObject = { address, ip };
  doc.source = source;
  const found = geo?.(ip);
  let empty = false;
  if (found?.geo) {
    source.geo = found.geo;
    empty = containsEmpty(found.geo);
  }
  if (found?.as) {
    source.as = found.as;
    empty = containsEmpty(found.as) || empty;
  }
  return empty;
}

/** The post with its channel_id moved to channel.id, where the rename leaves it. */
function withChannel(post: JsonObject, channelId: string): JsonObject {
  const moved: JsonObject = {};
  for (const key in post) if (key !== 'channel_id') moved[key] = post[key];
  moved.channel = { id: channelId };
  return moved;
}

const TEAM_ACTIONS = new Set(['createTeam', 'patchTeam', 'deleteTeam']);
const MEMBER_ACTIONS = new Set(['addTeamMembers', 'removeTeamMember']);

/*
 * Elastic's "Add ECS User fields" script, for iam actions. It also makes group, user, user.target,
 * user.changes and user.target.group where they are missing; those it leaves empty are pruned, so
 * only those it fills are made here, where the script makes them.
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
function addTeamFields(doc: EcsDocument, action: string, team: JsonObject | undefined): void {
  const isTeamAction = TEAM_ACTIONS.has(action);
  if (team === undefined || (!isTeamAction && !MEMBER_ACTIONS.has(action))) return;
  const group: JsonObject = {};
  if (team.name !== undefined) group.name = team.name;
  if (team.id !== undefined) group.id = team.id;
  if (group.name === undefined && group.id === undefined) return;
  if (isTeamAction) doc.group = group;
  else {
    const user = userOf(doc);
    const target = (user.target as JsonObject | undefined) ?? (user.target = {});
    target.group = group;
  }
}

/** related.user, related.ip, mattermost.audit.related.channel and .team: each value once, in the pipeline's order. */
function addRelated(
  doc: EcsDocument, audit: JsonObject | undefined, users: ReadonlyArray<string | undefined>, ip: string | undefined,
  channels: ReadonlyArray<string | undefined>, team: string | undefined,
): void {
  const user = uniqueStrings(users);
  if (user !== undefined) doc.related = ip === undefined ? { user } : { user, ip: [ip] };
  else if (ip !== undefined) doc.related = { ip: [ip] };
  const channel = uniqueStrings(channels);
  if (channel === undefined && team === undefined) return;
  // A channel or team id comes from an object under mattermost.audit: `audit` is there.
  const related: JsonObject = {};
  if (channel !== undefined) related.channel = channel;
  if (team !== undefined) related.team = [team];
  audit!.related = related;
}

function uniqueStrings(values: ReadonlyArray<string | undefined>): string[] | undefined {
  let list: string[] | undefined;
  for (const value of values) {
    if (typeof value !== 'string') continue;
    if (list === undefined) list = [value];
    else if (!list.includes(value)) list.push(value);
  }
  return list;
}

/** mattermost.audit, made where the pipeline first writes under it. */
function newAudit(doc: EcsDocument): JsonObject {
  const audit: JsonObject = {};
  doc.mattermost = { audit };
  return audit;
}

function userOf(doc: EcsDocument): JsonObject {
  return (doc.user as JsonObject | undefined) ?? (doc.user = {});
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
