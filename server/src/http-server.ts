/**
 * The HTTP API's server: HTTPS with HTTP_TLS_CERT/HTTP_TLS_KEY (the plugin calls the forwarder
 * from the admin's browser, which refuses plain http from an HTTPS Mattermost page), at most
 * HTTP_MAX_CONNECTIONS connections at once, and timeouts for slow clients far shorter than Node's
 * 300 s: headers within HTTP_HEADERS_TIMEOUT_SECONDS, the whole request within
 * HTTP_REQUEST_TIMEOUT_SECONDS, so idle or trickling clients cannot hold descriptors for long.
 */
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { ConfigError } from './config/load.js';
import type { Settings } from './config/schema.js';
import type { Logger } from './logger.js';
import { listenFailure } from './startup-failure.js';

export interface HttpListener {
  server: Server;
  port: number;
  scheme: 'http' | 'https';
}

const TLS_HANDSHAKE_TIMEOUT_MS = 10_000;
/** Refused connections are logged at most this often: a flood of them is one line, not thousands. */
const DROP_LOG_INTERVAL_MS = 10_000;

type HttpSettings = Pick<Settings, 'PORT' | 'HOST' | 'HTTP_MAX_CONNECTIONS' | 'HTTP_HEADERS_TIMEOUT_SECONDS' | 'HTTP_REQUEST_TIMEOUT_SECONDS' | 'HTTP_TLS_CERT' | 'HTTP_TLS_KEY'>;

export async function listenHttp(app: RequestListener, settings: HttpSettings, logger: Logger): Promise<HttpListener> {
  const headersTimeout = settings.HTTP_HEADERS_TIMEOUT_SECONDS * 1000;
  const timeouts = {
    headersTimeout,
    requestTimeout: settings.HTTP_REQUEST_TIMEOUT_SECONDS * 1000,
    // Node checks the timeouts above every 30 s by default: longer than the headers timeout itself.
    connectionsCheckingInterval: Math.min(1000, headersTimeout),
  };
  const tls = await tlsFiles(settings);
  let server: Server;
  try {
    server = tls ? createHttpsServer({ ...timeouts, ...tls, handshakeTimeout: TLS_HANDSHAKE_TIMEOUT_MS }, app) : createHttpServer(timeouts, app);
  } catch (error) {
    throw new ConfigError(`HTTP_TLS_CERT and HTTP_TLS_KEY: not a PEM certificate and its key: ${(error as Error).message}`);
  }
  server.maxConnections = settings.HTTP_MAX_CONNECTIONS;
  let dropped = 0;
  let droppedLoggedAt = 0;
  server.on('drop', () => {
    dropped++;
    if (Date.now() - droppedLoggedAt < DROP_LOG_INTERVAL_MS) return;
    droppedLoggedAt = Date.now();
    logger.warn({ 'event.count': dropped, 'event.reason': 'HTTP_MAX_CONNECTIONS' }, 'HTTP connections refused: too many at once');
    dropped = 0;
  });
  server.listen(settings.PORT, settings.HOST);
  await once(server, 'listening').catch((error: unknown) => {
    throw listenFailure(error, { host: 'HOST', port: 'PORT' }, settings.HOST, settings.PORT);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : settings.PORT;
  return { server, port, scheme: tls ? 'https' : 'http' };
}

async function tlsFiles(settings: HttpSettings): Promise<{ cert: Buffer; key: Buffer } | undefined> {
  const { HTTP_TLS_CERT: cert, HTTP_TLS_KEY: key } = settings;
  if (!cert || !key) return undefined;
  const read = (setting: string, path: string) => readFile(path).catch((error: Error) => {
    throw new ConfigError(`${setting}: cannot read ${path}: ${error.message}`);
  });
  return { cert: await read('HTTP_TLS_CERT', cert), key: await read('HTTP_TLS_KEY', key) };
}
