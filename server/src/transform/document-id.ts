import { createHash } from 'node:crypto';

/**
 * A stable `_id`: the same record from the same source always hashes to the same id, so a
 * retried bulk `create` answers 409 instead of indexing it twice.
 */
export function documentId(raw: string | Uint8Array, sourceIdentity = ''): string {
  return createHash('sha256').update(sourceIdentity).update('\n').update(raw).digest('base64url').slice(0, 32);
}
