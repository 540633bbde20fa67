/**
 * The webhook input, POST /v1/audit: NDJSON, a JSON array or one JSON object, gzip accepted.
 * Answers 202 only after Redis and its replicas hold the records; 503 + Retry-After above the
 * high-water mark, while Redis is unreachable or its replicas do not confirm, or when the bytes in
 * flight (MAX_IN_FLIGHT_BYTES) leave no room for the body, decided before the body is read when
 * its length is known; 413 above the body limit; 503 while its switch (INPUT_WEBHOOK) is off.
 * A bad record is never an error here: it becomes a pipeline_error
 * document downstream.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { AuditQueue } from '../../queue/audit-queue.js';
import { ErrorLogThrottle, RedisUnavailableError } from '../../queue/redis-connection.js';
import type { Logger } from '../../logger.js';
import type { Activity } from '../../status/activity.js';
import type { InFlightBudget, Reservation } from '../in-flight-budget.js';
import { BODY_TOO_LARGE, BodyError, contentEncoding, declaredLength, NO_ROOM, readBody } from './body-reader.js';
import { splitBody } from './split-body.js';

export interface WebhookOptions {
  logger: Logger;
  queue: AuditQueue;
  activity: Activity;
  budget: InFlightBudget;
  maxBodyBytes: number;
  maxRecordBytes: number;
  highWaterMark: number;
  authenticate: express.RequestHandler;
  /** Its switch, read per request so that a pushed INPUT_WEBHOOK=false takes effect at once. */
  switchedOn: () => Promise<boolean>;
}

/** Bodies in flight are through within a second or two. */
const BUSY_RETRY_AFTER_SECONDS = '2';

const SWITCHED_OFF = 'the webhook input is switched off (INPUT_WEBHOOK=false): this forwarder takes no records on POST /v1/audit now. '
  + 'Keep them and send them again later; an admin switches it on in the plugin\'s settings or with PUT /v1/config';

function refuse(res: Response, status: number, error: string, retryAfter?: string): void {
  // A client that went away (or was cut off by a timeout) gets no answer.
  if (res.headersSent || res.destroyed) return;
  // A body refused before or while it arrives is not read on: the connection closes after the answer.
  res.setHeader('Connection', 'close');
  if (retryAfter) res.setHeader('Retry-After', retryAfter);
  res.status(status).json({ error });
}

export function webhookRouter(options: WebhookOptions): Router {
  const router = express.Router();
  // Room in the budget before a byte is read: a Content-Length that does not fit is refused at once.
  const admit = (req: Request, res: Response, next: NextFunction): void => {
    if (contentEncoding(req) === undefined) return refuse(res, 415, `unsupported Content-Encoding: ${req.headers['content-encoding']}`);
    const declared = declaredLength(req) ?? 0;
    if (declared > options.maxBodyBytes) return refuse(res, 413, BODY_TOO_LARGE);
    const reservation = options.budget.reserve(declared);
    if (!reservation) return refuse(res, 503, NO_ROOM, BUSY_RETRY_AFTER_SECONDS);
    res.once('close', () => reservation.release());
    res.locals.reservation = reservation;
    next();
  };
  const redisErrors = new ErrorLogThrottle(options.logger, { 'event.module': 'http' });
  /** Redis away or not confirming: the sender tries again later; nothing was acknowledged. */
  const unavailable = (error: unknown, res: Response, next: NextFunction): void => {
    if (!(error instanceof RedisUnavailableError)) return next(error);
    redisErrors.error(error, 'webhook answers 503: records not accepted');
    refuse(res, 503, `${error.message}: retry later`, '5');
  };
  const backpressure = async (_req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      if ((await options.queue.pendingRecords()) < options.highWaterMark) return next();
    } catch (error) {
      return unavailable(error, res, next);
    }
    res.setHeader('Retry-After', '5');
    res.status(503).json({ error: 'queue above its high-water mark: retry later' });
  };
  const inputSwitch = async (_req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      if (await options.switchedOn()) return next();
    } catch (error) {
      // The switch is a setting in Redis: not readable before Redis was ever reached.
      return unavailable(error instanceof RedisUnavailableError ? error : new RedisUnavailableError(error), res, next);
    }
    res.setHeader('Retry-After', '60');
    res.status(503).json({ error: SWITCHED_OFF });
  };
  router.post(
    '/v1/audit',
    options.authenticate,
    inputSwitch,
    admit,
    backpressure,
    async (req: Request, res: Response, next: NextFunction) => {
      const reservation = res.locals.reservation as Reservation;
      let body: Buffer | undefined;
      try {
        body = await readBody(req, options.maxBodyBytes, reservation);
      } catch (error) {
        if (!(error instanceof BodyError)) return next(error);
        return refuse(res, error.status, error.message, error.status === 503 ? BUSY_RETRY_AFTER_SECONDS : undefined);
      }
      const bytes = body.length;
      const records = splitBody(body, options.maxRecordBytes);
      body = undefined; // the records hold its text now: the bytes may go while Redis takes them
      try {
        await options.queue.enqueue(records, { input: 'http' });
      } catch (error) {
        return unavailable(error, res, next);
      } finally {
        reservation.release();
      }
      // The records are safe in Redis: a failed counter update must not turn the answer into an error.
      await options.activity.recordInput('http', records.length, bytes).catch((error: unknown) => {
        options.logger.warn({ err: error }, 'cannot update the webhook counters');
      });
      res.status(202).json({ accepted: records.length });
    },
  );
  return router;
}
