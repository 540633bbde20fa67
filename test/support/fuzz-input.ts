/**
 * Seeded random input for the fuzz tests: random bytes, random JSON of random depth and width,
 * huge strings, and audit records (legacy and modern) with random values where their fields go.
 * JSON is built as text, never as objects: a value 10,000 levels deep must not need a recursive
 * JSON.stringify in the test either. No line contains a newline, and none is blank.
 */
import { seededRandom } from './legacy-line-generator.js';


const KEYS = ['timestamp', 'event', 'status', 'user_id', 'team', 'patch', 'patched', 'channel', 'post', 'client', 'ip_address', 'api_path',
  'event_name', 'actor', 'meta', 'error', 'parameters', 'id', 'name', '__proto__', 'constructor', 'a', '', 'ü', '😀', 'x.y'];
const STRINGS = ['', ' ', 'success', 'fail', '2021-12-04 23:19:32.051 Z', '10.0.0.1', '::1', '/api/v4/users/login', 'Mozilla/5.0 (X11; Linux x86_64) Firefox/121.0',
  '[]', '[a, b]', 'null', '\u0000', '\ud800', '\u2028', '"', '\\', 'é', '日本語'];

export class FuzzInput {
  readonly next: () => number;
  private hugeLeft = 0;

  constructor(seed: number) {
    this.next = seededRandom(seed);
  }

  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)]!;
  }

  /** Bytes with no newline, not all blank; about a third of them not valid UTF-8 at all. */
  bytesLine(): Buffer {
    const bytes = Buffer.alloc(1 + this.int(this.next() < 0.1 ? 5000 : 200));
    for (let i = 0; i < bytes.length; i++) {
      let byte = this.int(256);
      if (byte === 0x0a) byte = 0x0b;
      bytes[i] = byte;
    }
    if (bytes.every((b) => b === 0x20 || b === 0x09 || b === 0x0d)) bytes[0] = 0x78;
    return bytes;
  }

  string(): string {
    const roll = this.next();
    if (roll < 0.5) return this.pick(STRINGS);
    if (roll < 0.99 || this.hugeLeft === 0) return Array.from({ length: this.int(40) }, () => String.fromCharCode(32 + this.int(0x2fff))).join('');
    // Huge: up to 1.5 MB, past MAX_RECORD_BYTES; one a line at most, or the input is all huge strings.
    this.hugeLeft--;
    return this.pick(['x', 'é', '\\', '"']).repeat(1 + this.int(1_500_000));
  }

  /** A JSON value as text, at most `depth` levels deep, sometimes one long chain of nesting. */
  json(depth: number): string {
    const roll = this.next();
    if (depth <= 0 || roll < 0.35) return this.scalar();
    if (roll < 0.37) return this.chain(1 + this.int(this.next() < 0.1 ? 20_000 : 100));
    // Mostly narrow, so that a tree stays small on average; sometimes wide.
    const width = this.int(this.next() < 0.05 ? 50 : 4);
    if (roll < 0.7) return `[${Array.from({ length: width }, () => this.json(depth - 1)).join(',')}]`;
    return `{${Array.from({ length: width }, () => `${JSON.stringify(this.pick(KEYS))}:${this.json(depth - 1)}`).join(',')}}`;
  }

  scalar(): string {
    const roll = this.next();
    if (roll < 0.5) return JSON.stringify(this.string());
    if (roll < 0.7) return String(this.pick([0, -1, 1.5, 1e308, -0, 2 ** 53 + 1, 1713200000000]));
    return this.pick(['true', 'false', 'null']);
  }

  /** Objects and arrays one inside the other, `levels` deep. */
  chain(levels: number): string {
    let open = '';
    let close = '';
    for (let i = 0; i < levels; i++) {
      const object = this.next() < 0.5;
      open += object ? `{${JSON.stringify(this.pick(KEYS))}:` : '[';
      close = (object ? '}' : ']') + close;
    }
    return `${open}${this.scalar()}${close}`;
  }

  /** An audit record of one of the formats, with random JSON where some of its fields go. */
  record(): string {
    const base: Array<[string, string]> = this.next() < 0.5
      ? [['timestamp', '"2021-12-04 23:19:32.051 Z"'], ['event', '"patchTeam"'], ['status', '"success"'], ['user_id', '"u1"'], ['ip_address', '"10.0.0.1"']]
      : [['timestamp', '"2024-03-01 10:15:30.123 Z"'], ['event_name', '"updateUserRoles"'], ['status', '"fail"'], ['actor', '{"user_id":"u2","client":"mmctl/9.3.0"}'],
        ['event', `{"parameters":${this.json(4)},"prior_state":${this.json(3)},"resulting_state":${this.json(3)},"object_type":"user"}`]];
    for (let n = this.int(4); n > 0; n--) {
      const field = this.pick(KEYS);
      const value = this.json(6);
      const at = base.findIndex(([key]) => key === field);
      if (at >= 0) base[at] = [field, value];
      else base.push([field, value]);
    }
    return `{${base.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',')}}`;
  }

  /** One line of any kind: a record, random JSON, random bytes. */
  line(): Buffer {
    // About one line in fifty may hold a huge string.
    this.hugeLeft = this.next() < 0.02 ? 1 : 0;
    const roll = this.next();
    if (roll < 0.45) return Buffer.from(this.record());
    if (roll < 0.8) return Buffer.from(this.json(8));
    return this.bytesLine();
  }
}
