/**
 * The ids of an ECS document that want a name, and the names written into it: the actor
 * (user.id → user.name), the target users (user.target.id → user.target.name), the team and the
 * channel (mattermost.audit.{team,channel}.id → .name, a post's channel, and a channel's team).
 * Only what the record itself did not name is asked for, and nothing present is overwritten.
 * A legacy failed login's user.id is the login name Elastic's pipeline put there (not an id),
 * as is a modern or REST failed login's user.name: those are looked up by username.
 * Read once per document (objects walked directly: this runs for every document of a batch).
 */
import { appendUnique, isObject } from '../transform/ingest-document.js';
import type { EcsDocument, JsonObject } from '../transform/types.js';
import type { DirectoryChannel, DirectoryTeam, DirectoryUser } from './mattermost-directory.js';
import type { Known } from './name-cache.js';

export interface NameRequests {
  userIds: Set<string>;
  usernames: Set<string>;
  teamIds: Set<string>;
  channelIds: Set<string>;
}

export interface NameSources {
  user(id: string): Known<DirectoryUser>;
  userByName(username: string): Known<DirectoryUser>;
  team(id: string): Known<DirectoryTeam>;
  channel(id: string): Known<DirectoryChannel>;
}

/** What one document wants named; undefined fields want nothing. */
export interface WantedNames {
  /** user.id, an id, without user.name (or e-mail). */
  actorId?: string;
  /** A login name (user.id of a legacy failed login, else user.name) and the username it would be. */
  login?: { text: string; username: string | undefined; hasId: boolean };
  /** user.target.id values that are ids, when user.target.name (or e-mail) is missing. */
  targetIds?: string[];
  /** The channel (mattermost.audit.channel.id, else the post's), wanted for its name or its team. */
  channelId?: string;
  /** mattermost.audit.team.id, when the team has no name. */
  teamId?: string;
}

export function emptyNameRequests(): NameRequests {
  return { userIds: new Set(), usernames: new Set(), teamIds: new Set(), channelIds: new Set() };
}

// model.IsValidId: 26 lower-case letters and digits. model.IsValidUsername: [a-z0-9.-_], 1 to 64.
const MATTERMOST_ID = /^[a-z0-9]{26}$/;
const USERNAME = /^[a-z0-9._-]{1,64}$/;

function isMattermostId(value: unknown): value is string {
  return typeof value === 'string' && MATTERMOST_ID.test(value);
}

/** The username a login name would be (Mattermost lower-cases them), or undefined (an e-mail...). */
function usernameOf(login: string): string | undefined {
  const name = login.trim().toLowerCase();
  return USERNAME.test(name) ? name : undefined;
}

