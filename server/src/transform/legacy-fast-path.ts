/**
 * The legacy pipeline (legacy.ts) for the usual line (legacy-usual-line.ts says which), in one
 * pass: its values read once (legacy-usual-values.ts), each object made where Elastic's pipeline
 * first makes it (so the document's keys come in the same order), no generic path walks, no `json`
 * left behind for pruneEmpty to clean, and pruneEmpty itself only when a value it removes was
 * written ("" or null, an empty object). In a usual line no step of the pipeline can fail and none
 * needs the line's number literals. Any other line is the step list's, the reference: the caller
 * falls back to it where usualValuesOf finds no usual line. test/legacy-fast-path.test.ts holds the two to the
 * same documents, key order included; legacy-fast-json.ts writes the same document as JSON text.
 */
import { setCategory } from './categorize.js';
import type { UsualValues } from './legacy-usual-values.js';
import { pruneEmpty } from './prune-empty.js';
import type { EcsDocument, JsonObject } from './types.js';

/**
 * The finished document (before the envelope) of a usual line, built on `doc` (toEcs's fresh
 * `{ecs, event: {}}`) from its values (usualValuesOf); `original`: event.original when kept.
 */
export function usualLegacyDocument(doc: EcsDocument, values: UsualValues, maxDepth: number, original: string | undefined): EcsDocument {
  buildDocument(doc, values, original);
  return values.empty ? pruneEmpty(doc, maxDepth) : doc;
}

/** The pipeline's processors in their order, as legacy.ts runs them. */
function buildDocument(doc: EcsDocument, v: UsualValues, original: string | undefined): void {
  const from = v.line;
  const event = doc.event as JsonObject;
  if (from.event !== undefined) event.action = from.event;
  event.outcome = v.outcome;
  setCategory(event, v.categorization);
  doc['@timestamp'] = v.timestamp;
  if (from.err !== undefined) doc.error = { code: from.err };
  let audit: JsonObject | undefined;
  if (v.errors !== undefined) (audit = newAudit(doc)).error = { message: v.errors };

  if (v.userId !== undefined) doc.user = { id: v.userId };
  if (from.ipAddress !== undefined) addSource(doc, from.ipAddress, v);
  if (v.userAgent !== undefined) doc.user_agent = v.userAgent;
  if (from.apiPath !== undefined) {
    (audit ??= newAudit(doc)).api_path = from.apiPath;
    if (v.url !== undefined) doc.url = v.url;
  }
  if (from.sessionId !== undefined) (audit ??= newAudit(doc)).session = { id: from.sessionId };
  if (from.deviceId !== undefined) (audit ??= newAudit(doc)).device = { id: from.deviceId };
  if (from.clusterId !== undefined) (audit ??= newAudit(doc)).cluster = { id: from.clusterId };

  const target = targetOf(v);
  if (target !== undefined) userOf(doc).target = target;
  if (from.team !== undefined) (audit ??= newAudit(doc)).team = from.team;
  if (from.code !== undefined) doc.http = { response: { status_code: from.code } };
  if (v.post !== undefined) (audit ??= newAudit(doc)).post = v.post;
  if (from.patch !== undefined) (audit ??= newAudit(doc)).patch = from.patch;
  if (from.channel !== undefined) (audit ??= newAudit(doc)).channel = from.channel;

  if (v.changedName !== undefined) userOf(doc).changes = { name: v.changedName };
  if (v.group !== undefined) {
    if (!v.groupOnTarget) doc.group = v.group;
    else {
      const user = userOf(doc);
      ((user.target as JsonObject | undefined) ?? (user.target = {})).group = v.group;
    }
  }
  addRelated(doc, audit, v);
  if (original !== undefined) event.original = original;
}

/** source.address, and source.ip with its GeoIP fields for an address. */
function addSource(doc: EcsDocument, address: string, v: UsualValues): void {
  if (v.sourceIp === undefined) {
    doc.source = { address };
    return;
  }
  const source: JsonObject = { address, ip: v.sourceIp };
  doc.source = source;
  if (v.sourceGeo?.geo) source.geo = v.sourceGeo.geo;
  if (v.sourceGeo?.as) source.as = v.sourceGeo.as;
}

/** user.target: the line's user object's id, name and roles, those it has. */
function targetOf(v: UsualValues): JsonObject | undefined {
  if (!v.hasTarget) return undefined;
  const user = v.line.user!;
  const target: JsonObject = {};
  if (user.id !== undefined) target.id = user.id;
  if (user.name !== undefined) target.name = user.name;
  if (v.targetRoles !== undefined) target.roles = v.targetRoles;
  return target;
}

/** related.user, related.ip, mattermost.audit.related.channel and .team: each value once, in the pipeline's order. */
function addRelated(doc: EcsDocument, audit: JsonObject | undefined, v: UsualValues): void {
  const user = v.relatedUsers;
  if (user !== undefined) doc.related = v.sourceIp === undefined ? { user } : { user, ip: [v.sourceIp] };
  else if (v.sourceIp !== undefined) doc.related = { ip: [v.sourceIp] };
  const channel = v.relatedChannels;
  const team = v.line.team?.id;
  if (channel === undefined && team === undefined) return;
  // A channel or team id comes from an object under mattermost.audit: `audit` is there.
  const related: JsonObject = {};
  if (channel !== undefined) related.channel = channel;
  if (team !== undefined) related.team = [team];
  audit!.related = related;
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
