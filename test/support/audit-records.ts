/** Distinct, valid legacy audit lines for delivery tests: record n is recognizable by user.id. */
export function auditLine(n: number, tag = 'r'): string {
  const second = String(n % 60).padStart(2, '0');
  return JSON.stringify({
    timestamp: `2021-12-04 23:19:${second}.${String(n % 1000).padStart(3, '0')} Z`,
    event: 'updateConfig', status: 'success', user_id: `${tag}-${n}`, session_id: 'sess', ip_address: '10.0.0.1',
    api_path: '/api/v4/config', cluster_id: 'cluster', client: 'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0',
  });
}

export function auditBody(from: number, count: number, tag = 'r'): string {
  return Array.from({ length: count }, (_, i) => auditLine(from + i, tag)).join('\n');
}

/** The user ids found more than once, and how many distinct ones there are. */
export function tally(userIds: unknown[]): { distinct: number; duplicates: string[] } {
  const seen = new Map<string, number>();
  for (const id of userIds) seen.set(String(id), (seen.get(String(id)) ?? 0) + 1);
  return { distinct: seen.size, duplicates: [...seen].filter(([, n]) => n > 1).map(([id]) => id) };
}
