/**
 * Secrets never leave: the stored Elasticsearch credentials go to the stored URL only (a listener
 * records what "Test connection" sends elsewhere), and credentials inside ELASTICSEARCH_URL,
 * REDIS_URL and MATTERMOST_URL appear in no answer, log line or start-up error.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startEsEmulator, type EsEmulator } from './es-emulator/index.js';
import { auditLine } from './support/audit-records.js';
import { eventually, ForwarderProcess } from './support/forwarder-process.js';
import { freePort, RedisServer } from './support/redis-server.js';
import { PROJECT_ROOT } from './support/shared-fixtures.js';

const STORED_KEY = 'c3RvcmVkOnN0b3JlZC1hcGkta2V5LTEyMw==';
const OWN_KEY = 'b3duOm93bi1hcGkta2V5LTQ1Ng==';
let redis: RedisServer;
let dir: string;
const closers: Array<() => Promise<unknown>> = [];

before(async () => {
  redis = await RedisServer.start();
  dir = await mkdtemp(join(tmpdir(), 'mae-secrets-'));
});

after(async () => {
  for (const close of closers.reverse()) await close();
  await redis?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** An HTTP server that answers like nothing in particular and keeps every request's headers. */
async function recordingListener(): Promise<{ url: string; seen: IncomingHttpHeaders[] }> {
  const seen: IncomingHttpHeaders[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  closers.push(() => new Promise((resolve) => server.close(resolve)));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, seen };
}

async function start(name: string, env: Record<string, string>): Promise<ForwarderProcess> {
  const forwarder = await ForwarderProcess.start({ REDIS_URL: redis.url, DATA_DIR: join(dir, name), QUEUE_PREFIX: `{secrets-${name}}`, ...env }, join(dir, `${name}.log`));
  closers.push(() => forwarder.stop());
  return forwarder;
}

async function testConnection(forwarder: ForwarderProcess, body: Record<string, unknown>): Promise<any> {
  const response = await forwarder.admin('/v1/config/test', { method: 'POST', body: JSON.stringify(body) });
  assert.equal(response.status, 200);
  return response.json();
}

test('Test connection sends the stored API key to the stored Elasticsearch only', async () => {
  const es = await startEsEmulator({ auth: { apiKey: STORED_KEY } });
  closers.push(() => es.close());
  const forwarder = await start('test-connection', { ELASTICSEARCH_URL: es.url });
  await forwarder.admin('/v1/config', { method: 'PUT', body: JSON.stringify({ ELASTICSEARCH_API_KEY: STORED_KEY, ELASTICSEARCH_USERNAME: 'elastic', ELASTICSEARCH_PASSWORD: 'stored-password' }) });
  const listener = await recordingListener();

  const elsewhere = await testConnection(forwarder, { ELASTICSEARCH_URL: listener.url });
  assert.equal(elsewhere.ok, false);
  assert.ok(listener.seen.length > 0, 'the test reached the named URL');
  assert.deepEqual(listener.seen.map((headers) => headers.authorization), listener.seen.map(() => undefined), 'no stored credential was sent');
  assert.match(elsewhere.error, /stored credentials are sent to the stored ELASTICSEARCH_URL only/);

  listener.seen.length = 0;
  await testConnection(forwarder, { ELASTICSEARCH_URL: listener.url, ELASTICSEARCH_API_KEY: OWN_KEY });
  assert.ok(listener.seen.length > 0);
  assert.ok(listener.seen.every((headers) => headers.authorization === `ApiKey ${OWN_KEY}`), 'only the key the request brought');

  listener.seen.length = 0;
  await testConnection(forwarder, { ELASTICSEARCH_URL: listener.url, ELASTICSEARCH_USERNAME: 'elastic' });
  const basic = listener.seen.map((headers) => Buffer.from(String(headers.authorization).replace(/^Basic /, ''), 'base64').toString());
  assert.ok(basic.length > 0 && basic.every((credentials) => !credentials.includes('stored-password')), `not the stored password: ${basic.join(', ')}`);

  // The stored URL, however it is spelled, still gets the stored key.
  for (const url of [undefined, es.url, `${es.url}/`]) {
    const stored = await testConnection(forwarder, url === undefined ? {} : { ELASTICSEARCH_URL: url });
    assert.equal(stored.ok, true, JSON.stringify(stored));
  }
});

test('shows no credential from inside a URL in /v1/config, /v1/status, /metrics, errors or logs', async () => {
  const es = await startEsEmulator({ auth: { username: 'elastic', password: 'es-url-password' } });
  closers.push(() => es.close());
  const esUrl = es.url.replace('://', '://elastic:es-url-password@');
  const closedPort = await freePort();
  const forwarder = await start('urls', {
    ELASTICSEARCH_URL: esUrl,
    // Redis without requirepass takes a password with a warning: the URL's password is what matters here.
    REDIS_URL: redis.url.replace('://', '://:redis-url-password@'),
    MATTERMOST_URL: `http://mm-admin:mm-url-password@127.0.0.1:${closedPort}`,
    MATTERMOST_TOKEN: 'mattermost-token-0123456789',
  });
  const secrets = ['es-url-password', 'redis-url-password', 'mm-url-password', 'put-url-password'];
  assert.equal((await forwarder.post(auditLine(1, 'urls'))).status, 202);
  await eventually(() => es.count('logs-mattermost.audit-default') === 1, 'the document, sent with the URL credentials');
  const config = (await (await forwarder.admin('/v1/config')).json()) as any;
  assert.equal(config.settings.ELASTICSEARCH_URL, es.url.replace('://', '://***@'));
  const refused = await forwarder.admin('/v1/config', { method: 'PUT', body: JSON.stringify({ ELASTICSEARCH_URL: 'ftp://elastic:put-url-password@es.example.test' }) });
  assert.equal(refused.status, 400);
  const texts = [
    JSON.stringify(config), await refused.text(),
    await (await forwarder.admin('/v1/status')).text(), await (await fetch(`${forwarder.url}/metrics`)).text(), await (await fetch(`${forwarder.url}/readyz`)).text(),
    JSON.stringify(await testConnection(forwarder, {})),
  ];
  await eventually(() => /cannot read the plugin settings from Mattermost/.test(readFileSync(join(dir, 'urls.log'), 'utf8')), 'the failed read of Mattermost in the log');
  texts.push(readFileSync(join(dir, 'urls.log'), 'utf8'));
  for (const secret of secrets) for (const text of texts) assert.ok(!text.includes(secret), `${secret} leaked in ${text.slice(0, 300)}`);
});

test('a bad URL setting stops the start with one line that shows no credential', () => {
  const settings: Array<[string, string]> = [['REDIS_URL', 'http://user:startup-password@redis.example.test'], ['ELASTICSEARCH_URL', 'ftp://user:startup-password@es.example.test']];
  for (const [name, value] of settings) {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'server/src/cli.ts', 'serve'], {
      cwd: PROJECT_ROOT, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', [name]: value },
    });
    assert.equal(result.status, 2);
    assert.match(result.stderr.trim(), new RegExp(`^mattermost-audit-elastic: configuration error: ${name}: [^\\n]*$`));
    assert.ok(!result.stderr.includes('startup-password'), result.stderr);
  }
});
