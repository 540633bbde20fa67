/**
 * How many replicas a master's writes must reach unless REDIS_MIN_REPLICAS says: the replicas it
 * reports connected, and for REMEMBER_MS after one drops off, the count before. A master that
 * just lost a replica is often a master being switched over (its replica is being promoted) or
 * cut off from it: what it takes now would be lost with it, so such writes are refused a while
 * (503) instead of acknowledged. Remembered per replication id: a promoted replica is a new
 * master with a new id, and starts from what it reports.
 */
import type { Redis } from 'ioredis';

const REMEMBER_MS = 30_000;
/** How long one INFO answer is used before asking again. */
const CACHE_MS = 1000;

export interface ReplicationInfo {
  connected: number;
  replicationId: string | undefined;
}

/** `connected_slaves:N` (a replica still in its first sync is connected too) and `master_replid`. */
export function parseReplicationInfo(info: string): ReplicationInfo {
  return {
    connected: Number(/^connected_slaves:(\d+)/m.exec(info)?.[1] ?? 0),
    replicationId: /^master_replid:(\w+)/m.exec(info)?.[1],
  };
}

export class ReplicaCount {
  private readonly answers = new WeakMap<Redis, { at: number; count: Promise<number> }>();
  private readonly highest = new Map<string, { count: number; at: number }>();

  /** The replicas `node`'s writes must reach now. */
  required(node: Redis): Promise<number> {
    const cached = this.answers.get(node);
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.count;
    const count = node.info('replication').then((info) => this.remember(parseReplicationInfo(info)));
    count.catch(() => this.answers.delete(node));
    this.answers.set(node, { at: Date.now(), count });
    return count;
  }

  private remember({ connected, replicationId }: ReplicationInfo): number {
    if (replicationId === undefined) return connected;
    const now = Date.now();
    for (const [id, entry] of this.highest) if (now - entry.at > REMEMBER_MS) this.highest.delete(id);
    const before = this.highest.get(replicationId);
    if (!before || connected >= before.count) {
      this.highest.set(replicationId, { count: connected, at: now });
      return connected;
    }
    return before.count;
  }
}
