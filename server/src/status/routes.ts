/** Health, readiness, metrics, status, runtime config and dead letters over HTTP. */
import express, { type Router } from 'express';
import type { Redis } from 'ioredis';
import { normalizeAddress } from '../config/config-changes.js';
import type { RuntimeConfigStore } from '../config/runtime-store.js';
import { ConfigError, describeConfigIssue } from '../config/load.js';
import { callerOf } from '../http-auth.js';
import { runtimeSettingsSchema } from '../config/schema.js';
import type { AuditQueue } from '../queue/audit-queue.js';
import type { DeadLetters } from '../queue/dead-letters.js';
import { createSink } from '../sinks/sink-provider.js';
import type { Registry } from 'prom-client';
import { README_PATH } from '../package-info.js';
import type { StatusReader } from './status-report.js';

export interface StatusRoutesOptions {
  redis: Redis;
  status: StatusReader;
  metrics: Registry;
  config: RuntimeConfigStore;
  queue: AuditQueue;
  deadLetters: DeadLetters;
  fileSinkPath: string;
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

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // The plugin's settings page points admins here: the README travels with the forwarder.
  router.get('/readme', (_req, res, next) => {
    res.type('text/markdown; charset=utf-8').sendFile(README_PATH, (error) => error && next(error));
  });

  router.get('/readyz', async (_req, res) => {
    const redis = await options.redis.ping().then(() => true, () => false);
    const sink = redis ? await options.status.sinkHealth() : undefined;
    const ready = redis && sink?.reachable === true;
    res.status(ready ? 200 : 503).json({ ready, redis, sink: sink ?? null });
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
      res.json(await options.status.report());
    } catch (error) {
      next(error);
    }
  });

  router.get('/v1/config', read, async (_req, res, next) => {
    try {
      res.json(await options.config.publicView());
    } catch (error) {
      next(error);
    }
  });

  router.put('/v1/config', change, json, async (req, res, next) => {
    try {
      const caller = callerOf(res);
      await options.config.put(bodyObject(req.body), { token: caller.token, address: normalizeAddress(caller.address) });
      options.onConfigChanged?.();
      res.json(await options.config.publicView());
    } catch (error) {
      next(error);
    }
  });

  // Tries the given settings (over the current ones) without storing them: the plugin's "Test connection".
  router.post('/v1/config/test', change, json, async (req, res, next) => {
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

  router.get('/v1/dead-letters', read, async (req, res, next) => {
    try {
      const limit = Math.min(Number(req.query.limit ?? 100) || 100, 1000);
      res.json({ count: await options.deadLetters.count(), deadLetters: await options.deadLetters.list(limit) });
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

function bodyObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ConfigError('body: expected a JSON object of settings');
  return body as Record<string, unknown>;
}
