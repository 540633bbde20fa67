/** Timestamp formats of Mattermost's audit writers. */

/**
 * Elastic's date processor with the format `yyyy-MM-dd HH:mm:ss.SSS 'Z'` in UTC: exactly that
 * shape (`dddd-dd-dd dd:dd:dd.ddd Z`), real calendar and clock values (Java's formatter refuses
 * Feb 30 and 24:00), output as ISO 8601 with milliseconds. Read by character codes at fixed
 * places, without a Date: it runs for every legacy line.
 */
export function parseLegacyTimestamp(value: string): string | undefined {
  if (value.length !== 25 || value.charCodeAt(4) !== 0x2d || value.charCodeAt(7) !== 0x2d || value.charCodeAt(10) !== 0x20) return undefined;
  if (value.charCodeAt(13) !== 0x3a || value.charCodeAt(16) !== 0x3a || value.charCodeAt(19) !== 0x2e) return undefined;
  if (value.charCodeAt(23) !== 0x20 || value.charCodeAt(24) !== 0x5a || !isDigit(value, 20) || !isDigit(value, 21) || !isDigit(value, 22)) return undefined;
  const year = twoDigits(value, 0) * 100 + twoDigits(value, 2);
  const month = twoDigits(value, 5);
  const day = twoDigits(value, 8);
  const hour = twoDigits(value, 11);
  const minute = twoDigits(value, 14);
  const second = twoDigits(value, 17);
  // twoDigits is NaN, which fails every comparison, for a non-digit.
  if (!(hour <= 23 && minute <= 59 && second <= 59)) return undefined;
  // `yyyy` is Java's year of era, which starts at 1.
  if (!(year >= 1) || !validDay(year, month, day)) return undefined;
  return `${value.slice(0, 10)}T${value.slice(11, 23)}Z`;
}

function isDigit(value: string, at: number): boolean {
  const code = value.charCodeAt(at);
  return code >= 48 && code <= 57;
}

/** The two digits at `at` as a number; NaN unless both are digits. */
function twoDigits(value: string, at: number): number {
  const tens = value.charCodeAt(at) - 48;
  const ones = value.charCodeAt(at + 1) - 48;
  return tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9 ? tens * 10 + ones : NaN;
}

/** The day of the last timestamp read: records come in time order, so most share it. */
let dayKey = NaN;
let dayMs = NaN;

/**
 * Date.parse's answer, for the ISO text the transform writes (`2024-01-01T00:00:00.555Z`) read by
 * character codes, the day's part once a day: every document's id reads its time (documentId), and
 * Date.parse took about 0.4 µs a record. Any other text goes to Date.parse.
 */
export function timestampMillis(text: string): number {
  if (text.length !== 24 || text.charCodeAt(4) !== 0x2d || text.charCodeAt(7) !== 0x2d || text.charCodeAt(10) !== 0x54
    || text.charCodeAt(13) !== 0x3a || text.charCodeAt(16) !== 0x3a || text.charCodeAt(19) !== 0x2e || text.charCodeAt(23) !== 0x5a) return Date.parse(text);
  const hour = twoDigits(text, 11);
  const minute = twoDigits(text, 14);
  const second = twoDigits(text, 17);
  const milli = twoDigits(text, 20) * 10 + (isDigit(text, 22) ? text.charCodeAt(22) - 48 : NaN);
  const day = (twoDigits(text, 0) * 100 + twoDigits(text, 2)) * 10_000 + twoDigits(text, 5) * 100 + twoDigits(text, 8);
  // NaN (a character that is no digit) fails every comparison; hour 24 is Date.parse's to read.
  if (!(hour <= 23 && minute <= 59 && second <= 59 && milli >= 0 && day >= 0)) return Date.parse(text);
  if (day !== dayKey) {
    dayKey = day;
    dayMs = Date.parse(text.slice(0, 10));
  }
  return dayMs + ((hour * 60 + minute) * 60 + second) * 1000 + milli;
}

// mlog's JSON formatter: "2006-01-02 15:04:05.000 Z07:00" (Z for UTC, else an offset).
const MLOG = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))? ?(Z|[+-]\d{2}:?\d{2})$/;

/** mlog's timestamps (any offset, any fraction) and plain ISO 8601; UTC ISO output. */
export function parseMlogTimestamp(value: string): string | undefined {
  // What Mattermost writes by default (UTC, milliseconds) is the legacy shape: read it without a Date.
  const utc = parseLegacyTimestamp(value);
  if (utc !== undefined) return utc;
  const m = MLOG.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, fraction = '', zone] = m as unknown as string[];
  const ms = (fraction + '000').slice(0, 3);
  const offset = zone === 'Z' ? 'Z' : `${zone!.slice(0, 3)}:${zone!.slice(-2)}`;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}${offset}`);
  if (Number.isNaN(date.getTime()) || !validDay(Number(y), Number(mo), Number(d))) return undefined;
  return date.toISOString();
}

export function fromEpochMillis(value: number): string | undefined {
  if (!Number.isFinite(value)) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

// Date accepts "2021-02-30" by rolling over; Java's formatter does not. Proleptic Gregorian years.
function validDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!);
}
