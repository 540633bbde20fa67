/**
 * Counters every process writes and /v1/status reads: per input records, bytes and last seen;
 * delivered records in 10-second buckets for the 1- and 5-minute rates; the sink's last success
 * and last error. In Redis, so that API and worker processes add up.
 */
import type { EnrichmentReport } from '../enrich/index.js';
import type { RedisClient } from '../queue/redis-connection.js';
import type { RedisKeys } from '../queue/keys.js';

const BUCKET_MS = 10_000;

export interface InputActivity { records: number; bytes: number; lastSeen: string | null; lastError: string | null }
export interface SinkActivity { delivered: number; lastSuccessAt: string | null; lastError: string | null; lastErrorAt: string | null }
export interface EnrichmentActivity {
  requests: number; failures: number; documentsWithoutNames: number; lastSuccessAt: string | null; lastError: string | null; lastErrorAt: string | null;
}

export class Activity {
  constructor(private readonly redis: RedisClient, private readonly keys: RedisKeys) {}

  async recordInput(input: string, records: number, bytes: number): Promise<void> {
    const key = this.keys.inputStats(input);
    await this.redis
      .multi()
      .sadd(this.keys.inputStats('*index'), input)
      .hincrby(key, 'records', records)
      .hincrby(key, 'bytes', bytes)
      .hset(key, 'lastSeen', new Date().toISOString())
      .exec();
  }

  async recordInputError(input: string, message: string): Promise<void> {
    await this.redis.multi().sadd(this.keys.inputStats('*index'), input).hset(this.keys.inputStats(input), 'lastError', message).exec();
  }

  async recordDelivered(records: number): Promise<void> {
    const bucket = this.keys.rateBucket(Math.floor(Date.now() / BUCKET_MS));
    await this.redis
      .multi()
      .incrby(bucket, records)
      .expire(bucket, 400)
      .hincrby(this.keys.sinkStatus, 'delivered', records)
      .hset(this.keys.sinkStatus, 'lastSuccessAt', new Date().toISOString())
      .exec();
  }

  async recordSinkError(message: string): Promise<void> {
    await this.redis.hset(this.keys.sinkStatus, 'lastError', message, 'lastErrorAt', new Date().toISOString());
  }

  async recordEnrichment(delta: EnrichmentReport): Promise<void> {
    const key = this.keys.enrichmentStatus;
    const times: string[] = [];
    if (delta.lastSuccessAt !== undefined) times.push('lastSuccessAt', delta.lastSuccessAt);
    if (delta.lastError !== undefined) times.push('lastError', delta.lastError, 'lastErrorAt', delta.lastErrorAt ?? new Date().toISOString());
    const multi = this.redis.multi()
      .hincrby(key, 'requests', delta.requests)
      .hincrby(key, 'failures', delta.failures)
      .hincrby(key, 'documentsWithoutNames', delta.documentsWithoutNames);
    if (times.length > 0) multi.hset(key, ...times);
    await multi.exec();
  }

  async enrichment(): Promise<EnrichmentActivity> {
    const hash = await this.redis.hgetall(this.keys.enrichmentStatus);
    return {
      requests: Number(hash.requests ?? 0),
      failures: Number(hash.failures ?? 0),
      documentsWithoutNames: Number(hash.documentsWithoutNames ?? 0),
      lastSuccessAt: hash.lastSuccessAt ?? null,
      lastError: hash.lastError ?? null,
      lastErrorAt: hash.lastErrorAt ?? null,
    };
  }

  async inputs(): Promise<Record<string, InputActivity>> {
    const names = (await this.redis.smembers(this.keys.inputStats('*index'))).sort();
    const result: Record<string, InputActivity> = {};
    for (const name of names) {
      const hash = await this.redis.hgetall(this.keys.inputStats(name));
      result[name] = { records: Number(hash.records ?? 0), bytes: Number(hash.bytes ?? 0), lastSeen: hash.lastSeen ?? null, lastError: hash.lastError ?? null };
    }
    return result;
  }

  /** Records delivered per second over the last 1 and 5 minutes (whole buckets, the current one excluded). */
  async rates(): Promise<{ perSecond1m: number; perSecond5m: number }> {
    const now = Math.floor(Date.now() / BUCKET_MS);
    const keys = Array.from({ length: 30 }, (_, i) => this.keys.rateBucket(now - 1 - i));
    const counts = (await this.redis.mget(...keys)).map((v) => Number(v ?? 0));
    const sum = (n: number) => counts.slice(0, n).reduce((a, b) => a + b, 0);
    return { perSecond1m: round(sum(6) / 60), perSecond5m: round(sum(30) / 300) };
  }

  async sink(): Promise<SinkActivity> {
    const hash = await this.redis.hgetall(this.keys.sinkStatus);
    return {
      delivered: Number(hash.delivered ?? 0),
      lastSuccessAt: hash.lastSuccessAt ?? null,
      lastError: hash.lastError ?? null,
      lastErrorAt: hash.lastErrorAt ?? null,
    };
  }
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
