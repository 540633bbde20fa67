/**
 * Legacy audit lines (Mattermost 5.x/6.x), processed as Elastic's Mattermost integration's ingest
 * pipeline processes them: a list of processors run in the same order, so the steps that can fail
 * in Elastic's pipeline fail here too (PipelineFailure), leaving the document as far as it got.
 * Every path is split once, when this module loads: the list runs for every legacy line.
 */
import { categorizeLegacy, setCategory } from './categorize.js';
import {
  appendUnique, dropUndefined, FieldPath, getPath, gsub, hasPath, isObject, javaSplit, rename, setPath, stringField,
} from './ingest-document.js';
import { isInetAddress } from './inet-address.js';
import { NumberLiterals, renderMustache } from './java-text.js';
import { parseLegacyTimestamp } from './timestamps.js';
import { PipelineFailure, type GeoLookup, type JsonObject } from './types.js';
import { urlParts } from './url-parts.js';
import { parseUserAgent } from './user-agent.js';

/** What a step may need besides the document: the GeoIP lookup, and the line's numbers as written. */
interface StepContext {
  geo: GeoLookup | undefined;
  numbers: NumberLiterals;
}

type Step = (doc: JsonObject, context: StepContext) => void;

const path = (text: string): FieldPath => new FieldPath(text);

/** Where renames move fields from: a failed document keeps these objects, without the moved keys. */
const RENAMED_FROM = new Set<string>(['json']);

/** The rename processor (ignore_missing). */
function renameStep(from: string, to: string): Step {
  const source = path(from);
  const target = path(to);
  RENAMED_FROM.add(source.keys.slice(0, -1).join('.'));
  return (doc) => rename(doc, source, target);
}

const JSON_TIMESTAMP = path('json.timestamp');
function setTimestamp(doc: JsonObject): void {
  const timestamp = getPath(doc, JSON_TIMESTAMP);
  if (!hasPath(doc, JSON_TIMESTAMP) || timestamp === null) {
    throw new PipelineFailure('field [timestamp] not present as part of path [json.timestamp]');
  }
  const parsedTimestamp = typeof timestamp === 'string' ? parseLegacyTimestamp(timestamp) : undefined;
  if (parsedTimestamp === undefined) throw new PipelineFailure(`unable to parse date [${String(timestamp)}]`);
  doc['@timestamp'] = parsedTimestamp;
}

const JSON_ERRORS = path('json.errors');
const ERROR_MESSAGE = path('mattermost.audit.error.message');
function renameErrors(doc: JsonObject): void {
  if (getPath(doc, JSON_ERRORS) !== '[]') rename(doc, JSON_ERRORS, ERROR_MESSAGE);
}

const BRACKETS = /[[\]]/g;
/** gsub of the brackets (a list item by item), then split with ignore_failure: only a string splits. */
function splitErrorMessages(doc: JsonObject): void {
  const messages = gsub(doc, ERROR_MESSAGE, BRACKETS, '');
  if (typeof messages === 'string') setPath(doc, ERROR_MESSAGE, javaSplit(messages, /,\s+/));
}

const JSON_STATUS = path('json.status');
const EVENT_OUTCOME = path('event.outcome');
function setOutcome(doc: JsonObject): void {
  const status = getPath(doc, JSON_STATUS);
  let outcome: string | undefined = status === 'success' ? 'success' : undefined;
  if (status === 'fail' || getPath(doc, ERROR_MESSAGE) != null) outcome = 'failure';
  setPath(doc, EVENT_OUTCOME, outcome ?? 'unknown');
}

const USER_ID = path('user.id');
const JSON_LOGIN_ID = path('json.login_id');
function renameLoginIdWithoutUserId(doc: JsonObject): void {
  if (getPath(doc, USER_ID) == null) rename(doc, JSON_LOGIN_ID, USER_ID);
}

const SOURCE_ADDRESS = path('source.address');
const SOURCE_IP = path('source.ip');
const SOURCE_GEO = path('source.geo');
const SOURCE_AS = path('source.as');
/**
 * convert to ip with ignore_failure, then the geoip lookups. A list converts item by item (an
 * empty one to an empty list, which related.ip then renders as "{}"); lists are not looked up.
 */
