/**
 * Who and what a modern audit record is about, read from its event data: the object type and
 * its prior/resulting state, and the parameters (whose key spelling varies across Mattermost's
 * handlers: user_id, userID, userId). Each part comes back in its final shape, without empty values.
 */
import { isObject } from './ingest-document.js';
import type { JsonObject } from './types.js';

export interface EventData {
  objectType: string | undefined;
  parameters: JsonObject;
  prior: JsonObject | undefined;
  resulting: JsonObject | undefined;
}

const NO_PARAMETERS: JsonObject = Object.freeze({}) as JsonObject;

export function readEventData(event: unknown): EventData {
  const data = isObject(event) ? event : NO_PARAMETERS;
  return {
    objectType: typeof data.object_type === 'string' ? data.object_type : undefined,
    parameters: isObject(data.parameters) ? data.parameters : NO_PARAMETERS,
    prior: isObject(data.prior_state) ? data.prior_state : undefined,
    resulting: isObject(data.resulting_state) ? data.resulting_state : undefined,
  };
}

/**
 * The parameters that name a target, by normalized key: lower case, no underscores ("userID" and
 * "user_id" → "userid"); where two spellings meet, the last one wins. One instance, filled for
 * each record (toEcs is synchronous): fixed fields, no object per record.
 */
class TargetParameters {
  userid: unknown; user: unknown; userids: unknown; users: unknown; targetuserid: unknown; removeuserid: unknown;
  member: unknown; botuserid: unknown; teamid: unknown; team: unknown; channelid: unknown; channel: unknown;
  postid: unknown; post: unknown;

  constructor() {
    this.fill(NO_PARAMETERS);
  }

  fill(parameters: JsonObject): void {
    this.userid = this.user = this.userids = this.users = this.targetuserid = this.removeuserid = undefined;
    this.member = this.botuserid = this.teamid = this.team = this.channelid = this.channel = this.postid = this.post = undefined;
    for (const key in parameters) {
      const slot = slotOf(key);
      if (slot !== NOT_A_TARGET) this.set(slot, parameters[key]);
    }
  }

  /** Whether a parameter that userTarget reads is there: most records name no user in their parameters. */
  namesAUser(): boolean {
    return this.userid !== undefined || this.user !== undefined || this.userids !== undefined || this.users !== undefined
      || this.targetuserid !== undefined || this.removeuserid !== undefined || this.member !== undefined || this.botuserid !== undefined;
  }

  /** By a switch on the slot: a store keyed by the normalized text would go through V8's generic (megamorphic) path. */
  private set(slot: number, value: unknown): void {
    switch (slot) {
      case 0: this.userid = value; break;
      case 1: this.user = value; break;
      case 2: this.userids = value; break;
      case 3: this.users = value; break;
      case 4: this.targetuserid = value; break;
      case 5: this.removeuserid = value; break;
      case 6: this.member = value; break;
      case 7: this.botuserid = value; break;
      case 8: this.teamid = value; break;
      case 9: this.team = value; break;
      case 10: this.channelid = value; break;
      case 11: this.channel = value; break;
      case 12: this.postid = value; break;
      default: this.post = value;
    }
  }
}

/** The normalized keys of TargetParameters, in the order of its slots. */
const TARGET_KEYS: readonly string[] = [
  'userid', 'user', 'userids', 'users', 'targetuserid', 'removeuserid', 'member', 'botuserid', 'teamid', 'team', 'channelid', 'channel',
  'postid', 'post',
];
const NOT_A_TARGET = -1;

/** The slot of each parameter key seen so far (handlers use a few dozen keys), bounded in entries and key length. */
const keySlots = new Map<string, number>();
const MAX_REMEMBERED_KEYS = 10_000;
const LONGEST_REMEMBERED_KEY = 64;

function slotOf(key: string): number {
  let slot = keySlots.get(key);
  if (slot === undefined) {
    slot = TARGET_KEYS.indexOf(key.toLowerCase().replace(/_/g, ''));
    if (keySlots.size < MAX_REMEMBERED_KEYS && key.length <= LONGEST_REMEMBERED_KEY) keySlots.set(key, slot);
  }
  return slot;
}

const params = new TargetParameters();

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

