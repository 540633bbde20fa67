/** The ES 8 client as the sink configures it, and its errors in words an operator can act on. */
import { readFileSync } from 'node:fs';
import { errors, type ClientOptions } from '@elastic/elasticsearch';
import { SinkUnavailableError } from './types.js';
import { scrubUrlCredentials } from '../url-credentials.js';

export interface ElasticsearchConnection {
  url: string;
  apiKey?: string;
  username?: string;
  password?: string;
  /** CA certificate: PEM text (as pasted in the plugin's settings) or the path of a PEM file. */
  ca?: string;
  caFingerprint?: string;
  requestTimeoutMs?: number;
}

export function clientOptions(options: ElasticsearchConnection): ClientOptions {
  const auth = options.apiKey
    ? { apiKey: options.apiKey }
    : options.username ? { username: options.username, password: options.password ?? '' } : undefined;
  return {
    node: options.url,
    auth,
    tls: options.ca ? { ca: readCertificate(options.ca) } : undefined,
    caFingerprint: options.caFingerprint,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    // Retries are ours: per item, with backoff, and by the queue when the whole batch fails.
    maxRetries: 0,
    compression: false,
  };
}

function readCertificate(ca: string): string | Buffer {
  if (ca.includes('-----BEGIN')) return ca;
  try {
    return readFileSync(ca);
  } catch (error) {
    throw new SinkUnavailableError(`cannot read ELASTICSEARCH_CA ${ca}: ${(error as Error).message}`, undefined, { cause: error });
  }
}

/** The error in words an operator can act on, without credentials (not even inside a URL). */
export function describeError(error: unknown): string {
  return scrubUrlCredentials(describeCause(error));
}

function describeCause(error: unknown): string {
  if (error instanceof errors.ResponseError) {
    const status = error.statusCode ?? 0;
    const body = error.body as { error?: { type?: string; reason?: string } | string } | undefined;
    const type = typeof body?.error === 'object' ? body.error.type : undefined;
    if (status === 401) return 'HTTP 401: authentication failed (check the API key or username/password)';
    if (status === 403) return `HTTP 403: not allowed${type ? ` (${type})` : ''}: the credentials lack a privilege`;
    const reason = typeof body?.error === 'object' ? body.error.reason : body?.error;
    return `HTTP ${status}${type ? ` ${type}` : ''}${reason ? `: ${reason.slice(0, 300)}` : ''}`;
  }
  if (error instanceof errors.ProductNotSupportedError) return 'the server is not Elasticsearch (no x-elastic-product header)';
  if (error instanceof errors.TimeoutError) return 'request timed out';
  if (error instanceof errors.ConnectionError) {
    const message = error.message;
    if (/ENOTFOUND|EAI_AGAIN/.test(message)) return `DNS lookup failed: ${message}`;
    if (/certificate|CERT|SSL|TLS/i.test(message)) return `TLS error: ${message}`;
    if (/ECONNREFUSED/.test(message)) return 'connection refused';
    return `connection error: ${message}`;
  }
  return error instanceof Error ? error.message : String(error);
}

export function unavailable(what: string, error: unknown): SinkUnavailableError {
  if (error instanceof SinkUnavailableError) return error;
  const retryAfter = error instanceof errors.ResponseError && error.statusCode === 429 ? 5000 : undefined;
  return new SinkUnavailableError(`${what}: ${describeError(error)}`, retryAfter, { cause: error });
}
