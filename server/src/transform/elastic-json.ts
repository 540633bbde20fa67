/**
 * A line parsed as the json processor of Elastic's pipeline parses it (Elasticsearch's Jackson
 * settings): comments are allowed, a key repeated in one object is an error, and nothing may
 * follow the value. JSON.parse does the parsing; the two differences are checked around it: the
 * comments only when JSON.parse has refused the line, the repeated keys (repeatsAKey) only for
 * the legacy lines that Elastic's pipeline is for.
 */
export type ParsedLine = { ok: true; value: unknown; text: string } | { ok: false; message: string };

export function parseLikeElastic(text: string): ParsedLine {
  let source = text;
  let value: unknown;
  try {
    value = text.charCodeAt(0) === 0x7b ? JSON.parse(source) : parseWithoutStack(source);
  } catch (error) {
    const uncommented = text.includes('/') ? withoutComments(text) : undefined;
    if (uncommented === undefined) return { ok: false, message: `cannot parse JSON: ${(error as Error).message}` };
    try {
      value = JSON.parse(uncommented);
      source = uncommented;
    } catch {
      return { ok: false, message: `cannot parse JSON: ${(error as Error).message}` };
    }
  }
  return { ok: true, value, text: source };
}

/**
 * JSON.parse for a line that does not open an object, which is often no JSON at all: the
 * SyntaxError's stack trace, which nobody reads, costs several times the parse (10 µs against 2).
 */
function parseWithoutStack(text: string): unknown {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return JSON.parse(text);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

export const REPEATED_KEY_MESSAGE = 'cannot parse JSON: a field is repeated in one object';

/** Whether the text (as parsed, comments blanked) repeats a key within one of its objects. */
export function repeatsAKey(text: string, value: object): boolean {
  const keys = keysInValue(value, 1);
  // Too deep to count: such a record is the depth check's to refuse (see document-depth.ts), not this one's.
  if (keys < 0) return false;
  return textHoldsOtherThan(text, keys);
}

/**
 * Whether the text holds another number of object keys than `keys`, those of its parsed value:
 * for a caller that counted them itself (the legacy fast path, which reads every key anyway).
 */
export function textHoldsOtherThan(text: string, keys: number): boolean {
  // The quick count can only count too many (a string that starts with a colon); then the exact one decides.
  return quickKeysInText(text) !== keys && keysInText(text) !== keys;
}

/**
 * At least as many as the object keys the text holds, and exactly as many unless a string starts
 * with a colon: an unescaped quote followed (after whitespace) by a colon ends a key, or opens such
 * a string. It runs for every line, so it only looks around each colon.
 */
function quickKeysInText(text: string): number {
  let keys = 0;
  for (let at = text.indexOf(':'); at !== -1; at = text.indexOf(':', at + 1)) {
    let quote = at - 1;
    let code = text.charCodeAt(quote);
    while (code === 32 || code === 9 || code === 10 || code === 13) code = text.charCodeAt(--quote);
    if (code !== 34) continue;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 92) backslashes++;
    if ((backslashes & 1) === 0) keys++;
  }
  return keys;
}

const STRING_TOKENS = /"(?:[^"\\]|\\.)*"(\s*:)?/g;

/** How many object keys the (valid JSON) text holds: its strings read in order, those before a colon. */
function keysInText(text: string): number {
  let keys = 0;
  for (const match of text.matchAll(STRING_TOKENS)) if (match[1] !== undefined) keys++;
  return keys;
}

/** Past this depth keys are not counted: the recursion below stays far from the stack's end. */
const MAX_COUNTED_DEPTH = 1000;

/**
 * How many keys the parsed value holds, nested ones included: fewer than the text's means a
 * repeat; -1 when it nests deeper than MAX_COUNTED_DEPTH.
 */
function keysInValue(value: object, depth: number): number {
  if (depth > MAX_COUNTED_DEPTH) return -1;
  let keys = 0;
  if (Array.isArray(value)) {
    for (const item of value) {
      if (typeof item !== 'object' || item === null) continue;
      const inner = keysInValue(item, depth + 1);
      if (inner < 0) return -1;
      keys += inner;
    }
    return keys;
  }
  for (const key in value) {
    keys++;
    const child = (value as Record<string, unknown>)[key];
    if (typeof child !== 'object' || child === null) continue;
    const inner = keysInValue(child, depth + 1);
    if (inner < 0) return -1;
    keys += inner;
  }
  return keys;
}

/** The text with `/* … *\/` and `// …` comments outside strings blanked; undefined if one never ends. */
function withoutComments(text: string): string | undefined {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === 34) {
      const end = stringEnd(text, i);
      out += text.slice(i, end);
      i = end;
    } else if (code === 47 && text.charCodeAt(i + 1) === 42) {
      const end = text.indexOf('*/', i + 2);
      if (end === -1) return undefined;
      out += ' ';
      i = end + 2;
    } else if (code === 47 && text.charCodeAt(i + 1) === 47) {
      const end = text.indexOf('\n', i + 2);
      out += ' ';
      i = end === -1 ? text.length : end;
    } else {
      out += text[i];
      i++;
    }
  }
  return out;
}

function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === 92) i += 2;
    else if (code === 34) return i + 1;
    else i++;
  }
  return text.length;
}
