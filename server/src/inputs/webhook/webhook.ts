/**
 * The webhook input, POST /v1/audit: NDJSON, a JSON array or one JSON object, gzip accepted.
 * Answers 202 only after Redis and its replicas hold the records; 503 + Retry-After above the
 * high-water mark, or while Redis is unreachable or its replicas do not confirm; 413 above the
 * body limit. A bad record is never an error here: it becomes a pipeline_error
 * document downstream.
 */
import { isUtf8 } from 'node:buffer';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { AuditQueue } from '../../queue/audit-queue.js';
import { ErrorLogThrottle, RedisUnavailableError } from '../../queue/redis-connection.js';
import type { Logger } from '../../logger.js';
import type { Activity } from '../../status/activity.js';
import { isBlankLine, isBlankText, LineSplitter, recordFromLine, type RawRecord } from '../../records/index.js';

export interface WebhookOptions {
  logger: Logger;
  queue: AuditQueue;
  activity: Activity;
  maxBodyBytes: number;
  maxRecordBytes: number;
  highWaterMark: number;
  authenticate: express.RequestHandler;
}

/** The records of one body, in order. Blank lines are framing, not records. */
export function splitBody(body: Buffer, maxRecordBytes: number): RawRecord[] {
  let start = 0;
  while (start < body.length && (body[start] === 0x20 || body[start] === 0x0a || body[start] === 0x0d || body[start] === 0x09)) start++;
  const first = body[start];
  if (first === 0x5b /* [ */ || first === 0x7b /* { */) {
    const whole = parseWholeBody(body, first === 0x5b);
    if (whole) return whole;
  }
  // The common case, a valid UTF-8 body, is decoded and split once; toEcs truncates an overlong line.
  if (isUtf8(body)) return splitText(body.toString('utf8'));
  const splitter = new LineSplitter(maxRecordBytes);
  const lines = splitter.push(body);
  const last = splitter.end();
  if (last) lines.push(last);
  return lines.filter((line) => !isBlankLine(line.bytes)).map((line) => {
    const { offset: _offset, ...record } = recordFromLine(line);
    return record;
  });
}

function splitText(text: string): RawRecord[] {
  const records: RawRecord[] = [];
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const line = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
    if (!isBlankText(line)) records.push({ text: line });
    start = end + 1;
  }
  return records;
}

/** A JSON array of records, or one object spread over several lines (pretty-printed). */
function parseWholeBody(body: Buffer, isArray: boolean): RawRecord[] | undefined {
  const text = body.toString('utf8');
  if (!isArray) {
    const firstLineEnd = text.indexOf('\n', text.indexOf('{'));
    // NDJSON's first line is a whole object; a pretty-printed object's is not.
    if (firstLineEnd === -1 || text.slice(firstLineEnd).trim() === '' || parses(text.slice(0, firstLineEnd))) return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const items = Array.isArray(parsed) ? parsed : [parsed];
  return items.map((item) => ({ text: JSON.stringify(item) }));
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export function webhookRouter(options: WebhookOptions): Router {
  const router = express.Router();
  const redisErrors = new ErrorLogThrottle(options.logger, { 'event.module': 'http' });
  /** Redis away or not confirming: the sender tries again later; nothing was acknowledged. */
  const unavailable = (error: unknown, res: Response, next: NextFunction): void => {
    if (!(error instanceof RedisUnavailableError)) return next(error);
    redisErrors.error(error, 'webhook answers 503: records not accepted');
    res.setHeader('Retry-After', '5');
    res.status(503).json({ error: `${error.message}: retry later` });
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
  router.post(
    '/v1/audit',
    options.authenticate,
    backpressure,
    express.raw({ type: () => true, limit: options.maxBodyBytes, inflate: true }),
    async (req: Request, res: Response, next: NextFunction) => {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const records = splitBody(body, options.maxRecordBytes);
      try {
        await options.queue.enqueue(records, { input: 'http' });
      } catch (error) {
        return unavailable(error, res, next);
      }
      // The records are safe in Redis: a failed counter update must not turn the answer into an error.
      await options.activity.recordInput('http', records.length, body.length).catch((error: unknown) => {
        options.logger.warn({ err: error }, 'cannot update the webhook counters');
      });
      res.status(202).json({ accepted: records.length });
    },
  );
  return router;
}
