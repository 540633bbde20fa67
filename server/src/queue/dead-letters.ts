/**
 * Records Elasticsearch refused for good (per-document 400s) and batches that kept failing,
 * kept in a Redis hash by document id with the reason, until an operator replays them.
 */
import { z } from 'zod';
import type { RedisClient } from './redis-connection.js';
import type { RawRecord } from '../records/index.js';
import type { RecordSource } from '../transform/index.js';
import type { AuditQueue } from './audit-queue.js';

export interface DeadLetter {
  id: string;
  record: RawRecord;
  source: RecordSource;
  receivedAt: string;
  reason: string;
  status?: number;
  at: string;
}

/** How many dead letters one listing shows, for the command line and GET /v1/dead-letters alike. */
export const deadLetterLimit = z.coerce.number().int().min(1).max(1000);

const DELETE_IF_UNCHANGED = `if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end return 0`;

export class DeadLetters {
  constructor(private readonly redis: RedisClient, private readonly key: string) {}

  async add(letters: readonly DeadLetter[]): Promise<void> {
    if (letters.length === 0) return;
    const fields: string[] = [];
    for (const letter of letters) fields.push(letter.id, JSON.stringify(letter));
    await this.redis.hset(this.key, ...fields);
  }

  count(): Promise<number> {
    return this.redis.hlen(this.key);
  }

  async list(limit = 100): Promise<DeadLetter[]> {
    const letters: DeadLetter[] = [];
    let cursor = '0';
    do {
      const [next, entries] = await this.redis.hscan(this.key, cursor, 'COUNT', 500);
      cursor = next;
      for (let i = 1; i < entries.length && letters.length < limit; i += 2) letters.push(JSON.parse(entries[i]!) as DeadLetter);
    } while (cursor !== '0' && letters.length < limit);
    return letters;
  }

  /**
   * Queues the dead letters present now again (not those that fail anew during the replay) and
   * removes each once Redis has its new job, so a crash mid-replay loses none.
   */
  async replay(queue: AuditQueue, onProgress?: (replayed: number) => void): Promise<number> {
    const ids = await this.redis.hkeys(this.key);
    let replayed = 0;
    for (let i = 0; i < ids.length; i += 1000) {
      const chunk = ids.slice(i, i + 1000);
      const values = (await this.redis.hmget(this.key, ...chunk)).filter((value): value is string => value !== null);
      const letters = values.map((value) => JSON.parse(value) as DeadLetter);
      const bySource = new Map<string, DeadLetter[]>();
      for (const letter of letters) {
        const key = JSON.stringify([letter.source, letter.receivedAt]);
        bySource.set(key, [...(bySource.get(key) ?? []), letter]);
      }
      for (const group of bySource.values()) {
        await queue.enqueue(group.map((l) => l.record), group[0]!.source, group[0]!.receivedAt);
      }
      // Only the entry we replayed: one that failed again meanwhile is a new letter and stays.
      const pipeline = this.redis.pipeline();
      letters.forEach((letter, n) => pipeline.eval(DELETE_IF_UNCHANGED, 1, this.key, letter.id, values[n]!));
      await pipeline.exec();
      replayed += letters.length;
      onProgress?.(replayed);
    }
    return replayed;
  }
}
