/**
 * A stand-in for the configuration API of Mattermost: GET /api/v4/config for the forwarder's
 * plugin-settings sync (bearer tokens: 401 / 403 like Mattermost) and for the plugin's pages
 * (the admin's session cookie), PUT /api/v4/config/patch from those pages (session plus the
 * CSRF header Mattermost demands of a cookie session), GET /api/v4/license/client. The config
 * is answered sanitized as Mattermost does (config-state.ts); patches are recorded.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { ConfigState } from './config-state.js';

export const MATTERMOST_ADMIN_TOKEN = 'mm-admin-token-0123456789';
export const MATTERMOST_USER_TOKEN = 'mm-user-token-0123456789';
/** The admin's browser session: cookies MMAUTHTOKEN and MMCSRF. */
export const SESSION_TOKEN = 'mm-session-0123456789abcdef';
export const CSRF_TOKEN = 'mm-csrf-0123456789abcdef';

export const ENTERPRISE_LICENSE = { IsLicensed: 'true', SkuShortName: 'enterprise', Cloud: 'false' };
export const PROFESSIONAL_LICENSE = { IsLicensed: 'true', SkuShortName: 'professional', Cloud: 'false' };
export const NO_LICENSE = { IsLicensed: 'false' };

export interface MattermostConfigEmulator {
  url: string;
  /** Replaces this plugin's stored settings; undefined removes them (never saved). */
  setPluginSettings(pluginId: string, settings: Record<string, unknown> | undefined): void;
  /** The stored (unmasked) values of a plugin, keys lower-cased. */
  pluginSettings(pluginId: string): Record<string, unknown> | undefined;
  setAuditSettings(settings: Record<string, unknown>): void;
  auditSettings(): Record<string, any>;
  setLicense(license: Record<string, string>): void;
  /** Every PUT /api/v4/config/patch body taken, in order. */
  patches(): Array<Record<string, any>>;
  /** How many GET /api/v4/config requests arrived. */
  requests(): number;
  close(): Promise<void>;
}

function cookies(req: IncomingMessage): Record<string, string> {
  return Object.fromEntries((req.headers.cookie ?? '').split(';').map((c) => c.trim().split('=')).filter((p) => p.length === 2).map(([k, v]) => [k!, decodeURIComponent(v!)]));
}

async function body(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}

export async function startMattermostConfigEmulator(options: { maskSecrets?: boolean } = {}): Promise<MattermostConfigEmulator> {
  const state = new ConfigState(options.maskSecrets ?? true);
  let license: Record<string, string> = { ...ENTERPRISE_LICENSE };
  const patches: Array<Record<string, any>> = [];
  let requests = 0;
  const server: Server = createServer((req, res) => {
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    const path = req.url?.split('?')[0];
    const bearer = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    const session = cookies(req).MMAUTHTOKEN === SESSION_TOKEN;
    const denied = () => (bearer === MATTERMOST_USER_TOKEN
      ? send(403, { id: 'api.context.permissions.app_error', message: 'You do not have the appropriate permissions.', status_code: 403 })
      : send(401, { id: 'api.context.session_expired.app_error', message: 'Invalid or expired session, please login again.', status_code: 401 }));
    if (req.method === 'GET' && path === '/api/v4/license/client') return send(200, license);
    if (req.method === 'GET' && path === '/api/v4/config') {
      requests++;
      return bearer === MATTERMOST_ADMIN_TOKEN || session ? send(200, state.sanitized()) : denied();
    }
    if (req.method === 'PUT' && path === '/api/v4/config/patch') {
      if (!session && bearer !== MATTERMOST_ADMIN_TOKEN) return denied();
      // A cookie session must carry the CSRF token in a header (Mattermost's checkCSRFToken).
      if (session && bearer === '' && (req.headers['x-csrf-token'] !== CSRF_TOKEN || req.headers['x-requested-with'] !== 'XMLHttpRequest')) {
        return send(401, { id: 'api.context.session_expired.app_error', message: 'Invalid or expired session (CSRF token missing or wrong).', status_code: 401 });
      }
      void body(req).then((patch) => {
        if (typeof patch !== 'object' || patch === null) return send(400, { id: 'api.config.patch_config.app_error', message: 'Invalid config patch', status_code: 400 });
        patches.push(structuredClone(patch as Record<string, any>));
        state.patch(patch as Record<string, any>);
        send(200, state.sanitized());
      });
      return;
    }
    send(404, { id: 'api.context.404.app_error', message: 'Sorry, we could not find the page.', status_code: 404 });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    setPluginSettings: (pluginId, settings) => state.setPluginSettings(pluginId, settings),
    pluginSettings: (pluginId) => structuredClone(state.config.PluginSettings.Plugins[pluginId]),
    setAuditSettings: (settings) => {
      state.config.ExperimentalAuditSettings = { ...state.config.ExperimentalAuditSettings, ...settings };
    },
    auditSettings: () => structuredClone(state.config.ExperimentalAuditSettings),
    setLicense: (next) => {
      license = { ...next };
    },
    patches: () => structuredClone(patches),
    requests: () => requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
