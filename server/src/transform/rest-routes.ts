/**
 * The action of a REST audit (`/api/v4/audits`): Mattermost stores the request path, never the
 * method, so `/api/v4/users/<id>/roles` says which handler ran only through its route. An action
 * must not carry ids (it is grouped on), so the path becomes its route, ids replaced by
 * placeholders (`/api/v4/users/{user_id}/roles`), and the route becomes the event name of
 * Mattermost's handler where only one audited handler answers it (a GET audits nothing, so a
 * route shared by GET and one writing method is still unambiguous). Routes several writing
 * handlers share (PUT and DELETE of `/channels/{channel_id}`) keep the route as their action.
 */
import { RememberedAnswers } from './remembered-answers.js';

/** Placeholders for an id after these segments; after any other collection `xs` it is `{x_id}`. */
const ID_AFTER: Readonly<Record<string, string>> = {
  members: '{user_id}', assign: '{user_id}', incoming: '{hook_id}', outgoing: '{hook_id}', bots: '{bot_user_id}', emoji: '{emoji_id}',
};

/** `/teams/name/{team_name}` and the like: names are as variable (and as personal) as ids. */
const NAME_AFTER: Readonly<Record<string, string>> = {
  teams: '{team_name}', channels: '{channel_name}', emoji: '{emoji_name}', roles: '{role_name}',
};

/** The plugin routes that are not a plugin's id. */
const PLUGIN_ROUTES = new Set(['install_from_url', 'marketplace', 'statuses', 'webapp']);

// A Mattermost id: 26 characters of its base32 alphabet (model.NewId), always lower case.
const MATTERMOST_ID = /^[a-z0-9]{26}$/;

function placeholder(segment: string, before: string, beforeThat: string | undefined): string {
  if (before === 'name' && beforeThat !== undefined && NAME_AFTER[beforeThat]) return NAME_AFTER[beforeThat]!;
  if (before === 'username') return '{username}';
  // `/users/email/{email}` beside `/users/email/verify`.
  if (before === 'email' && segment.includes('@')) return '{email}';
  if (before === 'plugins' && !PLUGIN_ROUTES.has(segment)) return '{plugin_id}';
  if (before === 'users' && segment === 'me') return '{user_id}';
  if (!MATTERMOST_ID.test(segment)) return segment;
  return ID_AFTER[before] ?? (before.endsWith('s') ? `{${before.slice(0, -1)}_id}` : '{id}');
}

export interface RestRoute {
  /** The path with `{placeholders}`: query and fragment dropped, ids and names replaced. */
  route: string;
  /** What the placeholders stood for, in path order (`['{team_id}', 'k3…']`). */
  values: Array<[placeholder: string, value: string]>;
}

