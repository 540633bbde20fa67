/** What every client of Mattermost's REST API shares (the REST poller, the enrichment). */

/**
 * The base URL requests go to and status and logs show: MATTERMOST_URL may carry a subpath
 * (https://host/mattermost); credentials never go in a URL, so any written into it are dropped.
 */
export function mattermostApiBase(url: string): string {
  const parsed = new URL(url);
  parsed.username = '';
  parsed.password = '';
  return parsed.toString().replace(/\/+$/, '');
}
