/** The HTTP surface: webhook (ROLE all|api), status, config, metrics; CORS for the Mattermost site only. */
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { ConfigError } from './config/load.js';
import { webhookRouter, type WebhookOptions } from './inputs/webhook/index.js';
import type { Logger } from './logger.js';
import { ErrorLogThrottle, isRedisConnectionError, RedisUnavailableError } from './queue/redis-connection.js';
import { statusRouter, type StatusRoutesOptions } from './status/routes.js';
import { scrubUrlCredentials } from './url-credentials.js';

export interface AppOptions {
  logger: Logger;
  siteUrl: string | undefined;
  webhook: Omit<WebhookOptions, 'authenticate' | 'logger'> | undefined;
  status: Omit<StatusRoutesOptions, 'read' | 'change'>;
  ingestAuth: RequestHandler;
  /** Status, config and dead letters: the status or the admin token. */
  readAuth: RequestHandler;
  /** Changing config, testing it, replaying dead letters: the admin token only. */
  changeAuth: RequestHandler;
}

export function createApp(options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(cors(options.siteUrl));
  if (options.webhook) app.use(webhookRouter({ ...options.webhook, logger: options.logger, authenticate: options.ingestAuth }));
  app.use(statusRouter({ ...options.status, read: options.readAuth, change: options.changeAuth }));
  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  app.use(errorHandler(options.logger));
  return app;
}

/** The plugin's page runs on the Mattermost site's origin; no other origin may call us from a browser. */
function cors(siteUrl: string | undefined): RequestHandler {
  const allowed = siteUrl ? new URL(siteUrl).origin : undefined;
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (allowed && origin === allowed) {
      res.setHeader('Access-Control-Allow-Origin', allowed);
      res.setHeader('Vary', 'Origin');
      res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type');
      res.setHeader('Access-Control-Allow-Methods', 'GET, PUT, POST, OPTIONS');
      res.setHeader('Access-Control-Max-Age', '600');
    }
    if (req.method === 'OPTIONS') {
      res.status(allowed && origin === allowed ? 204 : 403).end();
      return;
    }
    next();
  };
}

function errorHandler(logger: Logger): ErrorRequestHandler {
  const redisErrors = new ErrorLogThrottle(logger, { 'event.module': 'http' });
  return (error: unknown, req, res, _next) => {
    const status = (error as { status?: number; type?: string }).status;
    if ((error as { type?: string }).type === 'entity.too.large') {
      res.status(413).json({ error: 'body over the size limit (MAX_BODY_BYTES)' });
    } else if (error instanceof ConfigError) {
      res.status(400).json({ error: scrubUrlCredentials(error.message) });
    } else if (isRedisConnectionError(error)) {
      // Every status poll during an outage lands here: one line per distinct reason, throttled.
      const unavailable = error instanceof RedisUnavailableError ? error : new RedisUnavailableError(error);
      redisErrors.error(unavailable, `request refused (${req.method} ${req.path}): Redis unavailable`);
      res.setHeader('Retry-After', '5');
      res.status(503).json({ error: `${scrubUrlCredentials(unavailable.message)}: retry later` });
    } else if (status !== undefined && status >= 400 && status < 500) {
      res.status(status).json({ error: scrubUrlCredentials((error as Error).message) });
    } else {
      logger.error({ err: error, 'url.path': req.path }, 'request failed');
      // Redis or the sink failing is a reason to try again later, never a bad record.
      res.setHeader('Retry-After', '5');
      res.status(503).json({ error: 'temporarily unavailable: see the forwarder log' });
    }
  };
}
