import { createHash, hash } from 'node:crypto';

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
 */
export function documentId(raw: string | Uint8Array, sourceIdentity = '', timestamp?: unknown): string {
  const ms = typeof timestamp === 'string' ? Date.parse(timestamp) : Number.NaN;
  if (!(ms >= 0 && ms < MAX_PREFIX_MS)) return recordHash(raw, sourceIdentity).slice(0, 32);
  // 6 and 18 bytes are whole groups of 3: their base64 texts joined are the base64 of the 24 bytes.
  return timePrefix(Math.floor(ms)) + recordHash(raw, sourceIdentity).slice(0, 24);
}

/** The base64url text of `ms` as 6 big-endian bytes: 8 characters of 6 bits each. */
function timePrefix(ms: number): string {
  let text = '';
  for (let shift = 42; shift >= 0; shift -= 6) text += BASE64URL[Math.floor(ms / 2 ** shift) % 64];
  return text;
}

function recordHash(raw: string | Uint8Array, sourceIdentity: string): string {
  // One-shot hash of the joined text: about two thirds of the time of a Hash object's three updates.
  if (typeof raw === 'string') return hash('sha256', `${sourceIdentity}\n${raw}`, 'base64url');
  return createHash('sha256').update(sourceIdentity).update('\n').update(raw).digest('base64url');
}
