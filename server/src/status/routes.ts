/** Health, readiness, metrics, status, runtime config and dead letters over HTTP. */
import express, { type Router } from 'express';
import type { RuntimeConfigStore } from '../config/runtime-store.js';
import { ConfigError, describeConfigIssue } from '../config/load.js';
import { runtimeSettingsSchema } from '../config/schema.js';
import type { AuditQueue } from '../queue/audit-queue.js';
import type { DeadLetters } from '../queue/dead-letters.js';
import { describeRedisError, type RedisClient } from '../queue/redis-connection.js';
import { createSink } from '../sinks/sink-provider.js';
import type { Registry } from 'prom-client';
import { README_PATH } from '../package-info.js';
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
  authenticate: express.RequestHandler;
}

export function statusRouter(options: StatusRoutesOptions): Router {
  const router = express.Router();
  const admin = options.authenticate;
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
    const redisError = await options.redis.ping().then(() => undefined, (error: unknown) => `Redis unreachable: ${describeRedisError(error)}`);
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

  router.get('/v1/status', admin, async (_req, res, next) => {
    try {
      res.json(await options.status.report());
    } catch (error) {
      next(error);
    }
  });

  router.get('/v1/config', admin, async (_req, res, next) => {
    try {
      res.json(await options.config.publicView());
    } catch (error) {
      next(error);
    }
  });

  router.put('/v1/config', admin, json, async (req, res, next) => {
    try {
      await options.config.put(bodyObject(req.body));
      res.json(await options.config.publicView());
    } catch (error) {
      next(error);
    }
  });

  // Tries the given settings (over the current ones) without storing them: the plugin's "Test connection".
  router.post('/v1/config/test', admin, json, async (req, res, next) => {
    try {
      const current = (await options.config.effective()).settings;
      const merged = { ...current, ...Object.fromEntries(Object.entries(bodyObject(req.body)).filter(([, v]) => v !== undefined && v !== null)) };
      const parsed = runtimeSettingsSchema.safeParse(merged);
      if (!parsed.success) throw new ConfigError(describeConfigIssue(parsed.error, merged));
      const sink = createSink({ ...current, ...parsed.data }, options.fileSinkPath);
      try {
        const health = await sink.check();
        res.json({ ok: health.reachable, ...health });
      } finally {
        await sink.close();
      }
    } catch (error) {
      next(error);
    }
  });

  router.get('/v1/dead-letters', admin, async (req, res, next) => {
    try {
      const limit = Math.min(Number(req.query.limit ?? 100) || 100, 1000);
      res.json({ count: await options.deadLetters.count(), deadLetters: await options.deadLetters.list(limit) });
    } catch (error) {
      next(error);
    }
  });

  router.post('/v1/dead-letters/replay', admin, async (_req, res, next) => {
    try {
      res.json({ replayed: await options.deadLetters.replay(options.queue) });
    } catch (error) {
      next(error);
    }
  });

  return router;
}

function bodyObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ConfigError('body: expected a JSON object of settings');
  return body as Record<string, unknown>;
}
