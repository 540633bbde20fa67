/**
 * Serves the System Console stand-in (console.tsx) with React 18's UMD builds as
 * window.React / window.ReactDOM, like Mattermost's page, and the plugin's built bundle from
 * webapp/dist. Mattermost's own API (/api/v4/*) is passed to a Mattermost emulator on the same
 * origin, with the admin's session cookies the page sets, as a real System Console page has.
 * Its origin is what the forwarder's MATTERMOST_SITE_URL must be for CORS.
 */
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { build } from 'esbuild';
import { mattermostGlobals } from '../../webapp/build.mjs';
import { CSRF_TOKEN, SESSION_TOKEN, startMattermostConfigEmulator, type MattermostConfigEmulator } from '../mattermost-emulator/config.js';
import { PROJECT_ROOT } from '../support/shared-fixtures.js';

export interface PluginHarness {
  /** e.g. http://127.0.0.1:41234, the "Mattermost site". */
  url: string;
  /** The Mattermost behind the page's /api/v4 calls. */
  mattermost: MattermostConfigEmulator;
  close(): Promise<void>;
}

const HERE = join(PROJECT_ROOT, 'test/plugin-harness');

async function harnessScript(): Promise<string> {
  const result = await build({
    entryPoints: [join(HERE, 'console.tsx')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    jsx: 'automatic',
    plugins: [mattermostGlobals],
    logLevel: 'warning',
  });
  return result.outputFiles[0]!.text;
}

function page(manifestJson: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>System Console stand-in</title>
<link rel="stylesheet" href="/console.css"></head>
<body><div id="root"></div>
<script src="/vendor/react.js"></script>
<script src="/vendor/react-dom.js"></script>
<script>window.HARNESS_MANIFEST = ${manifestJson};</script>
<script src="/harness.js"></script>
<script src="/plugin/main.js"></script>
<script>window.startHarness();</script>
</body></html>`;
}

/** Passes a request on to the Mattermost emulator as it came, cookies and CSRF header included. */
function proxy(target: string, req: IncomingMessage, res: ServerResponse): void {
  const upstream = request(`${target}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on('error', (error) => res.writeHead(502, { 'content-type': 'text/plain' }).end(error.message));
  req.pipe(upstream);
}

export async function startPluginHarness(options: { mattermost?: MattermostConfigEmulator } = {}): Promise<PluginHarness> {
  const [script, mattermost] = await Promise.all([harnessScript(), options.mattermost ?? startMattermostConfigEmulator()]);
  const manifest = JSON.parse(await readFile(join(PROJECT_ROOT, 'plugin.json'), 'utf8')) as { webapp: { bundle_path: string } };
  const files: Record<string, () => Promise<[string, string | Buffer]>> = {
    '/': async () => ['text/html', page(JSON.stringify(manifest).replace(/</g, '\\u003c'))],
    '/console.css': async () => ['text/css', await readFile(join(HERE, 'console.css'))],
    '/vendor/react.js': async () => ['text/javascript', await readFile(join(PROJECT_ROOT, 'node_modules/react/umd/react.production.min.js'))],
    '/vendor/react-dom.js': async () => ['text/javascript', await readFile(join(PROJECT_ROOT, 'node_modules/react-dom/umd/react-dom.production.min.js'))],
    '/harness.js': async () => ['text/javascript', script],
    '/plugin/main.js': async () => ['text/javascript', await readFile(join(PROJECT_ROOT, manifest.webapp.bundle_path))],
  };
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path.startsWith('/api/')) return proxy(mattermost.url, req, res);
    const file = files[path];
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    file().then(([type, body]) => {
      // The admin is logged in: Mattermost's session and CSRF cookies, as its login sets them.
      const session = path === '/' ? { 'set-cookie': [`MMAUTHTOKEN=${SESSION_TOKEN}; Path=/; HttpOnly`, `MMCSRF=${CSRF_TOKEN}; Path=/`] } : {};
      res.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store', ...session });
      res.end(body);
    }, (error: Error) => {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(error.message);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    mattermost,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      if (!options.mattermost) await mattermost.close();
    },
  };
}
