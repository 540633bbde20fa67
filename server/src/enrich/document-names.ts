/**
 * The ids of an ECS document that want a name, and the names written into it: the actor
 * (user.id → user.name), the target users (user.target.id → user.target.name), the team and the
 * channel (mattermost.audit.{team,channel}.id → .name, and a channel's team). Only what the record
 * itself did not name is asked for, and nothing present is overwritten. A legacy failed login's
 * user.id is the login name Elastic's pipeline put there (not an id): it is looked up by username.
 */
import { appendUnique, getPath, isObject } from '../transform/ingest-document.js';
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

export function emptyNameRequests(): NameRequests {
  return { userIds: new Set(), usernames: new Set(), teamIds: new Set(), channelIds: new Set() };
}

// model.IsValidId: 26 lower-case letters and digits. model.IsValidUsername: [a-z0-9.-_], 1 to 64.
const MATTERMOST_ID = /^[a-z0-9]{26}$/;
const USERNAME = /^[a-z0-9._-]{1,64}$/;

export function isMattermostId(value: unknown): value is string {
  return typeof value === 'string' && MATTERMOST_ID.test(value);
}

/** The username a login name would be (Mattermost lower-cases them), or undefined (an e-mail...). */
export function usernameOf(login: unknown): string | undefined {
  if (typeof login !== 'string') return undefined;
  const name = login.trim().toLowerCase();
  return USERNAME.test(name) ? name : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function targetIds(doc: EcsDocument): string[] {
  const ids = getPath(doc, 'user.target.id');
  return (Array.isArray(ids) ? ids : [ids]).filter(isMattermostId);
}

/** Adds the ids `doc` wants named to `into`; `withEmail` asks for users whose e-mail is missing too. */
export function collectNameRequests(doc: EcsDocument, into: NameRequests, withEmail: boolean): void {
  if ((doc.event as JsonObject | undefined)?.kind === 'pipeline_error') return;
  const userId = getPath(doc, 'user.id');
  const userName = getPath(doc, 'user.name');
  if (isMattermostId(userId)) {
    if (userName === undefined || (withEmail && getPath(doc, 'user.email') === undefined)) into.userIds.add(userId);
  } else {
    const login = usernameOf(userId ?? userName);
    if (login !== undefined) into.usernames.add(login);
  }
  if (getPath(doc, 'user.target.name') === undefined || (withEmail && getPath(doc, 'user.target.email') === undefined)) {
    for (const id of targetIds(doc)) into.userIds.add(id);
  }
  const teamId = text(getPath(doc, 'mattermost.audit.team.id'));
  if (teamId !== undefined && getPath(doc, 'mattermost.audit.team.name') === undefined) into.teamIds.add(teamId);
  const channelId = text(getPath(doc, 'mattermost.audit.channel.id')) ?? text(getPath(doc, 'mattermost.audit.post.channel.id'));
  // A channel is looked up for its name, and for its team when the record names none.
  if (channelId !== undefined && (getPath(doc, 'mattermost.audit.channel.name') === undefined || teamId === undefined)) into.channelIds.add(channelId);
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
 * (its lookup failed or is late), true when every id got its name or is one Mattermost lacks.
 */
export function applyNames(doc: EcsDocument, names: NameSources, withEmail: boolean): boolean {
  if ((doc.event as JsonObject | undefined)?.kind === 'pipeline_error') return true;
  let complete = true;
  const known = <V>(value: Known<V>): V | undefined => {
    if (value === undefined) complete = false;
    return value ?? undefined;
  };
  const related: string[] = [];

  const userId = getPath(doc, 'user.id');
  if (isMattermostId(userId)) {
    const actor = needsUser(doc, 'user', withEmail) ? known(names.user(userId)) : undefined;
    if (actor && setAbsent(doc, 'user.name', actor.username)) related.push(actor.username);
    if (actor?.email && withEmail) setAbsent(doc, 'user.email', actor.email);
  } else {
    // A login name: the legacy user.id of a failed login, or the modern and REST user.name.
    const login = typeof userId === 'string' ? userId : getPath(doc, 'user.name');
    const username = usernameOf(login);
    const actor = username === undefined ? undefined : known(names.userByName(username));
    if (typeof login === 'string' && setAbsent(doc, 'user.name', actor?.username ?? login)) related.push(actor?.username ?? login);
    // A failed login names the account it aimed at: its id, when the record had none.
    if (actor && userId === undefined && setAbsent(doc, 'user.id', actor.id)) related.push(actor.id);
    if (actor?.email && withEmail) setAbsent(doc, 'user.email', actor.email);
  }

  if (needsUser(doc, 'user.target', withEmail)) {
    const targets = targetIds(doc).map((id) => known(names.user(id))).filter((user): user is DirectoryUser => user !== undefined);
    const usernames = targets.map((user) => user.username);
    if (usernames.length > 0 && setAbsent(doc, 'user.target.name', usernames.length === 1 ? usernames[0] : usernames)) related.push(...usernames);
    const emails = withEmail ? targets.map((user) => user.email).filter((email): email is string => email !== undefined) : [];
    if (emails.length > 0) setAbsent(doc, 'user.target.email', emails.length === 1 ? emails[0] : emails);
  }
  if (related.length > 0) appendUnique(doc, 'related.user', related);

  const channelId = text(getPath(doc, 'mattermost.audit.channel.id')) ?? text(getPath(doc, 'mattermost.audit.post.channel.id'));
  let teamId = text(getPath(doc, 'mattermost.audit.team.id'));
  if (channelId !== undefined && (getPath(doc, 'mattermost.audit.channel.name') === undefined || teamId === undefined)) {
    const channel = known(names.channel(channelId));
    if (channel) {
      setAbsent(doc, 'mattermost.audit.channel.id', channelId);
      setAbsent(doc, 'mattermost.audit.channel.name', channel.name);
      if (channel.displayName) setAbsent(doc, 'mattermost.audit.channel.display_name', channel.displayName);
      if (channel.type) setAbsent(doc, 'mattermost.audit.channel.type', channel.type);
      if (teamId === undefined && channel.teamId !== undefined && setAbsent(doc, 'mattermost.audit.team.id', channel.teamId)) {
        teamId = channel.teamId;
        appendUnique(doc, 'mattermost.audit.related.team', [teamId]);
      }
    }
  }
  if (teamId !== undefined && getPath(doc, 'mattermost.audit.team.name') === undefined) {
    const team = known(names.team(teamId));
    if (team) {
      setAbsent(doc, 'mattermost.audit.team.name', team.name);
      if (team.displayName) setAbsent(doc, 'mattermost.audit.team.display_name', team.displayName);
      // Elastic's group fields of team events are the team: name them too.
      for (const group of ['group', 'user.target.group']) {
        if (getPath(doc, `${group}.id`) === teamId) setAbsent(doc, `${group}.name`, team.name);
      }
    }
  }
  return complete;
}

function needsUser(doc: EcsDocument, prefix: 'user' | 'user.target', withEmail: boolean): boolean {
  return getPath(doc, `${prefix}.name`) === undefined || (withEmail && getPath(doc, `${prefix}.email`) === undefined);
}

/**
 * Sets a field that is absent; true when it did. Never throws: where a record put a scalar in
 * the way (a legacy `"team": "x"`), the name is left out.
 */
function setAbsent(doc: JsonObject, path: string, value: unknown): boolean {
  const keys = path.split('.');
  let node: JsonObject = doc;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (next === undefined) node = node[key] = {};
    else if (isObject(next)) node = next;
    else return false;
  }
  const last = keys[keys.length - 1]!;
  if (node[last] !== undefined) return false;
  node[last] = value;
  return true;
}
