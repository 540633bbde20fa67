/** Elasticsearch's error JSON: `{error: {root_cause, type, reason, ...}, status}`, and an exception carrying one. */

export interface ErrorCause {
  type: string;
  reason: string;
  caused_by?: ErrorCause;
  [detail: string]: unknown;
}

/** Thrown by handlers; the HTTP layer turns it into ES's error body with this status. */
export class EsError extends Error {
  /** `body`: the answer as sent when it is not ES's usual error shape (a handler missing, a bare 413). */
  constructor(readonly status: number, readonly detail: ErrorCause, readonly headers: Record<string, string | string[]> = {}, readonly body?: unknown) {
    super(`${detail.type}: ${detail.reason}`);
  }
}

/** An answer without a body: what Elasticsearch sends for a request over http.max_content_length. */
export const NO_BODY = Symbol('no body');

export function cause(type: string, reason: string, extra: Record<string, unknown> = {}): ErrorCause {
  return { type, reason, ...extra };
}

/** root_cause lists the innermost cause, without its own caused_by, as ES does. */
export function errorBody(status: number, detail: ErrorCause): Record<string, unknown> {
  let root = detail;
  while (root.caused_by) root = root.caused_by;
  const { caused_by: _ignored, ...rootWithoutCause } = root;
  return { error: { root_cause: [rootWithoutCause], ...detail }, status };
}

export function badRequest(type: string, reason: string, extra: Record<string, unknown> = {}): EsError {
  return new EsError(400, cause(type, reason, extra));
}

export function indexNotFound(name: string): EsError {
  return new EsError(404, cause('index_not_found_exception', `no such index [${name}]`, {
    'resource.type': 'index_or_alias', 'resource.id': name, index_uuid: '_na_', index: name,
  }));
}

/** The body ES gives for a whole request refused with this status (fault injection). */
export function statusError(status: number): EsError {
  switch (status) {
    case 429:
      return new EsError(429, cause('es_rejected_execution_exception', coordinatingRejection()));
    case 503:
      return new EsError(503, cause('cluster_block_exception', 'blocked by: [SERVICE_UNAVAILABLE/1/state not recovered / initialized];'));
    case 401:
      return new EsError(401, cause('security_exception', 'missing authentication credentials for REST request [/_bulk]'));
    case 403:
      return new EsError(403, cause('security_exception', 'action [indices:data/write/bulk] is unauthorized for user [emulated]'));
    case 413:
      return new EsError(413, cause('content_too_long_exception', 'request body is too large'), {}, NO_BODY);
    default:
      return new EsError(status, cause(status >= 500 ? 'exception' : 'illegal_argument_exception', `emulated failure with status ${status}`));
  }
}

export function coordinatingRejection(): string {
  return 'rejected execution of coordinating operation [coordinating_and_primary_bytes=107374182, replica_bytes=0, '
    + 'all_bytes=107374182, coordinating_operation_bytes=1048576, max_coordinating_and_primary_bytes=107374182]';
}
