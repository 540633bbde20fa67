/**
 * url.* from an API path or URL, as Elastic's uri_parts processor writes it (keep_original): the
 * parts of java.net.URI, which the processor reads with getPath/getQuery/getFragment, so they come
 * percent-decoded; the extension from the last segment only when the path has a slash. A string
 * java.net.URI refuses (a space, a brace, a bracket in the path, a stray `%`…) gives nothing: the
 * processor runs with ignore_failure, and its java.net.URL fallback refuses what has no scheme.
 */
import type { JsonObject } from './types.js';

// ASCII characters java.net.URI allows in a path; query and fragment also allow `?`, `/`, `[`, `]`.
const PATH_CHARS = /^[A-Za-z0-9\-_.!~*'();/:@&=+$,%\u0080-\uffff]*$/;
const QUERY_CHARS = /^[A-Za-z0-9\-_.!~*'();/:@&=+$,%?[\]\u0080-\uffff]*$/;
const BAD_ESCAPE = /%(?![0-9A-Fa-f]{2})/;
// Non-ASCII space and control characters are refused too.
const NON_ASCII_REFUSED = /[\u0080-\u009f\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
const AUTHORITY = /^(?:([^@/?#]*)@)?(\[[0-9A-Fa-f:.]+\]|[^:/?#@[\]]*)(?::(\d*))?$/;

// What Mattermost writes: an absolute path (not `//authority`), no query, nothing to decode or to refuse.
const PLAIN_PATH = /^\/(?!\/)[A-Za-z0-9\-_.!~*'();/:@&=+$,]*$/;

export function urlParts(value: string): JsonObject | undefined {
  if (value === '') return undefined;
  if (PLAIN_PATH.test(value)) {
    const parts: JsonObject = { original: value, path: value };
    // The last segment read backwards by character codes: two lastIndexOf calls (C++ builtins)
    // cost more than the regex.
    for (let i = value.length - 1; i > 0; i--) {
      const code = value.charCodeAt(i);
      if (code === 0x2f) break;
      if (code === 0x2e) {
        parts.extension = value.slice(i + 1);
        break;
      }
    }
    return parts;
  }
  const hash = value.indexOf('#');
  const beforeHash = hash === -1 ? value : value.slice(0, hash);
  const fragment = hash === -1 ? undefined : value.slice(hash + 1);
  const question = beforeHash.indexOf('?');
  let rest = question === -1 ? beforeHash : beforeHash.slice(0, question);
  const query = question === -1 ? undefined : beforeHash.slice(question + 1);
  if (!legal(query, QUERY_CHARS) || !legal(fragment, QUERY_CHARS) || fragment?.includes('#')) return undefined;

  const parts: JsonObject = { original: value };
  const firstDelimiter = rest.search(/[/?#]/);
  const scheme = SCHEME.exec(rest);
  if (rest.startsWith(':') || (rest.includes(':') && !scheme && (firstDelimiter === -1 || rest.indexOf(':') < firstDelimiter))) return undefined;
  if (scheme && (firstDelimiter === -1 || scheme[0].length - 1 < firstDelimiter)) {
    parts.scheme = scheme[1];
    rest = rest.slice(scheme[0].length);
    // An opaque URI (mailto:x) has no path.
    if (!rest.startsWith('/')) return legal(rest, QUERY_CHARS) ? withQuery(parts, undefined, fragment) : undefined;
  }
  if (rest.startsWith('//')) {
    const end = rest.indexOf('/', 2);
    const authority = AUTHORITY.exec(end === -1 ? rest.slice(2) : rest.slice(2, end));
    if (!authority || !(authority[2]!.startsWith('[') || legal(authority[2], PATH_CHARS))) return undefined;
    if (authority[1] !== undefined) addUserInfo(parts, decode(authority[1]));
    if (authority[2]) parts.domain = authority[2];
    if (authority[3]) parts.port = Number(authority[3]);
    rest = end === -1 ? '' : rest.slice(end);
  }
  if (!legal(rest, PATH_CHARS)) return undefined;
  const path = decode(rest);
  parts.path = path;
  const slash = path.lastIndexOf('/');
  if (slash >= 0) {
    const dot = path.lastIndexOf('.');
    if (dot > slash) parts.extension = path.slice(dot + 1);
  }
  return withQuery(parts, query, fragment);
}

function withQuery(parts: JsonObject, query: string | undefined, fragment: string | undefined): JsonObject {
  if (query !== undefined) parts.query = decode(query);
  if (fragment !== undefined) parts.fragment = decode(fragment);
  return parts;
}

function addUserInfo(parts: JsonObject, userInfo: string): void {
  parts.user_info = userInfo;
  const colon = userInfo.indexOf(':');
  if (colon === -1) return;
  parts.username = userInfo.slice(0, colon);
  parts.password = userInfo.slice(colon + 1);
}

function legal(text: string | undefined, chars: RegExp): boolean {
  return text === undefined || (chars.test(text) && !BAD_ESCAPE.test(text) && !NON_ASCII_REFUSED.test(text));
}

/** java.net.URI's decoding: %XX sequences as UTF-8, a malformed one as U+FFFD. */
function decode(text: string): string {
  if (!text.includes('%')) return text;
  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    const bytes = Uint8Array.from(run.slice(1).split('%'), (hex) => parseInt(hex, 16));
    return new TextDecoder('utf-8').decode(bytes);
  });
}
