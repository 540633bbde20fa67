/**
 * Legacy audit lines (Mattermost 5.x/6.x), processed as Elastic's Mattermost integration's ingest
 * pipeline processes them, step by step and in the same order: the steps that can fail in
 * Elastic's pipeline fail here too (PipelineFailure), leaving the document as far as it got.
 */
import { categorizeLegacy, categoryFields } from './categorize.js';
import {
  appendUnique, getPath, hasPath, isObject, javaSplit, rename, renderTemplateValue, setPath, stringField,
} from './ingest-document.js';
import { isIP } from 'node:net';
import { parseLegacyTimestamp } from './timestamps.js';
import { PipelineFailure, type GeoLookup, type JsonObject } from './types.js';
import { urlParts } from './url-parts.js';
import { parseUserAgent } from './user-agent.js';

/**
 * The parsed line sits at `doc.json` while the steps move its fields out, as in Elastic's pipeline;
 * the caller drops what remains of it.
 */
export function applyLegacyPipeline(doc: JsonObject, geo: GeoLookup | undefined): void {
  const timestamp = getPath(doc, 'json.timestamp');
  if (!hasPath(doc, 'json.timestamp') || timestamp === null) {
    throw new PipelineFailure('field [timestamp] not present as part of path [json.timestamp]');
  }
  const parsedTimestamp = typeof timestamp === 'string' ? parseLegacyTimestamp(timestamp) : undefined;
  if (parsedTimestamp === undefined) throw new PipelineFailure(`unable to parse date [${String(timestamp)}]`);
  doc['@timestamp'] = parsedTimestamp;

  rename(doc, 'json.event', 'event.action');
  rename(doc, 'json.err', 'error.code');
  if (getPath(doc, 'json.errors') !== '[]') rename(doc, 'json.errors', 'mattermost.audit.error.message');
  splitErrorMessages(doc);
  setOutcome(doc);

  rename(doc, 'json.user_id', 'user.id');
  if (getPath(doc, 'user.id') == null) rename(doc, 'json.login_id', 'user.id');

  rename(doc, 'json.ip_address', 'source.address');
  const address = getPath(doc, 'source.address');
  if (typeof address === 'string' && isIP(address) !== 0) {
    setPath(doc, 'source.ip', address);
    addGeo(doc, address, geo);
  }

  const client = stringField(doc, 'json.client');
  if (client !== undefined) setPath(doc, 'user_agent', parseUserAgent(client));

  rename(doc, 'json.api_path', 'mattermost.audit.api_path');
  const apiPath = getPath(doc, 'mattermost.audit.api_path');
  const url = typeof apiPath === 'string' ? urlParts(apiPath) : undefined;
  if (url) doc.url = url;

  rename(doc, 'json.session_id', 'mattermost.audit.session.id');
  rename(doc, 'json.device_id', 'mattermost.audit.device.id');
  rename(doc, 'json.cluster_id', 'mattermost.audit.cluster.id');
  mapTargetUsers(doc);
  rename(doc, 'json.team', 'mattermost.audit.team');
  rename(doc, 'json.code', 'http.response.status_code');
  rename(doc, 'json.post', 'mattermost.audit.post');
  rename(doc, 'mattermost.audit.post.channel_id', 'mattermost.audit.post.channel.id');
  rename(doc, 'json.patch', 'mattermost.audit.patch');
  rename(doc, 'json.patched', 'mattermost.audit.patch');
  rename(doc, 'json.channel', 'mattermost.audit.channel');
  rename(doc, 'json.channeld', 'mattermost.audit.channel');

  const event = doc.event as JsonObject;
  Object.assign(event, categoryFields(categorizeLegacy(event.action)));
  if ((event.category as string[]).includes('iam')) addIamFields(doc, event.action);
  addRelated(doc);
  // `json`, emptied by the steps above, is left behind by toEcs.
}

function splitErrorMessages(doc: JsonObject): void {
  const messages = stringField(doc, 'mattermost.audit.error.message');
  if (messages === undefined) return;
  setPath(doc, 'mattermost.audit.error.message', javaSplit(messages.replace(/[[\]]/g, ''), /,\s+/));
}

function setOutcome(doc: JsonObject): void {
  const status = getPath(doc, 'json.status');
  let outcome: string | undefined = status === 'success' ? 'success' : undefined;
  if (status === 'fail' || getPath(doc, 'mattermost.audit.error.message') != null) outcome = 'failure';
  setPath(doc, 'event.outcome', outcome ?? 'unknown');
}

