/**
 * How far the REST poller has queued a Mattermost server's audits: the newest create_at queued,
 * and the ids queued within RECENT_WINDOW_MS before it. The window (rather than only the ids at
 * that exact millisecond) also catches an audit saved a little late by another cluster node,
 * with a create_at older than one already queued. Only the holder of the poll lease moves it,
 * and a move counts once the replicas hold it.
 */
import { z } from 'zod';
import type { RedisClient } from '../../queue/redis-connection.js';
import type { ReplicaAcks } from '../../queue/replica-acks.js';
import type { Audit } from './mattermost-audits-client.js';

export const RECENT_WINDOW_MS = 10_000;

const checkpointSchema = z.object({ newest: z.number().int(), recent: z.record(z.string(), z.number().int()) });

export interface RestCheckpoint {
  newest: number;
  /** id → create_at of the audits queued with create_at ≥ newest − RECENT_WINDOW_MS. */
  recent: Record<string, number>;
}

export function restCheckpointKey(prefix: string, origin: string): string {
  return `${prefix}:checkpoints:rest:${origin}`;
}

// KEYS: checkpoint, lease; ARGV: checkpoint JSON, holder.
const SAVE_IF_HOLDER = `if redis.call('GET', KEYS[2]) ~= ARGV[2] then return 0 end redis.call('SET', KEYS[1], ARGV[1]) return 1`;

export class RestCheckpointStore {
  constructor(private readonly redis: RedisClient, readonly key: string, private readonly replicas: ReplicaAcks) {}

  /** undefined: nothing queued yet (or unreadable, which the caller reports). */
  async load(): Promise<RestCheckpoint | undefined> {
    const text = await this.redis.get(this.key);
    if (text === null) return undefined;
    const parsed = checkpointSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`unreadable REST checkpoint at ${this.key}`);
    return parsed.data;
  }

  /** false: `holder` no longer holds the lease (another process polls now), nothing written. */
  async save(checkpoint: RestCheckpoint, lease: { key: string; holder: string }): Promise<boolean> {
    const saved = await this.replicas.durably(() => this.redis.eval(SAVE_IF_HOLDER, 2, this.key, lease.key, JSON.stringify(checkpoint), lease.holder));
    return saved === 1;
  }
}

/** Whether an audit is older than anything a poll has to look at (paging can stop there). */
export function beforeWindow(checkpoint: RestCheckpoint | undefined, audit: Audit): boolean {
  return checkpoint !== undefined && audit.create_at < checkpoint.newest - RECENT_WINDOW_MS;
}

export function alreadyQueued(checkpoint: RestCheckpoint | undefined, audit: Audit): boolean {
  if (!checkpoint) return false;
  return beforeWindow(checkpoint, audit) || checkpoint.recent[audit.id] !== undefined;
}

/** The checkpoint after `queued` (all of them in the queue now). */
export function advance(checkpoint: RestCheckpoint | undefined, queued: readonly Audit[]): RestCheckpoint {
  let newest = checkpoint?.newest ?? Number.NEGATIVE_INFINITY;
  for (const audit of queued) newest = Math.max(newest, audit.create_at);
  if (!Number.isFinite(newest)) return checkpoint ?? { newest: 0, recent: {} };
  const recent: Record<string, number> = {};
  const keep = (id: string, createAt: number) => {
    if (createAt >= newest - RECENT_WINDOW_MS) recent[id] = createAt;
  };
  for (const [id, createAt] of Object.entries(checkpoint?.recent ?? {})) keep(id, createAt);
  for (const audit of queued) keep(audit.id, audit.create_at);
  return { newest, recent };
}
