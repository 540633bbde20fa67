/**
 * The usual legacy line's document (legacy-fast-path.ts builds it as an object) written straight
 * as JSON text, its envelope included: what the transform threads send, with no object graph made
 * and no JSON.stringify over it, which together took about two thirds of a legacy line's time
 * there. The values are legacy-usual-values.ts's, the same for both; this file says only where
 * each goes, in the order the object gets its keys, and test/legacy-fast-json.test.ts holds its
 * text to JSON.stringify of the object, byte for byte. A document that pruneEmpty would change is
 * left to the object.
 */
import { writeEnvelope, writeEventEnvelope, ECS_VERSION, PRESERVE_ORIGINAL_TAG } from './envelope.js';
import type { Categorization } from './audit-event-catalog.js';
import type { JsonWriter } from './json-writer.js';
import type { UsualValues } from './legacy-usual-values.js';
import type { JsonObject, TransformMeta } from './types.js';

const KEEP_ORIGINAL_TAGS = [PRESERVE_ORIGINAL_TAG];
const NO_TAGS: string[] = [];
// Constant text as bytes, made once: one copy, where a byte loop costs some 5 ns a byte.
const DOCUMENT_START_JSON = new TextEncoder().encode(`{"ecs":{"version":"${ECS_VERSION}"},"event":{`);

/**
 * Where the values that the document holds more than once were written first, in the writer's
 * current document, so that their next fields copy those bytes (JsonWriter.again): the API path
 * (mattermost.audit.api_path, url.original, url.path), the address (source.address, source.ip,
 * related.ip), the user's id (user.id, user.target.id, related.user). -1: not written yet.
 */
class FirstWritten {
  apiPathStart = -1;
  apiPathEnd = -1;
  addressStart = -1;
  addressEnd = -1;
  userIdStart = -1;
  userIdEnd = -1;

  reset(): void {
    this.apiPathStart = this.apiPathEnd = this.addressStart = this.addressEnd = this.userIdStart = this.userIdEnd = -1;
  }
}

/** One instance, reset per document (the transform is synchronous). */
const first = new FirstWritten();

/*
 * mattermost.audit and user are made by the first step that writes under them (legacy-fast-path.ts):
 * their place among the document's keys is that step's. These say which step is first.
 */
const AUDIT_AT_ERRORS = 1;
const AUDIT_AT_API_PATH = 2;
const AUDIT_AT_IDS = 3;
const AUDIT_AT_TEAM = 4;
const AUDIT_AT_OBJECTS = 5;
const USER_AT_ID = 1;
const USER_AT_TARGET = 2;
const USER_AT_IAM = 3;

/**
 * Writes the whole document of a usual line into `out`, from its values (usualValuesOf), when
 * none of them is empty; `original`: the line, for event.original (meta.keepOriginal).
 */
export function writeUsualLegacyJson(out: JsonWriter, v: UsualValues, meta: TransformMeta, original: string | undefined): void {
  const from = v.line;
  first.reset();
  out.bytes(DOCUMENT_START_JSON);
  if (from.event !== undefined) writeString(out, 'action', from.event);
  writeString(out, 'outcome', v.outcome);
  out.bytes(categorizationJson(v.categorization));
  if (original !== undefined) writeString(out, 'original', original);
  writeEventEnvelope(out, meta);
  out.ascii('}');
  writeString(out, '@timestamp', v.timestamp);
  if (from.err !== undefined) writeId(out, 'error', 'code', from.err);
  const auditAt = auditStep(v);
  const userAt = userStep(v);
  if (auditAt === AUDIT_AT_ERRORS) writeAudit(out, v);
  if (userAt === USER_AT_ID) writeUser(out, v);
  if (from.ipAddress !== undefined) writeSource(out, from.ipAddress, v);
  if (v.userAgent !== undefined) {
    out.key('user_agent');
    out.bytes(userAgentJson(v.userAgent));
  }
  if (auditAt === AUDIT_AT_API_PATH) writeAudit(out, v);
  writeUrl(out, v.url, from.apiPath);
  if (auditAt === AUDIT_AT_IDS) writeAudit(out, v);
  if (userAt === USER_AT_TARGET) writeUser(out, v);
  if (auditAt === AUDIT_AT_TEAM) writeAudit(out, v);
  if (from.code !== undefined) {
    out.key('http');
    out.ascii('{"response":{"status_code":');
    out.value(from.code);
    out.ascii('}}');
  }
  if (auditAt === AUDIT_AT_OBJECTS) writeAudit(out, v);
  if (userAt === USER_AT_IAM) writeUser(out, v);
  if (!v.groupOnTarget) writeValue(out, 'group', v.group);
  writeRelated(out, v);
  writeEnvelope(out, meta, original === undefined ? NO_TAGS : KEEP_ORIGINAL_TAGS);
  out.ascii('}');
}

