/**
 * Reads a webhook body, decompressed (gzip, deflate, br), counting what it holds against the
 * body limit and the in-flight budget as it arrives: a body refused half-way stops being read
 * (the connection is closed after the answer), so it never holds more than it was allowed.
 */
import type { IncomingMessage } from 'node:http';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Transform } from 'node:stream';
import type { Reservation } from '../in-flight-budget.js';

/** A refused body: `status` is the answer (413, 415, 400) or 503 when the budget has no room. */
export class BodyError extends Error {
  override readonly name = 'BodyError';
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export const BODY_TOO_LARGE = 'body over the size limit (MAX_BODY_BYTES)';
export const NO_ROOM = 'the forwarder holds as many bytes in flight as it may (MAX_IN_FLIGHT_BYTES): retry later';

/** The body's encoding, or undefined when we cannot decode it. */
export function contentEncoding(request: IncomingMessage): string | undefined {
  const encoding = (request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  return ['identity', 'gzip', 'x-gzip', 'deflate', 'br'].includes(encoding) ? encoding : undefined;
}

/** The declared length of an uncompressed body, if any: what can be checked before reading. */
export function declaredLength(request: IncomingMessage): number | undefined {
  const header = request.headers['content-length'];
  if (header === undefined || contentEncoding(request) !== 'identity') return undefined;
  const length = Number(header);
  return Number.isSafeInteger(length) && length >= 0 ? length : undefined;
}

function decoder(encoding: string): Transform | undefined {
  if (encoding === 'gzip' || encoding === 'x-gzip') return createGunzip();
  if (encoding === 'deflate') return createInflate();
  if (encoding === 'br') return createBrotliDecompress();
  return undefined;
}

export function readBody(request: IncomingMessage, limit: number, reservation: Reservation): Promise<Buffer> {
  const encoding = contentEncoding(request);
  if (encoding === undefined) return Promise.reject(new BodyError(415, `unsupported Content-Encoding: ${request.headers['content-encoding']}`));
  const known = declaredLength(request);
  const inflate = decoder(encoding);
  const source = inflate ? request.pipe(inflate) : request;
  // A body of known length goes straight into one buffer of that size: no second copy at the end.
  const whole = known !== undefined ? Buffer.allocUnsafe(known) : undefined;
  const chunks: Buffer[] = [];
  let received = 0;
  return new Promise<Buffer>((resolve, reject) => {
    let settled = false;
    const finish = (error: BodyError | undefined) => {
      if (settled) return;
      settled = true;
      source.off('data', onData);
      if (inflate) {
        request.unpipe(inflate);
        inflate.destroy();
      }
      if (error) {
        request.pause();
        reject(error);
      } else {
        resolve(whole ? whole.subarray(0, received) : Buffer.concat(chunks, received));
      }
    };
    const onData = (chunk: Buffer) => {
      const total = received + chunk.length;
      if (total > limit) return finish(new BodyError(413, BODY_TOO_LARGE));
      if (!reservation.cover(total)) return finish(new BodyError(503, NO_ROOM));
      if (!whole) chunks.push(chunk);
      else if (total <= whole.length) chunk.copy(whole, received);
      else return finish(new BodyError(400, 'the body is longer than its Content-Length'));
      received = total;
    };
    source.on('data', onData);
    source.once('end', () => finish(undefined));
    source.once('error', () => finish(new BodyError(400, `the body is not valid ${encoding}`)));
    request.once('error', () => finish(new BodyError(400, 'the request was aborted')));
    request.once('close', () => {
      if (!request.complete) finish(new BodyError(400, 'the request was aborted'));
    });
  });
}
