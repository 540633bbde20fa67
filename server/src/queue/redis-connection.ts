/**
 * ioredis connections for BullMQ and our own keys. REDIS_SENTINELS ("host:port,host:port") with
 * REDIS_SENTINEL_NAME switches to Sentinel; REDIS_URL's password and db still apply.
 */
import { Redis, type RedisOptions } from 'ioredis';
import type { Settings } from '../config/schema.js';

export type { Redis };

export function redisOptions(settings: Pick<Settings, 'REDIS_URL' | 'REDIS_SENTINELS' | 'REDIS_SENTINEL_NAME'>): RedisOptions {
  const url = new URL(settings.REDIS_URL);
  const base: RedisOptions = {
    // BullMQ workers block on Redis; they must wait out a Redis restart instead of failing commands.
    maxRetriesPerRequest: null,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    username: url.username ? decodeURIComponent(url.username) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    retryStrategy: (times) => Math.min(times * 200, 5000),
  };
  if (settings.REDIS_SENTINELS) {
    const sentinels = settings.REDIS_SENTINELS.split(',').map((entry) => {
      const [host = 'localhost', port = '26379'] = entry.trim().split(':');
      return { host, port: Number(port) };
    });
    return { ...base, sentinels, name: settings.REDIS_SENTINEL_NAME ?? 'mymaster' };
  }
  return { ...base, host: url.hostname, port: Number(url.port || 6379) };
}

export function connectRedis(settings: Parameters<typeof redisOptions>[0], name: string): Redis {
  return new Redis({ ...redisOptions(settings), connectionName: `mattermost-audit-elastic:${name}` });
}

/** BullMQ loses jobs when Redis evicts keys or forgets them on restart: say so at start. */
export async function redisDurabilityWarnings(redis: Redis): Promise<string[]> {
  const warnings: string[] = [];
  // Managed Redis services often refuse CONFIG: then there is nothing to check, and no warning.
  const policy = (await redis.config('GET', 'maxmemory-policy').catch(() => [])) as string[];
  if (policy[1] !== undefined && policy[1] !== 'noeviction') {
    warnings.push(`Redis maxmemory-policy is ${policy[1]}: set it to noeviction, or queued audit records can be evicted`);
  }
  const aof = (await redis.config('GET', 'appendonly').catch(() => [])) as string[];
  const save = (await redis.config('GET', 'save').catch(() => [])) as string[];
  if (aof[1] === 'no' && (save[1] === undefined || save[1] === '')) {
    warnings.push('Redis persistence is off (appendonly no, no save points): queued audit records are lost if Redis restarts');
  }
  return warnings;
}
