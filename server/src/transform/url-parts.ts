/**
 * url.* from an API path or URL, as Elastic's uri_parts processor writes it (keep_original).
 * Returns undefined where java.net.URI would refuse the string (the processor ignores failures).
 */
import type { JsonObject } from './types.js';

const NOT_URI = /[\s<>"{}|\\^`]/;
const ABSOLUTE = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//;

export function urlParts(value: string): JsonObject | undefined {
  if (value === '' || NOT_URI.test(value)) return undefined;
  if (ABSOLUTE.test(value)) return absoluteParts(value);
  const hash = value.indexOf('#');
  const beforeHash = hash === -1 ? value : value.slice(0, hash);
  const question = beforeHash.indexOf('?');
  const path = question === -1 ? beforeHash : beforeHash.slice(0, question);
  const parts: JsonObject = { original: value, path };
  if (question !== -1) parts.query = beforeHash.slice(question + 1);
  if (hash !== -1) parts.fragment = value.slice(hash + 1);
  addExtension(parts, path);
  return parts;
}

function absoluteParts(value: string): JsonObject | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  const parts: JsonObject = { original: value, scheme: url.protocol.slice(0, -1), domain: url.hostname, path: url.pathname };
  if (url.port) parts.port = Number(url.port);
  if (url.search) parts.query = url.search.slice(1);
  if (url.hash) parts.fragment = url.hash.slice(1);
  if (url.username) parts.username = url.username;
  addExtension(parts, url.pathname);
  return parts;
}

function addExtension(parts: JsonObject, path: string): void {
  const lastSegment = path.slice(path.lastIndexOf('/') + 1);
  const dot = lastSegment.lastIndexOf('.');
  if (dot !== -1 && dot < lastSegment.length - 1) parts.extension = lastSegment.slice(dot + 1);
}