function objectAt(parent: JsonObject | undefined, key: string): JsonObject | undefined {
  const value = parent?.[key];
  return isObject(value) ? value : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function audit(doc: EcsDocument): JsonObject | undefined {
  return objectAt(objectAt(doc, 'mattermost'), 'audit');
}

function channelIdOf(auditFields: JsonObject | undefined): string | undefined {
  return text(objectAt(auditFields, 'channel')?.id) ?? text(objectAt(objectAt(auditFields, 'post'), 'channel')?.id);
}

/** What `doc` wants named, or undefined for nothing (most legacy lines name their objects). */
export function wantedNames(doc: EcsDocument, withEmail: boolean): WantedNames | undefined {
  if ((doc.event as JsonObject | undefined)?.kind === 'pipeline_error') return undefined;
  let wanted: WantedNames | undefined;
  const user = objectAt(doc, 'user');
  if (user) {
    const id = user.id;
    if (isMattermostId(id)) {
      if (user.name === undefined || (withEmail && user.email === undefined)) (wanted ??= {}).actorId = id;
    } else {
      const login = typeof id === 'string' ? id : typeof user.name === 'string' ? user.name : undefined;
      if (login !== undefined) (wanted ??= {}).login = { text: login, username: usernameOf(login), hasId: id !== undefined };
    }
    const target = objectAt(user, 'target');
    if (target && (target.name === undefined || (withEmail && target.email === undefined))) {
      const ids = (Array.isArray(target.id) ? target.id : [target.id]).filter(isMattermostId);
      if (ids.length > 0) (wanted ??= {}).targetIds = ids;
    }
  }
  const auditFields = audit(doc);
  if (auditFields) {
    const team = objectAt(auditFields, 'team');
    const teamId = text(team?.id);
    if (teamId !== undefined && team?.name === undefined) (wanted ??= {}).teamId = teamId;
    const channelId = channelIdOf(auditFields);
    // A channel is looked up for its name, and for its team when the record names none.
    if (channelId !== undefined && (objectAt(auditFields, 'channel')?.name === undefined || teamId === undefined)) (wanted ??= {}).channelId = channelId;
  }
  return wanted;
}

export function addRequests(wanted: WantedNames, into: NameRequests): void {
  if (wanted.actorId !== undefined) into.userIds.add(wanted.actorId);
  if (wanted.login?.username !== undefined) into.usernames.add(wanted.login.username);
  if (wanted.targetIds) for (const id of wanted.targetIds) into.userIds.add(id);
  if (wanted.teamId !== undefined) into.teamIds.add(wanted.teamId);
  if (wanted.channelId !== undefined) into.channelIds.add(wanted.channelId);
}

/** Team ids the looked-up channels belong to, for a second round. */
export function channelTeams(channelIds: Iterable<string>, names: NameSources): string[] {
  const teams = new Set<string>();
  for (const id of channelIds) {
    const teamId = names.channel(id)?.teamId;
    if (teamId !== undefined) teams.add(teamId);
  }
  return [...teams];
}

/**
 * Writes the names `names` knows into `doc`. Returns false when an id it wants is still unknown
 * (not asked yet, late, or its lookup failed), true when every id got its name or is one Mattermost
 * lacks. It may run again on the same document once more is known: it only adds what is absent.
 * `final`: no more answers will come, so a login name stands as typed when its account is unknown.
 */
export function applyNames(doc: EcsDocument, wanted: WantedNames, names: NameSources, withEmail: boolean, final: boolean): boolean {
  let complete = true;
  if (wanted.actorId !== undefined) {
    const actor = names.user(wanted.actorId);
    if (actor === undefined) complete = false;
    else if (actor !== null) {
      const user = userOf(doc);
      if (setAbsent(user, 'name', actor.username)) relateUser(doc, actor.username);
      if (withEmail && actor.email) setAbsent(user, 'email', actor.email);
    }
  }
  if (wanted.login) {
    const { text: login, username, hasId } = wanted.login;
    const account = username === undefined ? null : names.userByName(username);
    if (account === undefined) complete = false;
    if (account !== undefined || final) {
      const user = userOf(doc);
      const name = account?.username ?? login;
      if (setAbsent(user, 'name', name)) relateUser(doc, name);
      // A failed login names the account it aimed at: its id, when the record had none.
      if (account && !hasId && setAbsent(user, 'id', account.id)) relateUser(doc, account.id);
      if (withEmail && account?.email) setAbsent(user, 'email', account.email);
    }
  }
  if (wanted.targetIds && !nameTargets(doc, wanted.targetIds, names, withEmail)) complete = false;

  const auditFields = audit(doc);
  if (!auditFields) return complete;
  let teamId = wanted.teamId;
  if (wanted.channelId !== undefined) {
    const channel = names.channel(wanted.channelId);
    if (channel === undefined) complete = false;
    else if (channel !== null) {
      nameChannel(auditFields, wanted.channelId, channel);
      if (channel.teamId !== undefined && text(objectAt(auditFields, 'team')?.id) === undefined && nameTeamId(auditFields, channel.teamId)) {
        teamId = channel.teamId;
        appendUnique(auditFields, 'related.team', [teamId]);
      }
    }
  }
  if (teamId !== undefined) {
    const team = names.team(teamId);
    if (team === undefined) complete = false;
    else if (team !== null) nameTeam(doc, auditFields, teamId, team);
  }
  return complete;
}

function userOf(doc: EcsDocument): JsonObject {
  const user = objectAt(doc, 'user');
  if (user) return user;
  const created: JsonObject = {};
  doc.user = created;
  return created;
}

/** Adds a name to related.user, as Elastic's append processor does (no duplicates). */
function relateUser(doc: EcsDocument, name: string): void {
  const related = objectAt(doc, 'related');
  const users = related?.user;
  if (Array.isArray(users)) {
    if (!users.includes(name)) users.push(name);
  } else {
    appendUnique(doc, 'related.user', [name]);
  }
}

/** user.target.name (and e-mail) from the target ids; false when one is still unknown. */
function nameTargets(doc: EcsDocument, ids: readonly string[], names: NameSources, withEmail: boolean): boolean {
  let complete = true;
  const found: DirectoryUser[] = [];
  for (const id of ids) {
    const user = names.user(id);
    if (user === undefined) complete = false;
    else if (user !== null) found.push(user);
  }
  const target = objectAt(objectAt(doc, 'user'), 'target');
  if (!target || found.length === 0) return complete;
  const usernames = found.map((user) => user.username);
  if (setAbsent(target, 'name', usernames.length === 1 ? usernames[0] : usernames)) for (const name of usernames) relateUser(doc, name);
  const emails = withEmail ? found.map((user) => user.email).filter((email): email is string => email !== undefined) : [];
  if (emails.length > 0) setAbsent(target, 'email', emails.length === 1 ? emails[0] : emails);
  return complete;
}

function nameChannel(auditFields: JsonObject, id: string, channel: DirectoryChannel): void {
  let fields = objectAt(auditFields, 'channel');
  if (!fields) {
    if (auditFields.channel !== undefined) return;
    fields = auditFields.channel = { id };
  }
  setAbsent(fields, 'name', channel.name);
  if (channel.displayName) setAbsent(fields, 'display_name', channel.displayName);
  if (channel.type) setAbsent(fields, 'type', channel.type);
}

function nameTeamId(auditFields: JsonObject, teamId: string): boolean {
  if (auditFields.team === undefined) auditFields.team = {};
  const team = objectAt(auditFields, 'team');
  return team !== undefined && setAbsent(team, 'id', teamId);
}

function nameTeam(doc: EcsDocument, auditFields: JsonObject, id: string, team: DirectoryTeam): void {
  const fields = objectAt(auditFields, 'team');
  if (!fields) return;
  setAbsent(fields, 'name', team.name);
  if (team.displayName) setAbsent(fields, 'display_name', team.displayName);
  // Elastic's group fields of team events are the team: name them too.
  for (const group of [objectAt(doc, 'group'), objectAt(objectAt(objectAt(doc, 'user'), 'target'), 'group')]) {
    if (group?.id === id) setAbsent(group, 'name', team.name);
  }
}

/** Sets a key that is absent; true when it did. */
function setAbsent(object: JsonObject, key: string, value: unknown): boolean {
  if (object[key] !== undefined) return false;
  object[key] = value;
  return true;
}
