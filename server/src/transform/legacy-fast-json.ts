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
import type { JsonWriter } from './json-writer.js';
import type { UsualValues } from './legacy-usual-values.js';
import type { JsonObject, TransformMeta } from './types.js';

const KEEP_ORIGINAL_TAGS = [PRESERVE_ORIGINAL_TAG];
const NO_TAGS: string[] = [];
// Made once: a template literal is a new string for each call, to be flattened again before it is read.
const DOCUMENT_START_JSON = `{"ecs":{"version":"${ECS_VERSION}"},"event":{`;

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
  out.ascii(DOCUMENT_START_JSON);
  if (from.event !== undefined) writeString(out, 'action', from.event);
  writeString(out, 'outcome', v.outcome);
  out.ascii(',"kind":"event","category":');
  out.stringList(v.categorization.category);
  out.ascii(',"type":');
  out.stringList(v.categorization.type);
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
  writeValue(out, 'url', v.url);
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
  if (from.apiPath !== undefined) writeString(out, 'api_path', from.apiPath);
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
  if (v.userId !== undefined) writeString(out, 'id', v.userId);
  const targetGroup = v.groupOnTarget ? v.group : undefined;
  if (v.hasTarget || targetGroup !== undefined) {
    const user = v.line.user;
    out.key('target');
    out.ascii('{');
    writeValue(out, 'id', user?.id);
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
  writeString(out, 'address', address);
  if (v.sourceIp !== undefined) {
    writeString(out, 'ip', v.sourceIp);
    writeValue(out, 'geo', v.sourceGeo?.geo);
    writeValue(out, 'as', v.sourceGeo?.as);
  }
  out.ascii('}');
}

function writeRelated(out: JsonWriter, v: UsualValues): void {
  if (v.relatedUsers === undefined && v.sourceIp === undefined) return;
  out.key('related');
  out.ascii('{');
  writeValue(out, 'user', v.relatedUsers);
  if (v.sourceIp !== undefined) {
    out.key('ip');
    out.ascii('[');
    out.string(v.sourceIp);
    out.ascii(']');
  }
  out.ascii('}');
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
