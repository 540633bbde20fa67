/** Health, readiness, metrics, status, runtime config and dead letters over HTTP. */
import express, { type Response, type Router } from 'express';
import { normalizeAddress } from '../config/config-changes.js';
import type { RuntimeConfigStore } from '../config/runtime-store.js';
import { ConfigError, describeConfigIssue } from '../config/load.js';
import { callerOf } from '../http-auth.js';
import { runtimeSettingsSchema, type Settings } from '../config/schema.js';
import type { AuditQueue } from '../queue/audit-queue.js';
import { deadLetterLimit, type DeadLetters } from '../queue/dead-letters.js';
import { describeRedisError, type RedisClient } from '../queue/redis-connection.js';
import { createSink } from '../sinks/sink-provider.js';
import type { Registry } from 'prom-client';
import { README_PATH } from '../package-info.js';
import { scrubUrlCredentials } from '../url-credentials.js';
import type { StartupState } from './startup-state.js';
import type { StatusReader } from './status-report.js';

export interface StatusRoutesOptions {
  /** A fail-fast connection: /readyz answers within REDIS_COMMAND_TIMEOUT_MS while Redis is away. */
  redis: RedisClient;
  status: StatusReader;
  metrics: Registry;
  config: RuntimeConfigStore;
  queue: AuditQueue;
  deadLetters: DeadLetters;
  fileSinkPath: string;
  startup: StartupState;
  /** Reading: the status or the admin token. */
  read: express.RequestHandler;
  /** Changing: the admin token only. */
  change: express.RequestHandler;
  /** Called after a change was stored: this process applies it (inputs, audit record) at once. */
  onConfigChanged?: () => void;
}

export function statusRouter(options: StatusRoutesOptions): Router {
  const router = express.Router();
  const { read, change } = options;
  const json = express.json({ limit: '1mb' });

  // Liveness: the process answers, from its first moment (before Redis is reached).
  router.get('/healthz', (_req, res) => {
    res.json(options.startup.view());
  });

  // The plugin's settings page points admins here: the README travels with the forwarder.
  router.get('/readme', (_req, res, next) => {
    res.type('text/markdown; charset=utf-8').sendFile(README_PATH, (error) => error && next(error));
  });

  router.get('/readyz', async (_req, res) => {
    const redisError = await options.redis.ping().then(() => undefined, (error: unknown) => scrubUrlCredentials(`Redis unreachable: ${describeRedisError(error)}`));
    const sink = redisError ? undefined : await options.status.sinkHealth().catch((error: Error) => ({ reachable: false, error: error.message }));
    const ready = !redisError && sink?.reachable === true;
    res.status(ready ? 200 : 503).json({ ready, redis: !redisError, ...(redisError ? { error: redisError } : {}), sink: sink ?? null });
  });

  router.get('/metrics', async (_req, res, next) => {
    try {
      res.setHeader('Content-Type', options.metrics.contentType);
      res.send(await options.metrics.metrics());
    } catch (error) {
      next(error);
    }
  });

  router.get('/v1/status', read, async (_req, res, next) => {
    try {
      sendScrubbed(res, await options.status.report());
    } catch (error) {
      next(error);
    }
  });

  router.get('/v1/config', read, async (_req, res, next) => {
    try {
      sendScrubbed(res, await options.config.publicView());
    } catch (error) {
      next(error);
    }
  });

  router.put('/v1/config', change, json, async (req, res, next) => {
    try {
      const caller = callerOf(res);
      await options.config.put(bodyObject(req.body), { token: caller.token, address: normalizeAddress(caller.address) });
      options.onConfigChanged?.();
      sendScrubbed(res, await options.config.publicView());
    } catch (error) {
      next(error);
    }
  });

  // Tries the given settings (over the current ones) without storing them: the plugin's "Test connection".
  router.post('/v1/config/test', change, json, async (req, res, next) => {
    try {
      const given = Object.fromEntries(Object.entries(bodyObject(req.body)).filter(([, v]) => v !== undefined && v !== null));
      const stored = (await options.config.effective()).settings;
      // The stored credentials go to the stored URL only: pointing the test elsewhere must not read them out.
      const keepsCredentials = sameElasticsearch(given.ELASTICSEARCH_URL, stored.ELASTICSEARCH_URL);
      const current = keepsCredentials ? stored : withoutElasticsearchCredentials(stored);
      const merged = { ...current, ...given };
      const parsed = runtimeSettingsSchema.safeParse(merged);
      if (!parsed.success) throw new ConfigError(describeConfigIssue(parsed.error, merged));
      const sink = createSink({ ...current, ...parsed.data }, options.fileSinkPath);
      try {
        const health = await sink.check();
        const withheld = !keepsCredentials && hasElasticsearchCredentials(stored) && !hasElasticsearchCredentials(given);
        const error = health.error && withheld ? `${health.error} (the stored credentials are sent to the stored ELASTICSEARCH_URL only: enter them to test another URL)` : health.error;
        sendScrubbed(res, { ok: health.reachable, ...health, ...(error ? { error } : {}) });
      } finally {
        await sink.close();
      }
    } catch (error) {
      next(error);
    }
  });

  router.get('/v1/dead-letters', read, async (req, res, next) => {
    try {
      const limit = deadLetterLimit.safeParse(req.query.limit ?? 100);
      if (!limit.success) {
        res.status(400).json({ error: `limit: ${limit.error.issues[0]?.message ?? 'expected a number'} (got ${JSON.stringify(req.query.limit)})` });
        return;
      }
      res.json({ count: await options.deadLetters.count(), deadLetters: await options.deadLetters.list(limit.data) });
    } catch (error) {
      next(error);
    }
  });

  router.post('/v1/dead-letters/replay', change, async (_req, res, next) => {
    try {
      res.json({ replayed: await options.deadLetters.replay(options.queue) });
    } catch (error) {
      next(error);
    }
  });

  return router;
}

const ELASTICSEARCH_CREDENTIALS = ['ELASTICSEARCH_API_KEY', 'ELASTICSEARCH_USERNAME', 'ELASTICSEARCH_PASSWORD'] as const;

/** No URL given, or the same endpoint as the stored one (spelled alike once parsed). */
function sameElasticsearch(given: unknown, stored: string | undefined): boolean {
  if (given === undefined) return true;
  if (typeof given !== 'string' || stored === undefined) return false;
  const canonical = (url: string) => (URL.canParse(url.trim()) ? new URL(url.trim()).href.replace(/\/$/, '') : url.trim());
  return canonical(given) === canonical(stored);
}

function withoutElasticsearchCredentials(settings: Settings): Settings {
  const copy = { ...settings };
  for (const key of ELASTICSEARCH_CREDENTIALS) delete copy[key];
  return copy;
}

function hasElasticsearchCredentials(settings: Partial<Record<string, unknown>>): boolean {
  return ELASTICSEARCH_CREDENTIALS.some((key) => Boolean(settings[key]));
}

/** JSON whose text has every URL's credentials scrubbed, whatever part of it they came from. */
function sendScrubbed(res: Response, body: unknown): void {
  res.type('application/json').send(scrubUrlCredentials(JSON.stringify(body)));
}

function bodyObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ConfigError('body: expected a JSON object of settings');
  return body as Record<string, unknown>;
}