function addSourceIp(doc: JsonObject, { geo, numbers }: StepContext): void {
  const address = getPath(doc, SOURCE_ADDRESS);
  if (Array.isArray(address)) {
    const items = address.map((item) => (item === null ? 'null' : renderMustache(item, numbers)));
    if (items.every(isInetAddress)) setPath(doc, SOURCE_IP, items);
    return;
  }
  if (typeof address !== 'string' || !isInetAddress(address)) return;
  setPath(doc, SOURCE_IP, address);
  const found = geo?.(address);
  if (found?.geo) setPath(doc, SOURCE_GEO, found.geo);
  if (found?.as) setPath(doc, SOURCE_AS, found.as);
}

const JSON_CLIENT = path('json.client');
const USER_AGENT = path('user_agent');
function addUserAgent(doc: JsonObject): void {
  const client = stringField(doc, JSON_CLIENT);
  if (client !== undefined) setPath(doc, USER_AGENT, parseUserAgent(client));
}

const API_PATH = path('mattermost.audit.api_path');
function addUrl(doc: JsonObject): void {
  const apiPath = getPath(doc, API_PATH);
  const url = typeof apiPath === 'string' ? urlParts(apiPath) : undefined;
  if (url) doc.url = url;
}

const TARGET_ROLES = path('user.target.roles');
function splitTargetRoles(doc: JsonObject): void {
  const roles = stringField(doc, TARGET_ROLES);
  if (roles !== undefined) setPath(doc, TARGET_ROLES, javaSplit(roles, /\s+/));
}

const JSON_USER_IDS = path('json.user_ids');
function splitUserIds(doc: JsonObject): void {
  const userIds = gsub(doc, JSON_USER_IDS, BRACKETS, '');
  if (typeof userIds === 'string') setPath(doc, JSON_USER_IDS, javaSplit(userIds, /\s+/));
}

function categorize(doc: JsonObject): void {
  const event = doc.event as JsonObject;
  const categorization = categorizeLegacy(event.action);
  setCategory(event, categorization);
  if (categorization.category.includes('iam')) addIamFields(doc, event.action);
}

const IAM_OBJECTS = ['group', 'user', 'user.target', 'user.changes', 'user.target.group'].map(path);
const TARGET_NAME = path('user.target.name');
const CHANGED_NAME = path('user.changes.name');
const GROUP_NAME = path('group.name');
const GROUP_ID = path('group.id');
const TARGET_GROUP_NAME = path('user.target.group.name');
const TARGET_GROUP_ID = path('user.target.group.id');
/** Elastic's "Add ECS User fields" script, run for iam actions. */
function addIamFields(doc: JsonObject, action: unknown): void {
  for (const object of IAM_OBJECTS) {
    if (getPath(doc, object) == null) setPath(doc, object, {});
  }
  if (action === 'patchUser') {
    const patchedName = auditProperty(doc, 'patch', 'name');
    if (getPath(doc, TARGET_NAME) !== patchedName) setPath(doc, CHANGED_NAME, patchedName);
  } else if (action === 'createTeam' || action === 'patchTeam' || action === 'deleteTeam') {
    setPath(doc, GROUP_NAME, auditProperty(doc, 'team', 'name'));
    setPath(doc, GROUP_ID, auditProperty(doc, 'team', 'id'));
  } else if (action === 'addTeamMembers' || action === 'removeTeamMember') {
    setPath(doc, TARGET_GROUP_NAME, auditProperty(doc, 'team', 'name'));
    setPath(doc, TARGET_GROUP_ID, auditProperty(doc, 'team', 'id'));
  }
}

const AUDIT = path('mattermost.audit');
/**
 * `ctx.mattermost?.audit?.<object>?.<property>` in Painless: null-safe through missing values,
 * but a property read on a string or number is a script error.
 */
function auditProperty(doc: JsonObject, object: string, property: string): unknown {
  const audit = getPath(doc, AUDIT);
  const value = isObject(audit) ? audit[object] : undefined;
  if (value === undefined || value === null) return null;
  if (!isObject(value)) {
    throw new PipelineFailure(`dynamic getter [${typeof value}, ${property}] not found`);
  }
  return value[property] ?? null;
}

