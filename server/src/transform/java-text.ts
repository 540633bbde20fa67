/**
 * Values as Elasticsearch's Java side writes them as text, for the pipeline's `{{{field}}}`
 * templates (Mustache): a number as Jackson read it (an integer literal as its digits, any other
 * as Java's Double.toString: 1.0, 1.0E21), a list as Mustache's view of it ({0=a, 1=b}), an object
 * as Java's HashMap.toString, whose order is the hash order of its keys.
 * JSON.parse forgets whether a number was written 1 or 1.0, so numbers are looked up in the line's
 * own text: this runs only when a number is rendered, which real audit lines never ask for.
 */

/** The text of the line being processed, scanned for number literals on first use. */
export class NumberLiterals {
  private forms: Map<number, string> | undefined;

  constructor(private readonly raw: string) {}

  javaText(value: number): string {
    this.forms ??= scanNumbers(this.raw);
    return this.forms.get(value) ?? javaDouble(value);
  }
}

// String tokens are matched whole so that digits inside them are never taken for numbers.
const TOKENS = /"(?:[^"\\]|\\.)*"|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;

function scanNumbers(raw: string): Map<number, string> {
  const forms = new Map<number, string>();
  for (const match of raw.matchAll(TOKENS)) {
    const literal = match[1];
    if (literal === undefined) continue;
    const value = Number(literal);
    if (forms.has(value)) continue;
    forms.set(value, /[.eE]/.test(literal) ? javaDouble(value) : BigInt(literal).toString());
  }
  return forms;
}

/** Java's Double.toString: decimal from 10^-3 to 10^7, else computerized scientific notation. */
export function javaDouble(value: number): string {
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    const text = String(value);
    return text.includes('.') ? text : `${text}.0`;
  }
  const [mantissa, exponent] = value.toExponential().split('e') as [string, string];
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${exponent.replace('+', '')}`;
}

/** What `{{{field}}}` renders for a value of the parsed line. */
export function renderMustache(value: unknown, numbers: NumberLiterals): string {
  if (Array.isArray(value)) return `{${value.map((item, i) => `${i}=${javaToString(item, numbers)}`).join(', ')}}`;
  return javaToString(value, numbers);
}

function javaToString(value: unknown, numbers: NumberLiterals): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numbers.javaText(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map((item) => javaToString(item, numbers)).join(', ')}]`;
  const entries = hashMapOrder(Object.keys(value as object));
  return `{${entries.map((key) => `${key}=${javaToString((value as Record<string, unknown>)[key], numbers)}`).join(', ')}}`;
}

/** The iteration order of a java.util.HashMap holding these keys, put in this order. */
function hashMapOrder(keys: string[]): string[] {
  let capacity = 16;
  while (keys.length > capacity * 0.75) capacity *= 2;
  return keys
    .map((key, index) => ({ key, index, bucket: spreadHash(key) & (capacity - 1) }))
    .sort((a, b) => a.bucket - b.bucket || a.index - b.index)
    .map((entry) => entry.key);
}

function spreadHash(key: string): number {
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (Math.imul(h, 31) + key.charCodeAt(i)) | 0;
  return (h ^ (h >>> 16)) >>> 0;
}
