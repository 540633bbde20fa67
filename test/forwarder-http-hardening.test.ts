/**
 * The HTTP API against hostile clients, the forwarder as a child process on real Redis: no-token
 * mode takes loopback Host names and no foreign Origin, a HOST beyond loopback needs tokens,
 * HTTPS with HTTP_TLS_CERT/HTTP_TLS_KEY, a cap on connections, and slow clients cut off early.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { auditLine } from './support/audit-records.js';
import { ADMIN_TOKEN, eventually, ForwarderProcess } from './support/forwarder-process.js';
import { RedisServer } from './support/redis-server.js';
import { PROJECT_ROOT } from './support/shared-fixtures.js';
import { selfSignedCertificate } from './support/tls-certificate.js';

const SITE = 'https://mattermost.example.test';
let redis: RedisServer;
let dir: string;
const forwarders: ForwarderProcess[] = [];

before(async () => {
  redis = await RedisServer.start();
  dir = await mkdtemp(join(tmpdir(), 'mae-http-'));
});

after(async () => {
  await Promise.all(forwarders.map((forwarder) => forwarder.stop()));
  await redis?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function start(name: string, env: Record<string, string>): Promise<ForwarderProcess> {
  const forwarder = await ForwarderProcess.start({ REDIS_URL: redis.url, DATA_DIR: join(dir, name), QUEUE_PREFIX: `{http-${name}}`, ...env }, join(dir, `${name}.log`));
  forwarders.push(forwarder);
  return forwarder;
}

interface Answer { status: number; headers: IncomingHttpHeaders; body: string }

/** A request with headers fetch() will not set (Host), over http or https (then `ca` is the only CA). */
function send(url: string, options: { method?: string; path: string; headers?: Record<string, string>; body?: string; ca?: Buffer }): Promise<Answer> {
  const target = new URL(options.path, url);
  const make = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = make(target, { method: options.method ?? 'GET', headers: options.headers, ca: options.ca, servername: 'localhost' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

test('without tokens, takes requests for loopback Host names only and none from another site', async () => {
  const forwarder = await start('local', { INGEST_TOKEN: '', ADMIN_TOKEN: '', STATUS_TOKEN: '', MATTERMOST_SITE_URL: SITE });
  const post = (headers: Record<string, string>) => send(forwarder.url, { method: 'POST', path: '/v1/audit', headers: { 'content-type': 'text/plain', ...headers }, body: auditLine(1, 'local') });
  for (const host of [`127.0.0.1:${forwarder.port}`, `localhost:${forwarder.port}`, `LOCALHOST`, `[::1]:${forwarder.port}`]) {
    assert.equal((await post({ host })).status, 202, host);
  }
  // DNS rebinding: a page of attacker.example.test whose name now points at 127.0.0.1.
  for (const host of [`attacker.example.test:${forwarder.port}`, 'attacker.example.test', `127.0.0.1.attacker.example.test:${forwarder.port}`, `localhost.attacker.example.test`]) {
    const refused = await post({ host });
    assert.equal(refused.status, 403, host);
    assert.match(refused.body, /only requests to localhost, 127\.0\.0\.1 or \[::1\]/);
  }
  const rebound = await send(forwarder.url, {
    method: 'PUT', path: '/v1/config', headers: { host: 'attacker.example.test', 'content-type': 'application/json' },
    body: JSON.stringify({ ELASTICSEARCH_URL: 'https://attacker.example.test' }),
  });
  assert.equal(rebound.status, 403);
  assert.equal(JSON.parse((await send(forwarder.url, { path: '/v1/config' })).body).settings.ELASTICSEARCH_URL, null, 'nothing was changed');
  // A cross-site form post (text/plain needs no preflight) from another site's page.
  const crossSite = await post({ origin: 'https://attacker.example.test' });
  assert.equal(crossSite.status, 403);
  assert.match(crossSite.body, /requests from web pages of other sites are refused/);
  assert.equal((await post({ origin: 'null' })).status, 403);
  assert.equal((await post({ origin: SITE })).status, 202, "the plugin's pages stay allowed");
  const status = JSON.parse((await send(forwarder.url, { path: '/v1/status' })).body);
  assert.equal(status.inputs.http.records, 5, 'only the allowed posts were taken');
});

test('refuses to start on a HOST beyond loopback without ADMIN_TOKEN and INGEST_TOKEN, in one line', async () => {
  for (const [env, missing] of [[{}, 'ADMIN_TOKEN and INGEST_TOKEN'], [{ ADMIN_TOKEN }, 'INGEST_TOKEN'], [{ INGEST_TOKEN: 'ingest-token-0123456789abcdef' }, 'ADMIN_TOKEN']] as const) {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'server/src/cli.ts', 'serve'], {
      cwd: PROJECT_ROOT, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOST: '0.0.0.0', REDIS_URL: redis.url, ...env },
    });
    assert.equal(result.status, 2, result.stderr);
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0]!, new RegExp(`^mattermost-audit-elastic: configuration error: HOST: 0\\.0\\.0\\.0 takes requests from other machines: set ${missing} `));
  }
  // With both tokens it starts, and answers on every address.
  const open = await start('open', { HOST: '0.0.0.0' });
  assert.equal((await fetch(`${open.url}/healthz`)).status, 200);
});

