/**
 * Bearer-token checks for the HTTP API. Tokens are compared in constant time (over their
 * SHA-256, so lengths leak nothing either). Without a configured token an endpoint answers only
 * loopback clients: zero-config `make run` works locally and exposes nothing.
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

/** Express middleware; `token` is read per request, since a pushed config can change it. */
export function requireToken(token: () => string | undefined | Promise<string | undefined>, realm: string) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    let expected: string | undefined;
    try {
      expected = await token();
    } catch (error) {
      return next(error);
    }
    if (expected === undefined) {
      if (isLoopback(req.socket.remoteAddress)) return next();
      res.status(401).json({ error: `${realm}: no token is configured, so only local clients are allowed` });
      return;
    }
    const header = req.headers.authorization ?? '';
    const presented = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    if (presented !== '' && tokenMatches(presented, expected)) return next();
    res.setHeader('WWW-Authenticate', `Bearer realm="${realm}"`);
    res.status(401).json({ error: `${realm}: missing or wrong bearer token` });
  };
}