function auditStep(v: UsualValues): number {
  const from = v.line;
  if (v.errors !== undefined) return AUDIT_AT_ERRORS;
  if (from.apiPath !== undefined) return AUDIT_AT_API_PATH;
  if (from.sessionId !== undefined || from.deviceId !== undefined || from.clusterId !== undefined) return AUDIT_AT_IDS;
  if (from.team !== undefined) return AUDIT_AT_TEAM;
  if (v.post !== undefined || from.patch !== undefined || from.channel !== undefined) return AUDIT_AT_OBJECTS;
  return 0;
}

function userStep(v: UsualValues): number {
  if (v.userId !== undefined) return USER_AT_ID;
  if (v.hasTarget) return USER_AT_TARGET;
  if (v.changedName !== undefined || (v.group !== undefined && v.groupOnTarget)) return USER_AT_IAM;
  return 0;
}

/** mattermost.audit, whole: its keys in the order of the steps that write them. */
function writeAudit(out: JsonWriter, v: UsualValues): void {
  const from = v.line;
  out.key('mattermost');
  out.ascii('{"audit":{');
  if (v.errors !== undefined) {
    out.key('error');
    out.ascii('{"message":');
    out.stringList(v.errors);
    out.ascii('}');
  }
  if (from.apiPath !== undefined) {
    out.key('api_path');
    first.apiPathStart = out.length;
    out.string(from.apiPath);
    first.apiPathEnd = out.length;
  }
  if (from.sessionId !== undefined) writeId(out, 'session', 'id', from.sessionId);
  if (from.deviceId !== undefined) writeId(out, 'device', 'id', from.deviceId);
  if (from.clusterId !== undefined) writeId(out, 'cluster', 'id', from.clusterId);
  writeValue(out, 'team', from.team);
  writeValue(out, 'post', v.post);
  writeValue(out, 'patch', from.patch);
  writeValue(out, 'channel', from.channel);
  const team = from.team?.id;
  if (v.relatedChannels !== undefined || team !== undefined) {
    out.key('related');
    out.ascii('{');
    writeValue(out, 'channel', v.relatedChannels);
    if (team !== undefined) {
      out.key('team');
      out.ascii('[');
      out.value(team);
      out.ascii(']');
    }
    out.ascii('}');
  }
  out.ascii('}}');
}

/** user, whole: id, target (with the team's group for member actions), changes. */
function writeUser(out: JsonWriter, v: UsualValues): void {
  out.key('user');
  out.ascii('{');
  if (v.userId !== undefined) {
    out.key('id');
    first.userIdStart = out.length;
    out.string(v.userId);
    first.userIdEnd = out.length;
  }
  const targetGroup = v.groupOnTarget ? v.group : undefined;
  if (v.hasTarget || targetGroup !== undefined) {
    const user = v.line.user;
    out.key('target');
    out.ascii('{');
    if (user?.id !== undefined) {
      out.key('id');
      writeAgain(out, user.id as string, v.userId, first.userIdStart, first.userIdEnd);
    }
    writeValue(out, 'name', user?.name);
    writeValue(out, 'roles', v.targetRoles);
    writeValue(out, 'group', targetGroup);
    out.ascii('}');
  }
  if (v.changedName !== undefined) writeId(out, 'changes', 'name', v.changedName);
  out.ascii('}');
}

