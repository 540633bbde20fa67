/** Numbers and times the way the panel shows them: short, and in words where a number alone says little. */

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

export function formatCount(value: number | undefined | null): string {
  return value === undefined || value === null || !Number.isFinite(value) ? '–' : integer.format(value);
}

export function formatRate(perSecond: number | undefined | null): string {
  if (perSecond === undefined || perSecond === null || !Number.isFinite(perSecond)) return '–';
  return perSecond >= 100 ? integer.format(perSecond) : decimal.format(perSecond);
}

/** "just now", "42 s ago", "5 min ago", "3 h ago", or the date for older times. */
export function formatAgo(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'never';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  const seconds = Math.max(0, Math.round((now - at) / 1000));
  if (seconds < 3) return 'just now';
  if (seconds < 90) return `${seconds} s ago`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 36 * 3600) return `${Math.round(seconds / 3600)} h ago`;
  return new Date(at).toLocaleString();
}

/** An input's lag: bytes not yet read (file) or seconds behind (REST). */
export function formatLag(lag: number | null | undefined, kind: string | undefined): string {
  if (lag === null || lag === undefined) return '–';
  if (kind === 'file') return lag < 1024 ? `${lag} B` : lag < 1024 * 1024 ? `${decimal.format(lag / 1024)} KiB` : `${decimal.format(lag / 1024 / 1024)} MiB`;
  return lag < 90 ? `${decimal.format(lag)} s` : `${decimal.format(lag / 60)} min`;
}
