/**
 * Credentials inside URLs (ELASTICSEARCH_URL, REDIS_URL, MATTERMOST_URL may all carry
 * `user:password@`) never leave the process: URLs are shown without them, and every text that
 * goes out (log lines, status, config, error answers) has them scrubbed, wherever they hide in it.
 */

// The userinfo of any scheme://…@ up to the last `@` before the host: a password may hold `@` too.
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#"'<>]*@/gi;

/** The text with the `user:password@` of every URL in it replaced by `***@`. */
export function scrubUrlCredentials(text: string): string {
  return text.includes('@') ? text.replace(USERINFO, '$1***@') : text;
}

/** A URL for display: without user and password, no trailing slash; text that is no URL is scrubbed. */
export function urlWithoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return scrubUrlCredentials(url);
  }
}
