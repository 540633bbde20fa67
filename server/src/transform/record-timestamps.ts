/**
 * @timestamp of REST audits, for every record: what timestamps.ts computes, with the Date's work
 * done once per second of records rather than once per record. An audit log is written in time
 * order, so consecutive records mostly share their second. (Modern records' mlog text needs no
 * such shortcut: parseMlogTimestamp reads the default shape by character codes, and a check of
 * the previous record's second, with startsWith, cost more than that read.)
 */
import { fromEpochMillis } from './timestamps.js';

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
