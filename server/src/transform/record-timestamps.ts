/**
 * @timestamp of modern records and REST audits, for every record: what timestamps.ts computes,
 * with the work of the usual case done once per second of records rather than once per record.
 * An audit log is written in time order, so consecutive records mostly share their second.
 */
import { fromEpochMillis, isDigit, parseMlogTimestamp } from './timestamps.js';

const MS_PER_SECOND = 1000;
/** Date's range (±8.64e15 ms) has six-digit years with a sign beyond these; these have four digits. */
const FIRST_PLAIN_MS = Date.parse('0000-01-01T00:00:00.000Z');
const LAST_PLAIN_MS = Date.parse('9999-12-31T23:59:59.999Z');

/** "000" … "999". */
const MILLIS = Array.from({ length: MS_PER_SECOND }, (_, ms) => String(ms).padStart(3, '0'));

let lastSecond = Number.NaN;
/** "YYYY-MM-DDTHH:MM:SS." of lastSecond. */
let lastSecondText = '';

/** Date's toISOString of epoch milliseconds (fromEpochMillis), undefined where Date has none. */
export function isoFromEpochMillis(value: number): string | undefined {
  // Date keeps whole milliseconds, cut toward zero; four-digit years only on this path.
  const ms = Math.trunc(value);
  if (!(ms >= FIRST_PLAIN_MS && ms <= LAST_PLAIN_MS)) return fromEpochMillis(value);
  const second = Math.floor(ms / MS_PER_SECOND);
  if (second !== lastSecond) {
    lastSecondText = new Date(second * MS_PER_SECOND).toISOString().slice(0, 20);
    lastSecond = second;
  }
  return `${lastSecondText}${MILLIS[ms - second * MS_PER_SECOND]}Z`;
}

/** The shape Mattermost writes by default, "2024-01-01 00:00:00.037 Z", up to its seconds. */
const SECOND_LENGTH = 19;
const DEFAULT_LENGTH = 25;

let lastMlogSecond = '';
/** "YYYY-MM-DDTHH:MM:SS" of lastMlogSecond. */
let lastMlogSecondText = '';

/** parseMlogTimestamp. */
export function isoFromMlogTimestamp(value: string): string | undefined {
  if (value.length === DEFAULT_LENGTH && lastMlogSecond !== '' && value.startsWith(lastMlogSecond) && defaultFraction(value)) {
    return `${lastMlogSecondText}${value.slice(SECOND_LENGTH, 23)}Z`;
  }
  const parsed = parseMlogTimestamp(value);
  // The default shape's output is the same characters rearranged: its first second stands for the others.
  if (parsed !== undefined && value.length === DEFAULT_LENGTH && defaultFraction(value)) {
    lastMlogSecond = value.slice(0, SECOND_LENGTH);
    lastMlogSecondText = parsed.slice(0, SECOND_LENGTH);
  }
  return parsed;
}

/** ".ddd Z" after the seconds. */
function defaultFraction(value: string): boolean {
  return value.charCodeAt(19) === 46 && isDigit(value, 20) && isDigit(value, 21) && isDigit(value, 22) && value.charCodeAt(23) === 32 && value.charCodeAt(24) === 90;
}