export function restRoute(path: string): RestRoute {
  const segments = (path.split(/[?#]/, 1)[0] ?? path).split('/');
  const values: RestRoute['values'] = [];
  const route = segments.map((segment, i) => {
    if (i === 0 || segment === '') return segment;
    const replaced = placeholder(segment, segments[i - 1]!, segments[i - 2]);
    if (replaced !== segment) values.push([replaced, segment]);
    return replaced;
  });
  return { route: route.join('/'), values };
}

/** Routes (below /api/v4) answered by one audited handler, by the handler's audit event name. */
const ROUTE_EVENTS: Readonly<Record<string, string>> = {
  '/users': 'createUser',
  '/users/login': 'login',
  '/users/login/desktop_token': 'loginWithDesktopToken',
  '/users/login/switch': 'switchAccountType',
  '/users/logout': 'logout',
  '/users/password/reset': 'resetPassword',
  '/users/password/reset/send': 'sendPasswordReset',
  '/users/email/verify': 'verifyUserEmail',
  '/users/email/verify/send': 'sendVerificationEmail',
  '/users/sessions/revoke/all': 'revokeAllSessionsAllUsers',
  '/users/sessions/device': 'attachDeviceId',
  '/users/tokens/revoke': 'revokeUserAccessToken',
  '/users/tokens/disable': 'disableUserAccessToken',
  '/users/tokens/enable': 'enableUserAccessToken',
  '/users/migrate_auth/ldap': 'migrateAuthToLdap',
  '/users/migrate_auth/saml': 'migrateAuthToSaml',
  '/users/{user_id}/patch': 'patchUser',
  '/users/{user_id}/roles': 'updateUserRoles',
  '/users/{user_id}/active': 'updateUserActive',
  '/users/{user_id}/password': 'updatePassword',
  '/users/{user_id}/promote': 'promoteGuestToUser',
  '/users/{user_id}/demote': 'demoteUserToGuest',
  '/users/{user_id}/convert_to_bot': 'convertUserToBot',
  '/users/{user_id}/auth': 'updateUserAuth',
  '/users/{user_id}/mfa': 'updateUserMfa',
  '/users/{user_id}/email/verify/member': 'verifyUserEmailWithoutToken',
  '/users/{user_id}/terms_of_service': 'saveUserTermsOfService',
  '/users/{user_id}/sessions/revoke': 'revokeSession',
  '/users/{user_id}/sessions/revoke/all': 'revokeAllSessionsForUser',
  '/users/{user_id}/tokens': 'createUserAccessToken',
  '/users/{user_id}/preferences': 'updatePreferences',
  '/users/{user_id}/preferences/delete': 'deletePreferences',
  '/teams': 'createTeam',
  '/teams/{team_id}/patch': 'patchTeam',
  '/teams/{team_id}/restore': 'restoreTeam',
  '/teams/{team_id}/privacy': 'updateTeamPrivacy',
  '/teams/{team_id}/scheme': 'updateTeamScheme',
  '/teams/{team_id}/regenerate_invite_id': 'regenerateTeamInviteId',
  '/teams/{team_id}/members': 'addTeamMember',
  '/teams/{team_id}/members/batch': 'addTeamMembers',
  '/teams/{team_id}/members/{user_id}': 'removeTeamMember',
  '/teams/{team_id}/members/{user_id}/roles': 'updateTeamMemberRoles',
  '/teams/{team_id}/members/{user_id}/schemeRoles': 'updateTeamMemberSchemeRoles',
  '/teams/{team_id}/invite/email': 'inviteUsersToTeam',
  '/teams/{team_id}/invite-guests/email': 'inviteGuestsToChannels',
  '/teams/invites/email': 'invalidateAllEmailInvites',
  '/channels': 'createChannel',
  '/channels/direct': 'createDirectChannel',
  '/channels/group': 'createGroupChannel',
  '/channels/{channel_id}/patch': 'patchChannel',
  '/channels/{channel_id}/convert': 'convertChannelToPrivate',
  '/channels/{channel_id}/restore': 'restoreChannel',
  '/channels/{channel_id}/privacy': 'updateChannelPrivacy',
  '/channels/{channel_id}/scheme': 'updateChannelScheme',
  '/channels/{channel_id}/move': 'moveChannel',
  '/channels/{channel_id}/moderations/patch': 'patchChannelModerations',
  '/channels/{channel_id}/members': 'addChannelMember',
  '/channels/{channel_id}/members/{user_id}': 'removeChannelMember',
  '/channels/{channel_id}/members/{user_id}/roles': 'updateChannelMemberRoles',
  '/channels/{channel_id}/members/{user_id}/schemeRoles': 'updateChannelMemberSchemeRoles',
  '/channels/{channel_id}/members/{user_id}/notify_props': 'updateChannelMemberNotifyProps',
  '/posts': 'createPost',
  '/posts/{post_id}/patch': 'patchPost',
  '/posts/{post_id}/pin': 'saveIsPinnedPost',
  '/posts/{post_id}/unpin': 'saveIsPinnedPost',
  '/config/reload': 'configReload',
  '/config/patch': 'patchConfig',
  '/license': 'addLicense',
  '/trial-license': 'requestTrialLicense',
  '/roles/{role_id}/patch': 'patchRole',
  '/schemes': 'createScheme',
  '/schemes/{scheme_id}/patch': 'patchScheme',
  '/bots': 'createBot',
  '/bots/{bot_user_id}/disable': 'updateBotActive',
  '/bots/{bot_user_id}/enable': 'updateBotActive',
  '/bots/{bot_user_id}/assign/{user_id}': 'assignBot',
  '/bots/{bot_user_id}/convert_to_user': 'convertBotToUser',
  '/oauth/apps': 'createOAuthApp',
  '/oauth/apps/{app_id}/regen_secret': 'regenerateOAuthAppSecret',
  '/hooks/incoming': 'createIncomingHook',
  '/hooks/outgoing': 'createOutgoingHook',
  '/hooks/outgoing/{hook_id}/regen_token': 'regenOutgoingHookToken',
  '/commands': 'createCommand',
  '/commands/{command_id}/move': 'moveCommand',
  '/commands/{command_id}/regen_token': 'regenCommandToken',
  '/commands/execute': 'executeCommand',
  '/emoji': 'createEmoji',
  '/emoji/{emoji_id}': 'deleteEmoji',
  '/plugins': 'uploadPlugin',
  '/plugins/install_from_url': 'installPluginFromURL',
  '/plugins/marketplace': 'installMarketplacePlugin',
  '/plugins/{plugin_id}': 'removePlugin',
  '/plugins/{plugin_id}/enable': 'enablePlugin',
  '/plugins/{plugin_id}/disable': 'disablePlugin',
  '/ldap/sync': 'syncLdap',
  '/jobs': 'createJob',
  '/jobs/{job_id}/cancel': 'cancelJob',
  '/compliance/reports': 'createComplianceReport',
  '/compliance/reports/{report_id}/download': 'downloadComplianceReport',
  '/database/recycle': 'databaseRecycle',
  '/caches/invalidate': 'invalidateCaches',
  '/groups': 'createGroup',
  '/groups/{group_id}/patch': 'patchGroup',
  '/groups/{group_id}/restore': 'restoreGroup',
};

export interface RestAction {
  /** The handler's audit event name, or the route when several handlers share it. */
  action: string;
  /** The event name alone, when the route has one (for categorization). */
  eventName: string | undefined;
  /** The ids the path names, by what they are. */
  ids: { users: string[]; team?: string; channel?: string; post?: string };
}

const API_PREFIX = '/api/v4';
/**
 * Paths repeat (a login route, a user's own routes): their actions are kept, up to this many, and
 * only for paths of a usual length (a record's action may be a megabyte long).
 */
const remembered = new RememberedAnswers((path) => actionOf(path), { entries: 10_000, longestKey: 512 });

/** The action of an API path; the caller must not change what it gets (it may be shared). */
export function restAction(path: string): RestAction {
  return remembered.answer(path);
}

function actionOf(path: string): RestAction {
  const { route, values } = restRoute(path);
  const below = route.startsWith(`${API_PREFIX}/`) ? route.slice(API_PREFIX.length) : undefined;
  const eventName = below === undefined ? undefined : ROUTE_EVENTS[below.replace(/\/+$/, '') || '/'];
  const ids: RestAction['ids'] = { users: [] };
  for (const [name, value] of values) {
    if (!MATTERMOST_ID.test(value)) continue;
    if (name === '{user_id}') ids.users.push(value);
    else if (name === '{team_id}') ids.team ??= value;
    else if (name === '{channel_id}') ids.channel ??= value;
    else if (name === '{post_id}') ids.post ??= value;
  }
  return { action: eventName ?? route, eventName, ids };
}

/** Every event name of the table, for the test that each is categorized. */
export const REST_ROUTE_EVENT_NAMES: readonly string[] = [...new Set(Object.values(ROUTE_EVENTS))];