test('serves HTTPS with HTTP_TLS_CERT and HTTP_TLS_KEY, and no plain HTTP on that port', async () => {
  const certificate = selfSignedCertificate(dir, 'forwarder');
  const forwarder = await start('tls', { HTTP_TLS_CERT: certificate.cert, HTTP_TLS_KEY: certificate.key });
  assert.match(forwarder.url, /^https:/);
  const ca = readFileSync(certificate.cert);
  const posted = await send(forwarder.url, {
    method: 'POST', path: '/v1/audit', ca, body: auditLine(1, 'tls'), headers: { authorization: 'Bearer ingest-token-0123456789abcdef' },
  });
  assert.equal(posted.status, 202, posted.body);
  const status = await send(forwarder.url, { path: '/v1/status', ca, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  assert.equal(JSON.parse(status.body).inputs.http.records, 1);
  await assert.rejects(send(forwarder.url.replace('https:', 'http:'), { path: '/healthz' }), 'plain HTTP gets no answer');
  await assert.rejects(send(forwarder.url, { path: '/healthz' }), /self-signed|certificate/, 'an unknown certificate is not trusted by default');
  assert.match(readFileSync(join(dir, 'tls.log'), 'utf8'), /"url.scheme":"https"/);
});

async function openSocket(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined); // a dropped connection may be reset
  socket.resume(); // read what comes (a 408), or the end of the connection is never seen
  await once(socket, 'connect');
  return socket;
}

function closedWithin(socket: Socket, ms: number): Promise<boolean> {
  if (socket.destroyed) return Promise.resolve(true);
  return Promise.race([new Promise<boolean>((resolve) => socket.once('close', () => resolve(true))), sleep(ms).then(() => false)]);
}

test('refuses connections beyond HTTP_MAX_CONNECTIONS and cuts off clients that send their headers or body too slowly', async () => {
  const forwarder = await start('slow', { HTTP_MAX_CONNECTIONS: '4', HTTP_HEADERS_TIMEOUT_SECONDS: '1', HTTP_REQUEST_TIMEOUT_SECONDS: '2' });
  // Slow headers: the request line and one header, then nothing.
  const slowHeaders = await openSocket(forwarder.port);
  slowHeaders.write('POST /v1/audit HTTP/1.1\r\nHost: 127.0.0.1\r\n');
  // A slow body: complete headers, 10 of 1000 bytes, then nothing.
  const slowBody = await openSocket(forwarder.port);
  slowBody.write(`POST /v1/audit HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ingest-token-0123456789abcdef\r\nContent-Length: 1000\r\n\r\n{"event":`);
  const idle = [await openSocket(forwarder.port), await openSocket(forwarder.port)];
  const beyond = await openSocket(forwarder.port);
  assert.ok(await closedWithin(beyond, 3000), 'the fifth connection is closed at once');
  // Node's own defaults would keep them 60 s (headers) and 300 s (request); a loaded machine gets slack.
  assert.ok(await closedWithin(slowHeaders, 15_000), 'slow headers are cut off');
  assert.ok(await closedWithin(slowBody, 15_000), 'a slow body is cut off');
  for (const socket of idle) socket.destroy();
  await eventually(async () => (await fetch(`${forwarder.url}/healthz`).then((r) => r.status, () => 0)) === 200, 'room for new clients again', 10_000);
  await eventually(() => /HTTP connections refused: too many at once/.test(readFileSync(join(dir, 'slow.log'), 'utf8')), 'the refusal logged');
});
