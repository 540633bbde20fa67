/** event.kind/category/type for an audit action, from the catalog in audit-event-catalog.ts. */
import { AUDIT_EVENT_CATALOG, type Categorization } from './audit-event-catalog.js';

/** What Elastic's pipeline writes for an action its table does not know. */
export const DEFAULT_CATEGORIZATION: Categorization = { category: ['configuration'], type: ['info'] };

/**
 * The actions of Elastic's own categorization table. Legacy records are categorized by these
 * alone, so that our documents stay identical to the integration's for the same line.
 */
const ELASTIC_TABLE_ACTIONS: ReadonlySet<string> = new Set([
  'login', 'Logout', 'revokeAllSessionsForUser', 'getConfig', 'updateConfig', 'updatePassword',
  'updatePreferences', 'updateUserActive', 'patchUser', 'createPost', 'createChannel', 'patchChannel',
  'deleteChannel', 'convertChannelToPrivate', 'restoreChannel', 'removeChannelMember', 'createTeam',
  'patchTeam', 'deleteTeam', 'addTeamMembers', 'removeTeamMember',
]);

export function categorizeLegacy(action: unknown): Categorization {
  if (typeof action !== 'string' || !ELASTIC_TABLE_ACTIONS.has(action)) return DEFAULT_CATEGORIZATION;
  return AUDIT_EVENT_CATALOG[action] ?? DEFAULT_CATEGORIZATION;
}

/** Modern event names: the whole catalog of Mattermost's audit events. */
export function categorizeEvent(eventName: unknown): Categorization {
  if (typeof eventName !== 'string') return DEFAULT_CATEGORIZATION;
  return Object.prototype.hasOwnProperty.call(AUDIT_EVENT_CATALOG, eventName)
    ? (AUDIT_EVENT_CATALOG[eventName] as Categorization)
    : DEFAULT_CATEGORIZATION;
}

/** event.kind, category and type, in that order, as fresh lists (a document owns its values). */
export function setCategory(event: Record<string, unknown>, categorization: Categorization): void {
  event.kind = 'event';
  event.category = [...categorization.category];
  event.type = [...categorization.type];
}
