/**
 * related.user, related.ip and mattermost.audit.related.channel/team: every user, address,
 * channel and team a document names, each once, in the order the mappers always listed them.
 */
import type { JsonObject } from './types.js';

function addText(list: string[], value: unknown): void {
  if (typeof value === 'string' && value !== '' && !list.includes(value)) list.push(value);
}

/** related.* of a document built of these parts (each without empty values). */
export function relatedFields(user: JsonObject | undefined, source: JsonObject | undefined, forwardedIp: string | undefined): JsonObject | undefined {
  const users: string[] = [];
  if (user !== undefined) {
    addText(users, user.id);
    addText(users, user.name);
    const changes = user.changes as JsonObject | undefined;
    if (changes !== undefined) addText(users, changes.name);
    const target = user.target as JsonObject | undefined;
    if (target !== undefined) {
      addText(users, target.name);
      if (Array.isArray(target.id)) for (const id of target.id) addText(users, id);
      else addText(users, target.id);
    }
  }
  const ips: string[] = [];
  if (source !== undefined) addText(ips, source.ip);
  addText(ips, forwardedIp);
  if (users.length === 0) return ips.length === 0 ? undefined : { ip: ips };
  return ips.length === 0 ? { user: users } : { user: users, ip: ips };
}

/** mattermost.audit.related.* of the audit object's post, channel and team. */
export function relatedAuditFields(audit: JsonObject): JsonObject | undefined {
  const channels: string[] = [];
  const post = audit.post as JsonObject | undefined;
  if (post !== undefined && post.channel !== undefined) addText(channels, (post.channel as JsonObject).id);
  const channel = audit.channel as JsonObject | undefined;
  if (channel !== undefined) addText(channels, channel.id);
  const team = audit.team as JsonObject | undefined;
  const teamId = team?.id;
  if (typeof teamId === 'string' && teamId !== '') return channels.length === 0 ? { team: [teamId] } : { channel: channels, team: [teamId] };
  return channels.length === 0 ? undefined : { channel: channels };
}
