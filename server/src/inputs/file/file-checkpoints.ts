/**
 * Where each file's reading stands, in Redis so that a restarted (or replaced) process resumes:
 * one hash per host, field = file identity, value = JSON. An offset is written only after the
 * queue holds every line before it, so resuming from it can repeat lines (same document ids)
 * but never skip one. A save counts once the replicas hold it (a failover keeps it).
 */
import { z } from 'zod';
import type { RedisClient } from '../../queue/redis-connection.js';
import type { ReplicaAcks } from '../../queue/replica-acks.js';

export interface FileCheckpoint {
  identity: string;
  path: string;
  dev: string;
  ino: string;
  fingerprint: string;
  /** Start of the first line not yet queued. */
  offset: number;
  updatedAt: string;
}

const checkpointSchema = z.object({
  identity: z.string().min(1),
  path: z.string().min(1),
  dev: z.string(),
  ino: z.string(),
  fingerprint: z.string().min(1),
  offset: z.number().int().min(0),
  updatedAt: z.string(),
});

/** Marks that this host has read before: AUDIT_LOG_START=end only applies to a first start. */
const STARTED_FIELD = '@started';

export function fileCheckpointsKey(prefix: string, hostName: string): string {
  return `${prefix}:checkpoints:${hostName}`;
}

export interface LoadedCheckpoints {
  entries: Map<string, FileCheckpoint>;
  firstStart: boolean;
  /** Fields that did not parse: reported, then ignored (the file is read as unknown). */
  invalid: string[];
}

export class FileCheckpoints {
  constructor(private readonly redis: RedisClient, readonly key: string, private readonly replicas: ReplicaAcks) {}

  async load(): Promise<LoadedCheckpoints> {
    const hash = await this.redis.hgetall(this.key);
    const entries = new Map<string, FileCheckpoint>();
    const invalid: string[] = [];
    for (const [field, value] of Object.entries(hash)) {
      if (field === STARTED_FIELD) continue;
      const parsed = checkpointSchema.safeParse(parseJson(value));
      if (parsed.success && parsed.data.identity === field) entries.set(field, parsed.data);
      else invalid.push(field);
    }
    return { entries, firstStart: hash[STARTED_FIELD] === undefined, invalid };
  }

  async markStarted(): Promise<void> {
    await this.redis.hsetnx(this.key, STARTED_FIELD, new Date().toISOString());
  }

  async save(checkpoint: FileCheckpoint): Promise<void> {
    await this.replicas.durably(() => this.redis.hset(this.key, checkpoint.identity, JSON.stringify(checkpoint)));
  }

  async remove(identities: readonly string[]): Promise<void> {
    if (identities.length > 0) await this.redis.hdel(this.key, ...identities);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