export interface Targets {
  /** user.target.* without the group; undefined when the record names no user. */
  user: JsonObject | undefined;
  /** user.changes.name: a username the event changed. */
  changedName: string | undefined;
  team: JsonObject | undefined;
  channel: JsonObject | undefined;
  post: JsonObject | undefined;
}

export function readTargets(data: EventData): Targets {
  params.fill(data.parameters);
  // A deletion's only state is the prior one (resulting_state stays `{}`).
  const state = nonEmpty(data.resulting) ?? nonEmpty(data.prior);
  const type = lowerCaseType(data.objectType);
  const user = type === 'user' || type === 'bot' ? state : undefined;
  const target = userTarget(user, params);
  const targets: Targets = {
    user: target,
    // Only beside a target, as the user fields always were.
    changedName: user === undefined || target === undefined ? undefined : changedName(data),
    team: entity(type === 'team' ? state : undefined, idOf(params.teamid) ?? idOf(params.team) ?? text(state?.team_id)),
    channel: entity(type === 'channel' ? state : undefined, idOf(params.channelid) ?? idOf(params.channel) ?? text(state?.channel_id)),
    post: undefined,
  };
  if (type === 'post' && state) {
    const post: JsonObject = {};
    const id = text(state.id);
    if (id !== undefined) post.id = id;
    const channelId = text(state.channel_id);
    if (channelId !== undefined) post.channel = { id: channelId };
    if (typeof state.is_pinned === 'boolean') post.pinned = state.is_pinned;
    if (id !== undefined || channelId !== undefined || post.pinned !== undefined) targets.post = post;
  } else {
    const postId = idOf(params.postid) ?? idOf(params.post);
    if (postId) targets.post = { id: postId };
  }
  return targets;
}

function entity(state: JsonObject | undefined, fallbackId: string | undefined): JsonObject | undefined {
  const id = text(state?.id) ?? fallbackId;
  if (!id) return undefined;
  const found: JsonObject = { id };
  const name = text(state?.name);
  if (name !== undefined) found.name = name;
  const type = text(state?.type);
  if (type !== undefined) found.type = type;
  return found;
}

/** The ids in a value: an id, an object's id, or arrays of them, which may nest as deep as a record may (walked with a stack, in order). */
function addIds(ids: string[], value: unknown): void {
  if (!Array.isArray(value)) {
    const id = idOf(value);
    if (id && !ids.includes(id)) ids.push(id);
    return;
  }
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (Array.isArray(next)) {
      for (let i = next.length - 1; i >= 0; i--) pending.push(next[i]);
    } else {
      const id = idOf(next);
      if (id && !ids.includes(id)) ids.push(id);
    }
  }
}

/** The object type in lower case, for comparisons: the usual names as they come (toLowerCase is a builtin call, and these are lower case already). */
function lowerCaseType(objectType: string | undefined): string | undefined {
  if (objectType === 'post' || objectType === 'channel' || objectType === 'user' || objectType === 'team' || objectType === 'bot') return objectType;
  return objectType?.toLowerCase();
}

function userTarget(user: JsonObject | undefined, params: TargetParameters): JsonObject | undefined {
  if (user?.id === undefined && !params.namesAUser()) return undefined;
  const ids: string[] = [];
  addIds(ids, user?.id);
  addIds(ids, params.userid);
  addIds(ids, params.user);
  addIds(ids, params.userids);
  addIds(ids, params.users);
  addIds(ids, params.targetuserid);
  addIds(ids, params.removeuserid);
  addIds(ids, isObject(params.member) ? params.member.user_id : params.member);
  addIds(ids, params.botuserid);
  if (ids.length === 0) return undefined;
  const target: JsonObject = { id: ids.length === 1 ? ids[0] : ids };
  if (user === undefined) return target;
  const name = text(user.username);
  if (name !== undefined) target.name = name;
  const email = text(user.email);
  if (email !== undefined) target.email = email;
  if (typeof user.roles === 'string') {
    const roles = user.roles.split(/\s+/).filter(Boolean);
    if (roles.length > 0) target.roles = roles;
  }
  return target;
}

function changedName(data: EventData): string | undefined {
  const before = text(data.prior?.username);
  const after = text(data.resulting?.username);
  return before && after && before !== after ? after : undefined;
}
