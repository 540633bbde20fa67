/**
 * Bearer-token checks for the HTTP API. Tokens are compared in constant time (over their
 * SHA-256, so lengths leak nothing either). Without a configured token an endpoint answers only
 * loopback clients: zero-config `make run` works locally and exposes nothing.
 *
 * Reading is apart from changing: STATUS_TOKEN reads (status, config, dead letters) and
 * ADMIN_TOKEN reads and changes; the status token presented for a change is answered 403, so
 * whoever can read the plugin's settings page can never redirect or blind the audit trail.
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

/** Who made a request, as the forwarder's own audit records name it: the kind of token, and from where. */
export interface Caller {
  token: 'admin' | 'status' | 'local';
  address: string | undefined;
}

/** The caller of a request that passed requireAccess. */
export function callerOf(res: Response): Caller {
  return (res.locals.caller as Caller | undefined) ?? { token: 'local', address: undefined };
}

function presentedToken(req: Request): string {
  const header = req.headers.authorization ?? '';
  return header.startsWith('Bearer ') ? header.slice(7).trim() : '';
}

/** No token configured for this endpoint: local clients only. */
function allowWithoutToken(req: Request, res: Response, next: NextFunction, realm: string): void {
  if (isLoopback(req.socket.remoteAddress)) return next();
  res.status(401).json({ error: `${realm}: no token is configured, so only local clients are allowed` });
}

function refuse(res: Response, realm: string): void {
  res.setHeader('WWW-Authenticate', `Bearer realm="${realm}"`);
  res.status(401).json({ error: `${realm}: missing or wrong bearer token` });
}

/** Express middleware; `token` is read per request, since a pushed config can change it. */
export function requireToken(token: () => string | undefined | Promise<string | undefined>, realm: string) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    let expected: string | undefined;
    try {
      expected = await token();
    } catch (error) {
      return next(error);
    }
    if (expected === undefined) return allowWithoutToken(req, res, next, realm);
    const presented = presentedToken(req);
    if (presented !== '' && tokenMatches(presented, expected)) return next();
    refuse(res, realm);
  };
}

export interface AccessTokens {
  admin: string | undefined;
  status: string | undefined;
}

/**
 * Express middleware for the status and admin endpoints. `read` takes the admin or the status
 * token, `change` the admin token only. The caller (token kind, client address) is left in
 * res.locals for the forwarder's own audit record of a change.
 */
export function requireAccess(tokens: AccessTokens, need: 'read' | 'change') {
  return (req: Request, res: Response, next: NextFunction): void => {
    const address = req.socket.remoteAddress;
    const presented = presentedToken(req);
    const matches = (expected: string | undefined) => expected !== undefined && presented !== '' && tokenMatches(presented, expected);
    if (matches(tokens.admin)) {
      res.locals.caller = { token: 'admin', address } satisfies Caller;
      return next();
    }
    if (matches(tokens.status)) {
      if (need === 'read') {
        res.locals.caller = { token: 'status', address } satisfies Caller;
        return next();
      }
      res.status(403).json({ error: 'admin: the status token may only read; changes need the admin token (ADMIN_TOKEN)' });
      return;
    }
    const configured = need === 'read' ? tokens.admin ?? tokens.status : tokens.admin;
    if (configured !== undefined) return refuse(res, need === 'read' ? 'status' : 'admin');
    res.locals.caller = { token: 'local', address } satisfies Caller;
    allowWithoutToken(req, res, next, need === 'read' ? 'status' : 'admin');
  };
}
