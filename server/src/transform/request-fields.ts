/**
 * source.*, network.forwarded_ip and url.* of an audit record: where the request came from and
 * what it asked for. Shared by the modern and the REST mapper.
 */
import { isIP } from 'node:net';
import type { DocumentParts } from './pruned-copy.js';
import { RememberedAnswers } from './remembered-answers.js';
import type { GeoLookup, JsonObject } from './types.js';
import { urlParts } from './url-parts.js';

const ipAddresses = new RememberedAnswers((address) => isIP(address) !== 0, { entries: 10_000, longestKey: 64 });

/** Whether node's isIP takes the string for an address. */
export function isIpAddress(address: string): boolean {
  return ipAddresses.answer(address);
}

/** source.address, and for an IP source.ip with its GeoIP fields; undefined for no address. */
export function sourceFields(address: unknown, geo: GeoLookup | undefined, parts: DocumentParts): JsonObject | undefined {
  if (typeof address !== 'string' || address === '') return undefined;
  const source: JsonObject = { address };
  if (!isIpAddress(address)) return source;
  source.ip = address;
  const found = geo?.(address);
  if (found?.geo) {
    const fields = parts.kept(found.geo, 3);
    if (fields !== undefined) source.geo = fields;
  }
  if (found?.as) {
    const fields = parts.kept(found.as, 3);
    if (fields !== undefined) source.as = fields;
  }
  return source;
}

/** The first address of an X-Forwarded-For header, when it is an IP. */
export function forwardedIp(header: unknown): string | undefined {
  // Mostly "": neither indexOf nor trim is needed to say that it names no address.
  if (typeof header !== 'string' || header === '') return undefined;
  const comma = header.indexOf(',');
  const first = (comma === -1 ? header : header.slice(0, comma)).trim();
  return isIpAddress(first) ? first : undefined;
}

/** url.* of an API path, pruned; undefined when it has none. */
export function urlFields(apiPath: string, parts: DocumentParts): JsonObject | undefined {
  const url = urlParts(apiPath);
  return url === undefined ? undefined : (parts.kept(url, 2) as JsonObject | undefined);
}
