/**
 * A stand-in for Mattermost's GET /api/v4/config, enough for the forwarder's plugin-settings
 * sync: bearer-token check (401 / 403 like Mattermost), and the plugin settings a test sets,
 * stored as Mattermost stores them (PluginSettings.Plugins[<id>], keys lower-cased).
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';

export const MATTERMOST_ADMIN_TOKEN = 'mm-admin-token-0123456789';
export const MATTERMOST_USER_TOKEN = 'mm-user-token-0123456789';

export interface MattermostConfigEmulator {
  url: string;
  /** Replaces this plugin's stored settings; undefined removes them (never saved). */
  setPluginSettings(pluginId: string, settings: Record<string, unknown> | undefined): void;
  /** How many GET /api/v4/config requests arrived. */
  requests(): number;
  close(): Promise<void>;
}

export async function startMattermostConfigEmulator(): Promise<MattermostConfigEmulator> {
  const plugins: Record<string, Record<string, unknown>> = {};
  let requests = 0;
  const server: Server = createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/api/v4/config') {
      send(404, { id: 'api.context.404.app_error', message: 'Sorry, we could not find the page.', status_code: 404 });
      return;
    }
    requests++;
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (token === MATTERMOST_USER_TOKEN) {
      send(403, { id: 'api.context.permissions.app_error', message: 'You do not have the appropriate permissions.', status_code: 403 });
    } else if (token !== MATTERMOST_ADMIN_TOKEN) {
      send(401, { id: 'api.context.session_expired.app_error', message: 'Invalid or expired session, please login again.', status_code: 401 });
    } else {
      send(200, { ServiceSettings: { SiteURL: 'http://mattermost.test' }, PluginSettings: { Enable: true, Plugins: plugins, PluginStates: {} } });
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    setPluginSettings(pluginId, settings) {
      if (settings === undefined) delete plugins[pluginId];
      else plugins[pluginId] = Object.fromEntries(Object.entries(settings).map(([k, v]) => [k.toLowerCase(), v]));
    },
    requests: () => requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
