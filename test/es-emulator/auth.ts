/** Elasticsearch security as the client meets it: API key or basic credentials, else 401 security_exception. */
import { cause, EsError } from './es-errors.js';
import type { EsEmulatorOptions } from './contract.js';

const CHALLENGES = ['Basic realm="security", charset="UTF-8"', 'Bearer realm="security"', 'ApiKey'];

/** Throws the 401 ES would answer; does nothing when no credentials are configured. */
export function authorizer(auth: EsEmulatorOptions['auth']): (authorization: string | undefined, uri: string) => void {
  if (!auth || (!auth.apiKey && auth.username === undefined)) return () => undefined;
  const accepted = new Set<string>();
  if (auth.apiKey) accepted.add(`ApiKey ${auth.apiKey}`);
  if (auth.username !== undefined) accepted.add(`Basic ${Buffer.from(`${auth.username}:${auth.password ?? ''}`).toString('base64')}`);
  return (authorization, uri) => {
    if (authorization !== undefined && accepted.has(authorization.trim())) return;
    throw new EsError(401, cause('security_exception', reason(authorization, uri), { header: { 'WWW-Authenticate': CHALLENGES } }), {
      'www-authenticate': CHALLENGES,
    });
  };
}

function reason(authorization: string | undefined, uri: string): string {
  if (authorization === undefined) return `missing authentication credentials for REST request [${uri}]`;
  if (authorization.startsWith('Basic ')) {
    const user = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8').split(':')[0];
    return `unable to authenticate user [${user}] for REST request [${uri}]`;
  }
  return 'unable to authenticate with provided credentials and anonymous access is not allowed for this request';
}
