import { hash } from 'node:crypto';
import { isDecimalInteger, MAX_DECIMAL_DIGITS, writeDecimalDigits } from './decimal-digits.js';
import { timestampMillis } from './timestamps.js';

/** Milliseconds that fit the id's 6-byte time prefix: 1970 to the year 10889. */
const MAX_PREFIX_MS = 2 ** 48;
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * A stable `_id`: the same record from the same source always hashes to the same id, so a
 * retried bulk `create` answers 409 instead of indexing it twice. A document with a timestamp
 * gets an id that starts with it (6 bytes, big-endian, then 18 bytes of the hash; 32 base64url
 * characters either way): Elasticsearch stores such an id as its bytes, so a new document's id
 * lies past the ids of the older segments and its duplicate check skips them, as with
 * Elasticsearch's own time-based ids; random ids cost the node about 15% more per document.
 * `offset`, the record's place in its source (a file's byte offset), is hashed after the identity
 * as `@offset`.
 */
export function documentId(raw: string | Uint8Array, sourceIdentity = '', timestamp?: unknown, offset?: number): string {
  const ms = typeof timestamp === 'string' ? timestampMillis(timestamp) : Number.NaN;
  if (!(ms >= 0 && ms < MAX_PREFIX_MS)) return recordHash(raw, sourceIdentity, offset).slice(0, 32);
  // 6 and 18 bytes are whole groups of 3: their base64 texts joined are the base64 of the 24 bytes.
  return timePrefix(Math.floor(ms)) + recordHash(raw, sourceIdentity, offset).slice(0, 24);
}

/** 2^18 ms (about 4.4 minutes): the time prefix's first 5 characters change only this often. */
const PREFIX_HEAD_MS = 2 ** 18;
let headOf = -1;
let head = '';

/**
 * The base64url text of `ms` as 6 big-endian bytes: 8 characters of 6 bits each. The first 5 are
 * kept from the last call (records come in time order), the last 3 are the low 18 bits.
 */
function timePrefix(ms: number): string {
  const high = Math.floor(ms / PREFIX_HEAD_MS);
  if (high !== headOf) {
    headOf = high;
    head = '';
    for (let shift = 24; shift >= 0; shift -= 6) head += BASE64URL[Math.floor(high / 2 ** shift) % 64];
  }
  const low = ms - high * PREFIX_HEAD_MS;
  return head + BASE64URL[low >> 12]! + BASE64URL[(low >> 6) & 63]! + BASE64URL[low & 63]!;
}

/** Where the bytes of a record's hash are put together: the source, its offset, a newline, the record. */
let scratch = Buffer.allocUnsafeSlow(16 * 1024);
/** The identity whose bytes the scratch buffer starts with: a batch's records share one, written once. */
let scratchIdentity: string | undefined;
let scratchIdentityBytes = 0;
/** A bigger record gets a buffer of its own, not a scratch buffer that stays that big. */
const MAX_SCRATCH_BYTES = 1024 * 1024;
/** The most bytes of `@offset` and the newline. */
const MAX_OFFSET_BYTES = MAX_DECIMAL_DIGITS + 2;

function recordHash(raw: string | Uint8Array, sourceIdentity: string, offset: number | undefined): string {
  // One-shot hash of the joined text: about two thirds of the time of a Hash object's three updates.
  if (typeof raw === 'string') return hash('sha256', `${placeOf(sourceIdentity, offset)}\n${raw}`, 'base64url');
  // Bytes (a file's line) are hashed as they are, not transcoded from a string first: half the time.
  if (offset !== undefined && !isDecimalInteger(offset)) return hashBytes(placeOf(sourceIdentity, offset), undefined, raw);
  return hashBytes(sourceIdentity, offset, raw);
}

function placeOf(sourceIdentity: string, offset: number | undefined): string {
  return offset === undefined ? sourceIdentity : `${sourceIdentity}@${offset}`;
}

/** The hash of `identity[@offset]\n` and `raw`; `offset` isDecimalInteger when given. */
function hashBytes(identity: string, offset: number | undefined, raw: Uint8Array): string {
  const most = identity.length * 3 + MAX_OFFSET_BYTES + raw.length;
  if (most > scratch.length && most <= MAX_SCRATCH_BYTES) {
    scratch = Buffer.allocUnsafeSlow(Math.min(Math.max(most, 2 * scratch.length), MAX_SCRATCH_BYTES));
    scratchIdentity = undefined;
  }
  let joined = scratch;
  let length: number;
  if (most > scratch.length) {
    joined = Buffer.allocUnsafe(most);
    length = joined.write(identity, 0);
  } else if (identity === scratchIdentity) {
    length = scratchIdentityBytes;
  } else {
    length = scratchIdentityBytes = scratch.write(identity, 0);
    scratchIdentity = identity;
  }
  if (offset !== undefined) {
    joined[length++] = 0x40;
    length = writeDecimalDigits(joined, length, offset);
  }
  joined[length++] = 10;
  joined.set(raw, length);
  length += raw.length;
  return hash('sha256', joined.subarray(0, length), 'base64url');
}
