/**
 * Bearer-token checks for the HTTP API. Tokens are compared in constant time (over their
 * SHA-256, so lengths leak nothing either). Without a configured token an endpoint answers only
 * loopback clients: zero-config `make run` works locally and exposes nothing. A local client is
 * also one that names a loopback Host and comes from no other site's web page: a page the
 * admin's browser shows could otherwise reach the forwarder from the same machine, by a
 * cross-site form post (Origin) or by DNS rebinding a name of its own to 127.0.0.1 (Host).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

export function tokenMatches(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

export function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1' || (address?.startsWith('127.') ?? false);
}

/** localhost, 127.0.0.1 or [::1], with any port or none. */
export function isLoopbackHostHeader(host: string | undefined): boolean {
  if (host === undefined) return false;
  const name = (host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d*$/, '')).toLowerCase();
  return name === 'localhost' || name === '127.0.0.1' || name === '[::1]';
}

/** Why a request may not use an endpoint without a token, or undefined when it may. */
function localClientRefusal(req: Request, siteOrigin: string | undefined): { status: number; message: string } | undefined {
  if (!isLoopback(req.socket.remoteAddress)) return { status: 401, message: 'no token is configured, so only local clients are allowed' };
  if (!isLoopbackHostHeader(req.headers.host)) {
    return { status: 403, message: 'no token is configured: only requests to localhost, 127.0.0.1 or [::1] are taken' };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== siteOrigin) {
    return { status: 403, message: 'no token is configured: requests from web pages of other sites are refused' };
  }
  return undefined;
}

/**
 * Express middleware; `token` is read per request, since a pushed config can change it.
 * `siteUrl` (MATTERMOST_SITE_URL): the plugin's pages, whose Origin stays allowed without a token.
 */
export function requireToken(token: () => string | undefined | Promise<string | undefined>, realm: string, siteUrl?: string) {
  const siteOrigin = siteUrl ? new URL(siteUrl).origin : undefined;
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    let expected: string | undefined;
    try {
      expected = await token();
    } catch (error) {
      return next(error);
    }
    if (expected === undefined) {
      const refusal = localClientRefusal(req, siteOrigin);
      if (!refusal) return next();
      res.status(refusal.status).json({ error: `${realm}: ${refusal.message}` });
      return;
    }
    const header = req.headers.authorization ?? '';
    const presented = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    if (presented !== '' && tokenMatches(presented, expected)) return next();
    res.setHeader('WWW-Authenticate', `Bearer realm="${realm}"`);
    res.status(401).json({ error: `${realm}: missing or wrong bearer token` });
  };
}