function writeSource(out: JsonWriter, address: string, v: UsualValues): void {
  out.key('source');
  out.ascii('{');
  out.key('address');
  first.addressStart = out.length;
  out.string(address);
  first.addressEnd = out.length;
  if (v.sourceIp !== undefined) {
    out.key('ip');
    writeAgain(out, v.sourceIp, address, first.addressStart, first.addressEnd);
    writeValue(out, 'geo', v.sourceGeo?.geo);
    writeValue(out, 'as', v.sourceGeo?.as);
  }
  out.ascii('}');
}

function writeRelated(out: JsonWriter, v: UsualValues): void {
  if (v.relatedUsers === undefined && v.sourceIp === undefined) return;
  out.key('related');
  out.ascii('{');
  const users = v.relatedUsers;
  if (users !== undefined) {
    out.key('user');
    out.ascii('[');
    for (let i = 0; i < users.length; i++) {
      if (i > 0) out.ascii(',');
      writeAgain(out, users[i]!, v.userId, first.userIdStart, first.userIdEnd);
    }
    out.ascii(']');
  }
  if (v.sourceIp !== undefined) {
    out.key('ip');
    out.ascii('[');
    writeAgain(out, v.sourceIp, v.line.ipAddress, first.addressStart, first.addressEnd);
    out.ascii(']');
  }
  out.ascii('}');
}

/** `value`, as the bytes [start, end) written before when those are `written`'s. */
function writeAgain(out: JsonWriter, value: string, written: string | undefined, start: number, end: number): void {
  if (start >= 0 && value === written) out.again(start, end);
  else out.string(value);
}

/**
 * url: for Mattermost's plain API path ({original, path[, extension]}, both the path), its two
 * copies of the path are those of mattermost.audit.api_path, written before it.
 */
function writeUrl(out: JsonWriter, url: JsonObject | undefined, apiPath: string | undefined): void {
  if (url === undefined) return;
  if (apiPath === undefined || first.apiPathStart < 0 || !isPathOnly(url, apiPath)) {
    writeValue(out, 'url', url);
    return;
  }
  out.key('url');
  out.ascii('{"original":');
  out.again(first.apiPathStart, first.apiPathEnd);
  out.ascii(',"path":');
  out.again(first.apiPathStart, first.apiPathEnd);
  writeValue(out, 'extension', url.extension);
  out.ascii('}');
}

const URL_KEYS = ['original', 'path', 'extension'];

/** Whether the url's keys are original and path (and an extension), in that order, both `path`. */
function isPathOnly(url: JsonObject, path: string): boolean {
  let i = 0;
  for (const key in url) if (key !== URL_KEYS[i++]) return false;
  return i >= 2 && url.original === path && url.path === path;
}

function writeString(out: JsonWriter, key: string, value: string): void {
  out.key(key);
  out.string(value);
}

/** The key and its value, unless there is none (JSON.stringify leaves undefined out). */
function writeValue(out: JsonWriter, key: string, value: unknown): void {
  if (value === undefined) return;
  out.key(key);
  out.value(value);
}

/** `{"name":"value"}` under `key`. */
function writeId(out: JsonWriter, key: string, name: string, value: string): void {
  out.key(key);
  out.ascii('{');
  writeString(out, name, value);
  out.ascii('}');
}

/**
 * event.kind, category and type: a catalog entry's text, made once (the catalog's entries are
 * constants, a few hundred at most), from the comma after event.outcome.
 */
const categorizationTexts = new WeakMap<Categorization, Uint8Array>();

function categorizationJson(categorization: Categorization): Uint8Array {
  let json = categorizationTexts.get(categorization);
  if (json === undefined) {
    const text = `,"kind":"event","category":${JSON.stringify(categorization.category)},"type":${JSON.stringify(categorization.type)}`;
    json = Buffer.from(text);
    categorizationTexts.set(categorization, json);
  }
  return json;
}

/**
 * A client's parse is one frozen object for all its documents (user-agent.ts): its JSON is made
 * once, and kept as long as the parse is.
 */
const userAgentTexts = new WeakMap<JsonObject, Uint8Array>();

function userAgentJson(userAgent: JsonObject): Uint8Array {
  let json = userAgentTexts.get(userAgent);
  if (json === undefined) {
    json = Buffer.from(JSON.stringify(userAgent));
    if (Object.isFrozen(userAgent)) userAgentTexts.set(userAgent, json);
  }
  return json;
}
