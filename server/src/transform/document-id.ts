import { createHash, hash } from 'node:crypto';

/**
 * A stable `_id`: the same record from the same source always hashes to the same id, so a
 * retried bulk `create` answers 409 instead of indexing it twice.
 */
export function documentId(raw: string | Uint8Array, sourceIdentity = ''): string {
  // One-shot hash of the joined text: about two thirds of the time of a Hash object's three updates.
  if (typeof raw === 'string') return hash('sha256', `${sourceIdentity}\n${raw}`, 'base64url').slice(0, 32);
  return createHash('sha256').update(sourceIdentity).update('\n').update(raw).digest('base64url').slice(0, 32);
}