function addGeo(doc: JsonObject, ip: string, geo: GeoLookup | undefined): void {
  const found = geo?.(ip);
  if (found?.geo) setPath(doc, 'source.geo', found.geo);
  if (found?.as) setPath(doc, 'source.as', found.as);
}

function mapTargetUsers(doc: JsonObject): void {
  rename(doc, 'json.user.id', 'user.target.id');
  rename(doc, 'json.user.name', 'user.target.name');
  rename(doc, 'json.user.roles', 'user.target.roles');
  const roles = stringField(doc, 'user.target.roles');
  if (roles !== undefined) setPath(doc, 'user.target.roles', javaSplit(roles, /\s+/));
  rename(doc, 'json.remove_user_id', 'user.target.id');
  const userIds = stringField(doc, 'json.user_ids');
  if (userIds !== undefined) setPath(doc, 'json.user_ids', javaSplit(userIds.replace(/[[\]]/g, ''), /\s+/));
  rename(doc, 'json.user_ids', 'user.target.id');
}

/** Elastic's "Add ECS User fields" script, run for iam actions. */
function addIamFields(doc: JsonObject, action: unknown): void {
  for (const path of ['group', 'user', 'user.target', 'user.changes', 'user.target.group']) {
    if (getPath(doc, path) == null) setPath(doc, path, {});
  }
  if (action === 'patchUser') {
    const patchedName = auditProperty(doc, 'patch', 'name');
    if (getPath(doc, 'user.target.name') !== patchedName) setPath(doc, 'user.changes.name', patchedName);
  } else if (action === 'createTeam' || action === 'patchTeam' || action === 'deleteTeam') {
    setPath(doc, 'group.name', auditProperty(doc, 'team', 'name'));
    setPath(doc, 'group.id', auditProperty(doc, 'team', 'id'));
  } else if (action === 'addTeamMembers' || action === 'removeTeamMember') {
    setPath(doc, 'user.target.group.name', auditProperty(doc, 'team', 'name'));
    setPath(doc, 'user.target.group.id', auditProperty(doc, 'team', 'id'));
  }
}

/**
 * `ctx.mattermost?.audit?.<object>?.<property>` in Painless: null-safe through missing values,
 * but a property read on a string or number is a script error.
 */
function auditProperty(doc: JsonObject, object: string, property: string): unknown {
  const value = getPath(doc, `mattermost.audit.${object}`);
  if (value === undefined || value === null) return null;
  if (!isObject(value)) {
    throw new PipelineFailure(`dynamic getter [${typeof value}, ${property}] not found`);
  }
  return value[property] ?? null;
}

function addRelated(doc: JsonObject): void {
  appendRendered(doc, 'related.user', getPath(doc, 'user.name'));
  appendRendered(doc, 'related.user', getPath(doc, 'user.changes.name'));
  appendRendered(doc, 'related.user', getPath(doc, 'user.id'));
  const targetIds = getPath(doc, 'user.target.id');
  if (typeof targetIds === 'string') appendUnique(doc, 'related.user', [targetIds]);
  else if (Array.isArray(targetIds)) appendRenderedEach(doc, 'related.user', targetIds);
  appendRendered(doc, 'related.ip', getPath(doc, 'source.ip'));
  const postChannel = getPath(doc, 'mattermost.audit.post');
  if (postChannel != null && !isObject(postChannel)) {
    throw new PipelineFailure(`dynamic getter [${typeof postChannel}, channel] not found`);
  }
  appendRendered(doc, 'mattermost.audit.related.channel', getPath(doc, 'mattermost.audit.post.channel.id'));
  appendRendered(doc, 'mattermost.audit.related.channel', auditProperty(doc, 'channel', 'id'));
  appendRendered(doc, 'mattermost.audit.related.team', auditProperty(doc, 'team', 'id'));
}

function appendRendered(doc: JsonObject, path: string, value: unknown): void {
  if (value === undefined || value === null) return;
  const rendered = renderTemplateValue(value);
  if (rendered !== undefined) appendUnique(doc, path, [rendered]);
}

function appendRenderedEach(doc: JsonObject, path: string, values: unknown[]): void {
  const rendered = values.map(renderTemplateValue).filter((v): v is string => v !== undefined);
  appendUnique(doc, path, rendered);
}
