/** Timestamp formats of Mattermost's audit writers. */

const LEGACY = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{3}) Z$/;

/**
 * Elastic's date processor with the format `yyyy-MM-dd HH:mm:ss.SSS 'Z'` in UTC: exactly that
 * shape, real calendar values, output as ISO 8601 with milliseconds.
 */
export function parseLegacyTimestamp(value: string): string | undefined {
  const m = LEGACY.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, ms] = m as unknown as string[];
  return isoIfValid(`${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`, Number(mo), Number(d));
}

// mlog's JSON formatter: "2006-01-02 15:04:05.000 Z07:00" (Z for UTC, else an offset).
const MLOG = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))? ?(Z|[+-]\d{2}:?\d{2})$/;

/** mlog's timestamps (any offset, any fraction) and plain ISO 8601; UTC ISO output. */
export function parseMlogTimestamp(value: string): string | undefined {
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

function isoIfValid(iso: string, month: number, day: number): string | undefined {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime()) || !validDay(date.getUTCFullYear(), month, day)) return undefined;
  return iso;
}

// Date accepts "2021-02-30" by rolling over; Java's formatter does not.
function validDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}
