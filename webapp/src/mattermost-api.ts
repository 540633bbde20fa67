/**
 * Mattermost's own REST API with the admin's session, as the System Console calls it: the
 * session cookie, X-Requested-With, and for a change the CSRF token that Mattermost keeps in
 * the MMCSRF cookie (its Client4 sends both the same way).
 */
export class MattermostApiError extends Error {
  override readonly name = 'MattermostApiError';
  constructor(message: string, readonly status?: number) {
    super(message);
  }
}

function csrfToken(): string {
  const match = document.cookie.split(';').map((c) => c.trim()).find((c) => c.startsWith('MMCSRF='));
  return match ? decodeURIComponent(match.slice('MMCSRF='.length)) : '';
}

/** The site's path prefix: Mattermost served under a subpath sets window.basename. */
function base(): string {
  return ((window as { basename?: string }).basename ?? '').replace(/\/+$/, '');
}

export async function mattermostRequest<T>(method: 'GET' | 'PUT', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { 'X-Requested-With': 'XMLHttpRequest', accept: 'application/json' };
  if (method !== 'GET') headers['X-CSRF-Token'] = csrfToken();
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`${base()}${path}`, { method, headers, credentials: 'include', body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (error) {
    throw new MattermostApiError(`Mattermost did not answer ${method} ${path}: ${(error as Error).message}`);
  }
  const payload = (await response.json().catch(() => undefined)) as (T & { message?: string }) | undefined;
  if (!response.ok) {
    const reason = payload?.message ? `: ${payload.message}` : '';
    throw new MattermostApiError(`Mattermost answered HTTP ${response.status} to ${method} ${path}${reason}`, response.status);
  }
  return payload as T;
}
