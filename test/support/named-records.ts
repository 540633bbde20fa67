/**
 * A small Mattermost world for the enrichment tests (12 users, 2 teams, 3 channels, put into a
 * directory emulator) and audit records of all three formats that name it by id only, as
 * Mattermost writes them: modern records whose team and channel states carry no name
 * (Team/Channel.Auditable() leave it out), REST audits whose path holds the ids, legacy lines.
 */
import { mattermostId, type MattermostDirectoryEmulator } from '../mattermost-emulator/directory.js';

export const USERS = Array.from({ length: 12 }, (_, i) => ({
  id: mattermostId(`user${String(i).padStart(2, '0')}`), username: `user${String(i).padStart(2, '0')}`, email: `user${i}@example.com`,
}));
export const TEAMS = [
  { id: mattermostId('teameng'), name: 'eng', display_name: 'Engineering' },
  { id: mattermostId('teamops'), name: 'ops', display_name: 'Operations' },
];
export const CHANNELS = [
  { id: mattermostId('chantown'), name: 'town-square', display_name: 'Town Square', team_id: TEAMS[0]!.id, type: 'O' },
  { id: mattermostId('chanincidents'), name: 'incidents', display_name: 'Incidents', team_id: TEAMS[1]!.id, type: 'P' },
  { id: mattermostId('chanrandom'), name: 'random', display_name: 'Random', team_id: TEAMS[0]!.id, type: 'O' },
];

export function populate(directory: MattermostDirectoryEmulator): void {
  directory.users.push(...USERS);
  directory.teams.push(...TEAMS);
  directory.channels.push(...CHANNELS);
}

const user = (n: number) => USERS[n % USERS.length]!;
const channel = (n: number) => CHANNELS[n % CHANNELS.length]!;
const team = (n: number) => TEAMS[n % TEAMS.length]!;
const TIMESTAMP = '2024-03-01 10:15:30.123 Z';

/** Modern: one user changes another's roles. */
export function modernRoleChange(actor: number, target: number, seq = 0): string {
  return JSON.stringify({
    timestamp: TIMESTAMP, level: 'audit', msg: '', event_name: 'updateUserRoles', status: 'success',
    actor: { user_id: user(actor).id, session_id: `s${seq}`, client: 'mmctl', ip_address: '10.0.0.1' },
    event: { parameters: { user_id: user(target).id, roles: 'system_user system_admin' }, prior_state: {}, resulting_state: {}, object_type: '' },
    meta: { api_path: `/api/v4/users/${user(target).id}/roles`, seq }, error: {},
  });
}

/** Modern: a channel deleted (resulting_state `{}`, the channel in prior_state without its name). */
export function modernChannelDeletion(actor: number, n: number, seq = 0): string {
  const { id, team_id, type } = channel(n);
  return JSON.stringify({
    timestamp: TIMESTAMP, level: 'audit', msg: '', event_name: 'deleteChannel', status: 'success',
    actor: { user_id: user(actor).id, session_id: `s${seq}`, client: 'webapp', ip_address: '10.0.0.2' },
    event: { parameters: { channel_id: id }, prior_state: { id, team_id, type, delete_at: 0 }, resulting_state: {}, object_type: 'channel' },
    meta: { api_path: `/api/v4/channels/${id}`, seq }, error: {},
  });
}

/** Modern: a failed login, no actor, the login name as typed. */
export function modernFailedLogin(loginName: string, seq = 0): string {
  return JSON.stringify({
    timestamp: TIMESTAMP, level: 'audit', msg: '', event_name: 'login', status: 'fail',
    actor: { user_id: '', session_id: '', client: 'curl/8.5', ip_address: '198.51.100.7' },
    event: { parameters: { login_id: loginName, device_id: '' }, prior_state: {}, resulting_state: {}, object_type: '' },
    meta: { api_path: '/api/v4/users/login', seq }, error: { description: 'Enter a valid email or username and/or password.', status_code: 401 },
  });
}

export function restRecord(action: string, userId: string, extraInfo: string, seq = 0): string {
  return JSON.stringify({
    id: `audit${String(seq).padStart(21, '0')}`, create_at: 1709288130123 + seq, user_id: userId, action, extra_info: extraInfo, ip_address: '192.0.2.10', session_id: `s${seq}`,
  });
}

/** REST: a user's roles changed (the target only in the path). */
export function restRoleChange(actor: number, target: number, seq = 0): string {
  return restRecord(`/api/v4/users/${user(target).id}/roles`, user(actor).id, `user=${user(target).id} roles=system_user`, seq);
}

/** REST: a member removed from a channel. */
export function restChannelMemberRemoval(actor: number, target: number, n: number, seq = 0): string {
  return restRecord(`/api/v4/channels/${channel(n).id}/members/${user(target).id}`, user(actor).id, `name=${channel(n).name} user_id=${user(target).id}`, seq);
}

export function restFailedLogin(loginName: string, seq = 0): string {
  return restRecord('/api/v4/users/login', '', `failure - login_id=${loginName}`, seq);
}

/** Legacy (5.x/6.x): a user added to a team whose object has its id only. */
export function legacyTeamMemberAdded(actor: number, target: number, n: number, seq = 0): string {
  return JSON.stringify({
    timestamp: '2021-12-04 23:19:32.051 Z', event: 'addTeamMembers', status: 'success', user_id: user(actor).id, session_id: `s${seq}`,
    ip_address: '10.0.0.3', api_path: `/api/v4/teams/${team(n).id}/members/batch`, user_ids: `[${user(target).id}]`, team: { id: team(n).id },
  });
}

/** Legacy: a post in a channel (the channel only by id, inside the post). */
export function legacyPost(actor: number, n: number, seq = 0): string {
  return JSON.stringify({
    timestamp: '2021-12-04 23:19:32.051 Z', event: 'createPost', status: 'success', user_id: user(actor).id, session_id: `s${seq}`,
    ip_address: '10.0.0.3', api_path: '/api/v4/posts', post: { id: mattermostId(`post${seq}`), channel_id: channel(n).id },
  });
}

/** Legacy: a failed login, which has a login_id and no user_id key at all. */
export function legacyFailedLogin(loginName: string): string {
  return JSON.stringify({ timestamp: '2021-12-04 23:19:32.051 Z', event: 'login', status: 'fail', login_id: loginName, ip_address: '198.51.100.7', api_path: '/api/v4/users/login' });
}

/** `count` records of every kind above, about the 12 users, 2 teams and 3 channels. */
export function namedRecordMix(count: number): string[] {
  const makers = [
    (i: number) => modernRoleChange(i, i + 5, i),
    (i: number) => modernChannelDeletion(i, i, i),
    (i: number) => restRoleChange(i + 3, i, i),
    (i: number) => restChannelMemberRemoval(i, i + 1, i, i),
    (i: number) => legacyTeamMemberAdded(i, i + 2, i, i),
    (i: number) => legacyPost(i + 7, i, i),
  ];
  return Array.from({ length: count }, (_, i) => makers[i % makers.length]!(i));
}
