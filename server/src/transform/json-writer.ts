import { isDecimalInteger, MAX_DECIMAL_DIGITS, writeDecimalDigits } from './decimal-digits.js';

/**
 * JSON text written as UTF-8 bytes straight from values, in the order the caller writes them: for
 * a document whose shape the caller knows (the usual legacy line, legacy-fast-json.ts), with no
 * object graph to build and no JSON.stringify over it, and for a batch's bulk body (its action
 * lines, and documents as text or bytes: DocumentBatchEncoder). In Node 20 (V8 11.3)
 * JSON.stringify takes about 100 ns a property, some 6–9 µs for a 1.2 KB document; this writes a
 * plain ASCII character in a few nanoseconds. What it writes is byte for byte what JSON.stringify
 * and a UTF-8 encoding of its text give for the same values (test/legacy-fast-json.test.ts).
 */
export class JsonWriter {
  private buffer: Uint8Array;
  /** The same memory as `buffer`, for the UTF-8 encoder of strings that are not plain ASCII. */
  private view: Buffer;
  private at = 0;

  /** `buffer`: where to write first (it grows into a new one when full); its old contents are overwritten. */
  constructor(buffer: Uint8Array = new Uint8Array(16 * 1024)) {
    this.buffer = buffer;
    this.view = Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  }

  reset(): void {
    this.at = 0;
  }

  /** Takes back what was written after the first `length` bytes. */
  truncate(length: number): void {
    this.at = Math.min(this.at, length);
  }

  /** Plain ASCII `text` over bytes written before, from `at` (a place kept for a value known later). */
  overwrite(at: number, text: string): void {
    const buffer = this.buffer;
    for (let i = 0; i < text.length; i++) buffer[at + i] = text.charCodeAt(i);
  }

  /** Bytes written since the last reset. */
  get length(): number {
    return this.at;
  }

  /** What was written since the last reset, as a view of the writer's own buffer (valid until it writes again). */
  written(): Uint8Array {
    return this.buffer.subarray(0, this.at);
  }

  /** JSON text the caller knows to be plain ASCII: the keys, braces and constants of a document. */
  ascii(text: string): void {
    this.room(text.length);
    const buffer = this.buffer;
    let at = this.at;
    for (let i = 0; i < text.length; i++) buffer[at++] = text.charCodeAt(i);
    this.at = at;
  }

  /**
   * An object's key, `name` plain ASCII: after the comma unless it is the object's first (the last
   * byte written is then its `{`, which no value ends with).
   */
  key(name: string): void {
    this.room(name.length + 4);
    const buffer = this.buffer;
    let at = this.at;
    if (buffer[at - 1] !== 0x7b) buffer[at++] = 0x2c;
    buffer[at++] = 34;
    for (let i = 0; i < name.length; i++) buffer[at++] = name.charCodeAt(i);
    buffer[at++] = 34;
    buffer[at++] = 0x3a;
    this.at = at;
  }

  /** Bytes of JSON made before (a fragment shared by many documents). */
  bytes(fragment: Uint8Array): void {
    this.room(fragment.length);
    this.buffer.set(fragment, this.at);
    this.at += fragment.length;
  }

  /**
   * Bytes it wrote before, [start, end) since the last reset, written again: a value the document
   * holds in several fields (an API path, an address). One copy, where a byte loop costs some 5 ns a byte.
   */
  again(start: number, end: number): void {
    this.room(end - start);
    this.buffer.copyWithin(this.at, start, end);
    this.at += end - start;
  }

  /** A string, quoted; escaped and encoded as JSON.stringify and UTF-8 do when it is not plain printable ASCII. */
  string(text: string): void {
    this.room(text.length + 2);
    const buffer = this.buffer;
    let at = this.at;
    buffer[at++] = 34;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code < 0x20 || code > 0x7e || code === 34 || code === 92) {
        this.json(JSON.stringify(text));
        return;
      }
      buffer[at++] = code;
    }
    buffer[at++] = 34;
    this.at = at;
  }

  stringList(list: readonly string[]): void {
    this.ascii('[');
    for (let i = 0; i < list.length; i++) {
      if (i > 0) this.ascii(',');
      this.string(list[i]!);
    }
    this.ascii(']');
  }

  /** A number as JSON.stringify writes it: a file offset's digits straight into the buffer. */
  number(value: number): void {
    if (!isDecimalInteger(value)) {
      this.ascii(Number.isFinite(value) ? String(value) : 'null');
      return;
    }
    this.room(MAX_DECIMAL_DIGITS);
    this.at = writeDecimalDigits(this.buffer, this.at, value);
  }

  /** Any JSON value (what JSON.parse makes, and what the transform puts beside it), as JSON.stringify writes it. */
  value(value: unknown): void {
    if (typeof value === 'string') this.string(value);
    else if (typeof value === 'number') this.number(value);
    else if (typeof value === 'boolean') this.ascii(value ? 'true' : 'false');
    else if (value === null || typeof value !== 'object') this.ascii('null');
    else if (Array.isArray(value)) this.list(value);
    else this.object(value as Record<string, unknown>);
  }

  private list(list: readonly unknown[]): void {
    this.ascii('[');
    for (let i = 0; i < list.length; i++) {
      if (i > 0) this.ascii(',');
      const item = list[i];
      // JSON.stringify writes null for what it cannot write in a list, and leaves such a key out of an object.
      if (skipped(item)) this.ascii('null');
      else this.value(item);
    }
    this.ascii(']');
  }

  private object(object: Record<string, unknown>): void {
    if (typeof object.toJSON === 'function') {
      this.json(JSON.stringify(object));
      return;
    }
    this.ascii('{');
    let first = true;
    for (const key of Object.keys(object)) {
      const field = object[key];
      if (skipped(field)) continue;
      if (!first) this.ascii(',');
      first = false;
      this.string(key);
      this.ascii(':');
      this.value(field);
    }
    this.ascii('}');
  }

  /**
   * JSON text made elsewhere (JSON.stringify's), which may hold any character, as UTF-8: one
   * Buffer write (TextEncoder's encodeInto costs about twice as much, with a view and a result per call).
   */
  json(json: string): void {
    // A UTF-16 code unit takes at most 3 bytes of UTF-8: with that much room the write is whole.
    this.room(json.length * 3);
    this.at += this.view.write(json, this.at);
  }

  /** Doubles the buffer (at least) when fewer than `bytes` are free. */
  private room(bytes: number): void {
    if (this.at + bytes <= this.buffer.length) return;
    const bigger = new Uint8Array(Math.max(this.buffer.length * 2, this.at + bytes));
    bigger.set(this.buffer.subarray(0, this.at));
    this.buffer = bigger;
    this.view = Buffer.from(bigger.buffer, 0, bigger.length);
  }
}

function skipped(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}