const RELATED_USER = path('related.user');
const RELATED_IP = path('related.ip');
const RELATED_CHANNEL = path('mattermost.audit.related.channel');
const RELATED_TEAM = path('mattermost.audit.related.team');
const USER_NAME = path('user.name');
const TARGET_ID = path('user.target.id');
const POST = path('mattermost.audit.post');
const POST_CHANNEL_ID = path('mattermost.audit.post.channel.id');
/** append `{{{field}}}` when the field is not null, without duplicates. */
function appendRendered(doc: JsonObject, target: FieldPath, value: unknown, numbers: NumberLiterals): void {
  if (value !== undefined && value !== null) appendUnique(doc, target, [renderMustache(value, numbers)]);
}

function addRelated(doc: JsonObject, { numbers }: StepContext): void {
  appendRendered(doc, RELATED_USER, getPath(doc, USER_NAME), numbers);
  appendRendered(doc, RELATED_USER, getPath(doc, CHANGED_NAME), numbers);
  appendRendered(doc, RELATED_USER, getPath(doc, USER_ID), numbers);
  const targetIds = getPath(doc, TARGET_ID);
  if (typeof targetIds === 'string') appendUnique(doc, RELATED_USER, [targetIds]);
  // foreach over the list: `{{{_ingest._value}}}` of each item, a null one rendering as nothing.
  else if (Array.isArray(targetIds)) appendUnique(doc, RELATED_USER, targetIds.map((id) => (id === null ? '' : renderMustache(id, numbers))));
  appendRendered(doc, RELATED_IP, getPath(doc, SOURCE_IP), numbers);
  const postChannel = getPath(doc, POST);
  if (postChannel != null && !isObject(postChannel)) {
    throw new PipelineFailure(`dynamic getter [${typeof postChannel}, channel] not found`);
  }
  appendRendered(doc, RELATED_CHANNEL, getPath(doc, POST_CHANNEL_ID), numbers);
  appendRendered(doc, RELATED_CHANNEL, auditProperty(doc, 'channel', 'id'), numbers);
  appendRendered(doc, RELATED_TEAM, auditProperty(doc, 'team', 'id'), numbers);
}

/** Elastic's processors in their order; the parsed line sits at `doc.json` while they run. */
const PIPELINE: readonly Step[] = [
  setTimestamp,
  renameStep('json.event', 'event.action'),
  renameStep('json.err', 'error.code'),
  renameErrors,
  splitErrorMessages,
  setOutcome,
  renameStep('json.user_id', 'user.id'),
  renameLoginIdWithoutUserId,
  renameStep('json.ip_address', 'source.address'),
  addSourceIp,
  addUserAgent,
  renameStep('json.api_path', 'mattermost.audit.api_path'),
  addUrl,
  renameStep('json.session_id', 'mattermost.audit.session.id'),
  renameStep('json.device_id', 'mattermost.audit.device.id'),
  renameStep('json.cluster_id', 'mattermost.audit.cluster.id'),
  renameStep('json.user.id', 'user.target.id'),
  renameStep('json.user.name', 'user.target.name'),
  renameStep('json.user.roles', 'user.target.roles'),
  splitTargetRoles,
  renameStep('json.remove_user_id', 'user.target.id'),
  splitUserIds,
  renameStep('json.user_ids', 'user.target.id'),
  renameStep('json.team', 'mattermost.audit.team'),
  renameStep('json.code', 'http.response.status_code'),
  renameStep('json.post', 'mattermost.audit.post'),
  renameStep('mattermost.audit.post.channel_id', 'mattermost.audit.post.channel.id'),
  renameStep('json.patch', 'mattermost.audit.patch'),
  renameStep('json.patched', 'mattermost.audit.patch'),
  renameStep('json.channel', 'mattermost.audit.channel'),
  renameStep('json.channeld', 'mattermost.audit.channel'),
  categorize,
  addRelated,
];
const RENAMED_FROM_PATHS = [...RENAMED_FROM].map(path);

/**
 * Runs the pipeline on `doc.json`, parsed from `text`; the caller drops what remains of `json`
 * (or keeps it, as Elastic does, in a failed document).
 */
export function applyLegacyPipeline(doc: JsonObject, geo: GeoLookup | undefined, text: string): void {
  const context: StepContext = { geo, numbers: new NumberLiterals(text) };
  try {
    for (const step of PIPELINE) step(doc, context);
  } catch (error) {
    // The failed document is not pruned: the keys rename left undefined go now (see rename).
    for (const parent of RENAMED_FROM_PATHS) dropUndefined(doc, parent);
    throw error;
  }
}
