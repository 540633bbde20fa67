/**
 * REST API compatibility headers: a client asking `compatible-with=N` is served only when N is the
 * server's major or the one before, so an ES 9 client against an 8.x emulator fails as against ES 8.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { cause, EsError } from './es-errors.js';

const COMPATIBLE_WITH = /compatible-with\s*=\s*(\d+)/;

export function checkCompatibility(headers: IncomingHttpHeaders, major: number): void {
  for (const name of ['accept', 'content-type'] as const) {
    const value = headers[name];
    const requested = value ? COMPATIBLE_WITH.exec(value)?.[1] : undefined;
    if (requested === undefined) continue;
    const version = Number(requested);
    if (version === major || version === major - 1) continue;
    throw new EsError(400, cause('media_type_header_exception', 'Invalid media-type value on headers [Accept, Content-Type]', {
      caused_by: cause('status_exception', `A compatible version is required on both Content-Type and Accept headers if either one has requested a compatible version and the compatible versions must match. Accept=${headers.accept ?? 'null'}, Content-Type=${headers['content-type'] ?? 'null'}`),
    }));
  }
}
