/**
 * ioredis connections for BullMQ and our own keys: one Redis, Sentinel (REDIS_SENTINELS with
 * REDIS_SENTINEL_NAME) or Cluster (REDIS_CLUSTER_NODES); REDIS_URL's password, db and TLS still
 * apply. Two kinds:
 * - patient: BullMQ's worker and the worker's own writes wait out an outage of any length
 *   (maxRetriesPerRequest null, offline queue on);
 * - fail-fast: the request path (webhook, inputs' enqueues and checkpoints, status) gets an error
 *   within REDIS_COMMAND_TIMEOUT_MS instead of hanging: no offline queue, no resend of a command
 *   that was in flight when the connection broke (it may have run: the caller answers 503).
 * Every connection logs its errors as ECS lines (throttled); none goes to stderr as plain text.
 */
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { Settings } from '../config/schema.js';
import type { Logger } from '../logger.js';

export type { Redis };
/** A single Redis (or the master behind Sentinel) or a Cluster: both speak the same commands. */
export type RedisClient = Redis | Cluster;

export type RedisSettings = Pick<Settings, 'REDIS_URL' | 'REDIS_COMMAND_TIMEOUT_MS'> & Partial<Pick<Settings, 'REDIS_SENTINELS' | 'REDIS_SENTINEL_NAME' | 'REDIS_CLUSTER_NODES'>>;

export interface ConnectionKind {
  failFast: boolean;
  /** Added to the command timeout: a connection that sends WAIT must outlast it. */
  extraTimeoutMs?: number;
}

const PATIENT: ConnectionKind = { failFast: false };

/** A demoted master answers READONLY: reconnect (asking the sentinels anew); resend only if patient. */
function reconnectOnReadOnly(failFast: boolean) {
  return (error: Error): 1 | 2 | false => (error.message.includes('READONLY') ? (failFast ? 1 : 2) : false);
}

function hostPorts(list: string, defaultPort: number): Array<{ host: string; port: number }> {
  return list.split(',').map((entry) => {
    const [host = 'localhost', port = String(defaultPort)] = entry.trim().split(':');
    return { host, port: Number(port) };
  });
}

export function redisOptions(settings: RedisSettings, kind: ConnectionKind = PATIENT): RedisOptions {
  const url = new URL(settings.REDIS_URL);
  const timeout = settings.REDIS_COMMAND_TIMEOUT_MS + (kind.extraTimeoutMs ?? 0);
  const base: RedisOptions = {
    password: url.password ? decodeURIComponent(url.password) : undefined,
    username: url.username ? decodeURIComponent(url.username) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    reconnectOnError: reconnectOnReadOnly(kind.failFast),
    ...(kind.failFast
      ? { maxRetriesPerRequest: 0, enableOfflineQueue: false, autoResendUnfulfilledCommands: false, commandTimeout: timeout, connectTimeout: timeout, retryStrategy: (times: number) => Math.min(times * 200, 2000) }
      // BullMQ workers block on Redis; they must wait out a Redis restart instead of failing commands.
      : { maxRetriesPerRequest: null, retryStrategy: (times: number) => Math.min(times * 200, 5000) }),
  };
  if (settings.REDIS_SENTINELS) {
    // No failoverDetector: its +switch-master message, arriving while a reconnect asks the
    // sentinels, ends the connection for good in ioredis 6 (the connector throws "Connection is
    // closed." and the client goes to "end"). A demoted master is left anyway: Sentinel closes its
    // clients, and a write it refuses with READONLY reconnects (reconnectOnReadOnly).
    return { ...base, sentinels: hostPorts(settings.REDIS_SENTINELS, 26379), name: settings.REDIS_SENTINEL_NAME ?? 'mymaster' };
  }
  return { ...base, host: url.hostname, port: Number(url.port || 6379) };
}

function clusterOptions(settings: RedisSettings, kind: ConnectionKind, connectionName: string): ClusterOptions {
  // No db in a Cluster; a demoted node answers MOVED, which the Cluster follows (no READONLY reconnects).
  const { retryStrategy, enableOfflineQueue, reconnectOnError: _readOnly, host: _host, port: _port, db: _db, ...node } = redisOptions({ ...settings, REDIS_SENTINELS: undefined }, kind);
  return {
    redisOptions: { ...node, connectionName },
    enableOfflineQueue: enableOfflineQueue ?? true,
    clusterRetryStrategy: retryStrategy as ClusterOptions['clusterRetryStrategy'],
    // A failover takes cluster-node-timeout and a vote: keep retrying through it, then give up.
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 200,
    maxRedirections: kind.failFast ? 8 : 64,
    // Learn a failover even when no command of ours was redirected yet.
    slotsRefreshInterval: 5000,
  };
}

