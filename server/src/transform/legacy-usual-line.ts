/**
 * The read of the legacy fast path (legacy-fast-path.ts): whether a parsed legacy line is usual —
 * the keys the pipeline reads hold strings (`code` a number too), its objects (user, team, post,
 * patch, channel) hold only strings, no key the pipeline would refuse to rename onto, no other key
 * holds an object or a list — and what it holds, its keys counted and its shortest JSON text
 * measured on the way. It reads what JSON.parse made of the line: a reader of the text itself,
 * tried, took twice JSON.parse's time (a call from JavaScript into a string builtin per token costs
 * more than JSON.parse spends per key).
 */
import { isObject } from './ingest-document.js';
import type { JsonObject } from './types.js';

/** What the read found in one line; one instance, reset per line (toEcs is synchronous). */
export class UsualLine {
  timestamp: string | undefined;
  event: string | undefined;
  status: string | undefined;
  err: string | undefined;
  errors: string | undefined;
  userId: string | undefined;
  loginId: string | undefined;
  ipAddress: string | undefined;
  client: string | undefined;
  apiPath: string | undefined;
  sessionId: string | undefined;
  deviceId: string | undefined;
  clusterId: string | undefined;
  code: string | number | undefined;
  user: JsonObject | undefined;
  team: JsonObject | undefined;
  post: JsonObject | undefined;
  patch: JsonObject | undefined;
  channel: JsonObject | undefined;
  /** Keys in the line, nested ones included: the repeated-key check compares them with the text's. */
  keys = 0;
  /** The fewest characters of any JSON text that parses to the line (see repeatsNoKey). */
  shortestText = 0;
  /** A value pruneEmpty removes ("" or an empty object) is among those read. */
  empty = false;

  constructor() {
    this.reset();
  }

  reset(): void {
    this.timestamp = this.event = this.status = this.err = this.errors = this.userId = this.loginId = undefined;
    this.ipAddress = this.client = this.apiPath = this.sessionId = this.deviceId = this.clusterId = this.code = undefined;
    this.user = this.team = this.post = this.patch = this.channel = undefined;
    this.keys = 0;
    this.shortestText = 0;
    this.empty = false;
  }
}

/** Keys the pipeline reads that hold strings in the usual line (`code` a number too). */
const STRING_KEYS = new Set([
  'timestamp', 'event', 'status', 'err', 'errors', 'user_id', 'login_id', 'ip_address', 'client', 'api_path', 'session_id',
  'device_id', 'cluster_id', 'code',
]);
/** Keys the pipeline reads that hold objects in the usual line, or (the last two) are never in it. */
const OBJECT_KEYS = new Set(['user', 'team', 'post', 'patch', 'patched', 'channel', 'channeld', 'remove_user_id', 'user_ids']);

/** Whether the line is usual (see the top of this file); fills `into`. */
export function readUsualLine(record: JsonObject, into: UsualLine): boolean {
  into.reset();
  let keys = 0;
  // `{}`, a comma between two keys, and per key its quotes and colon.
  let shortest = 1;
  for (const key in record) {
    keys++;
    shortest += key.length + 4;
    const value = record[key];
    if (typeof value === 'string') {
      if (!takeString(key, value, into)) return false;
      shortest += value.length + 2;
    } else if (isObject(value)) {
      const inner = stringValues(value, into);
      if (inner < 0 || !takeObject(key, value, into)) return false;
      keys += inner;
      shortest += into.shortestText;
    } else if (typeof value === 'number' && key === 'code') {
      into.code = value;
      shortest += 1;
    } else if (Array.isArray(value) || STRING_KEYS.has(key) || OBJECT_KEYS.has(key)) {
      // A list may hold objects, whose keys count; where the pipeline reads, a null or a number is not usual.
      return false;
    } else {
      // Any other key holds a scalar that the pipeline drops with `json`: at least one character (a digit).
      shortest += 1;
    }
  }
  into.keys = keys;
  into.shortestText = keys === 0 ? 2 : shortest;
  return true;
}

/**
 * Whether the text, which parsed to the line `from` read, is too short to repeat a key. A JSON text
 * is at least as long as its shortest form: a string as long as its value and its quotes, a number
 * one digit; a repeated key and its value add at least five characters (`"":0,`).
 */
export function repeatsNoKey(text: string, from: UsualLine): boolean {
  return text.length < from.shortestText + 5;
}

/** Takes a string value; true also for a key the pipeline does not read, false for one that needs an object. */
function takeString(key: string, value: string, into: UsualLine): boolean {
  switch (key) {
    case 'timestamp': into.timestamp = value; break;
    case 'event': into.event = value; break;
    case 'status': into.status = value; break;
    case 'err': into.err = value; break;
    case 'errors': into.errors = value; break;
    case 'user_id': into.userId = value; break;
    case 'login_id': into.loginId = value; break;
    case 'ip_address': into.ipAddress = value; break;
    case 'client': into.client = value; break;
    case 'api_path': into.apiPath = value; break;
    case 'session_id': into.sessionId = value; break;
    case 'device_id': into.deviceId = value; break;
    case 'cluster_id': into.clusterId = value; break;
    case 'code': into.code = value; break;
    default: return !OBJECT_KEYS.has(key);
  }
  if (value === '') into.empty = true;
  return true;
}

function takeObject(key: string, value: JsonObject, into: UsualLine): boolean {
  switch (key) {
    case 'user': into.user = value; return true;
    case 'team': into.team = value; return true;
    // Its channel_id moves to channel.id: a channel already there makes the rename fail.
    case 'post': into.post = value; return value.channel === undefined;
    // Both renamed onto one field: the second rename fails.
    case 'patch': case 'patched':
      if (into.patch !== undefined) return false;
      into.patch = value;
      return true;
    case 'channel': case 'channeld':
      if (into.channel !== undefined) return false;
      into.channel = value;
      return true;
    default: return false;
  }
}

/**
 * How many keys the object holds, all with string values; -1 when one is not a string (or is
 * `__proto__`). Leaves the length of its shortest JSON text in `into.shortestText`.
 */
function stringValues(object: JsonObject, into: UsualLine): number {
  let keys = 0;
  let shortest = 1;
  for (const key in object) {
    const value = object[key];
    if (typeof value !== 'string' || key === '__proto__') return -1;
    if (value === '') into.empty = true;
    keys++;
    shortest += key.length + value.length + 6;
  }
  if (keys === 0) into.empty = true;
  into.shortestText = keys === 0 ? 2 : shortest;
  return keys;
}