export function connectRedis(settings: RedisSettings, name: string, kind: ConnectionKind = PATIENT, logger?: Logger): RedisClient {
  const connectionName = `mattermost-audit-elastic:${name}`;
  const client = settings.REDIS_CLUSTER_NODES
    ? new Cluster(hostPorts(settings.REDIS_CLUSTER_NODES, 6379), clusterOptions(settings, kind, connectionName))
    : new Redis({ ...redisOptions(settings, kind), connectionName });
  if (logger) logRedisErrors(client, name, logger);
  return client;
}

const REPEAT_LOG_MS = 30_000;

/**
 * Errors of one connection as ECS log lines: the first of a kind at once, repeats (ioredis emits
 * one per reconnect attempt) at most every 30 s with their count, and a line when it is back.
 */
export function logRedisErrors(client: RedisClient, name: string, logger: Logger): void {
  const throttle = new ErrorLogThrottle(logger, { 'event.module': 'redis', 'labels.connection': name });
  client.on('error', (error: Error) => throttle.error(error, 'Redis connection error'));
  // A Cluster reports each node's own errors apart.
  client.on('node error', (error: Error, address?: string) => throttle.error(error, `Redis Cluster node error${address ? ` (${address})` : ''}`));
  client.on('ready', () => throttle.recovered('Redis connection ready again'));
}

export class ErrorLogThrottle {
  private lastMessage: string | undefined;
  private loggedAt = 0;
  private suppressed = 0;

  constructor(private readonly logger: Logger, private readonly fields: Record<string, string>) {}

  error(error: Error, message: string): void {
    const now = Date.now();
    if (error.message === this.lastMessage && now - this.loggedAt < REPEAT_LOG_MS) {
      this.suppressed++;
      return;
    }
    this.logger.warn({ ...this.fields, err: error, 'event.count': this.suppressed + 1 }, message);
    this.lastMessage = error.message;
    this.loggedAt = now;
    this.suppressed = 0;
  }

  recovered(message: string): void {
    if (this.lastMessage === undefined) return;
    this.logger.info(this.fields, message);
    this.lastMessage = undefined;
    this.suppressed = 0;
  }
}

/** Redis cannot take (or confirm) a command now: the caller answers 503 or tries again later. */
export class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailableError';

  constructor(cause: unknown) {
    super(`Redis unavailable: ${describeRedisError(cause)}`, { cause });
  }
}

/** ioredis' words for a fail-fast refusal, said as what it means for the caller. */
export function describeRedisError(error: unknown): string {
  return connectionProblem(error) ?? ((error as Error | undefined)?.message ?? String(error));
}

/** Whether a command failed because Redis was out of reach (not for what it asked). */
export function isRedisConnectionError(error: unknown): boolean {
  return error instanceof RedisUnavailableError || connectionProblem(error) !== undefined;
}

function connectionProblem(error: unknown): string | undefined {
  const message = (error as Error | undefined)?.message ?? String(error);
  if (message.includes("Stream isn't writeable") || message.includes('Connection is closed') || message.includes("Cluster isn't ready")) return 'not connected (reconnecting)';
  if (message.includes('max retries per request')) return 'the connection broke while the command ran';
  if (message.includes('Command timed out')) return 'no answer within the command timeout (REDIS_COMMAND_TIMEOUT_MS)';
  return undefined;
}

/** BullMQ loses jobs when Redis evicts keys or forgets them on restart: say so at start. */
export async function redisDurabilityWarnings(redis: RedisClient): Promise<string[]> {
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

/** Resolves once the connection is ready (Cluster: its slots known), however long that takes. */
export async function untilReady(client: RedisClient): Promise<void> {
  // Not events.once: it would reject on the first 'error' (each refused connection attempt).
  if (client.status !== 'ready') await new Promise<void>((resolve) => client.once('ready', () => resolve()));
}
