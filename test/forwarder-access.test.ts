/**
 * Reading apart from changing: the status token reads status, config and dead letters and is
 * refused (403) everything that changes; the admin token does both; a wrong token is 401. The
 * forwarder as a real process, its tokens from the environment.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ConfigError, loadSettings } from '../server/src/config/load.js';
import { ADMIN_TOKEN, ForwarderProcess, INGEST_TOKEN, STATUS_TOKEN } from './support/forwarder-process.js';
import { RedisServer } from './support/redis-server.js';

let redis: RedisServer;
let forwarder: ForwarderProcess;
let dir: string;

before(async () => {
  redis = await RedisServer.start();
  dir = await mkdtemp(join(tmpdir(), 'mae-access-'));
  forwarder = await ForwarderProcess.start({ REDIS_URL: redis.url, DATA_DIR: dir, QUEUE_PREFIX: '{access}' }, join(dir, 'forwarder.log'));
});

after(async () => {
  await forwarder?.stop();
  await redis?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const CHANGES: Array<[string, string, unknown]> = [
  ['PUT', '/v1/config', { DATA_STREAM_NAMESPACE: 'blinded' }],
  ['POST', '/v1/config/test', { ELASTICSEARCH_URL: 'http://127.0.0.1:1' }],
  ['POST', '/v1/dead-letters/replay', undefined],
];

test('the status token reads the status, the settings and the dead letters', async () => {
  for (const path of ['/v1/status', '/v1/config', '/v1/dead-letters']) {
    const response = await forwarder.reader(path);
    assert.equal(response.status, 200, path);
  }
  const status = (await (await forwarder.reader('/v1/status')).json()) as any;
  assert.equal(status.service.name, 'mattermost-audit-elastic');
});

test('the status token is refused every change with 403, and nothing changes', async () => {
  const before = (await (await forwarder.reader('/v1/config')).json()) as any;
  for (const [method, path, body] of CHANGES) {
    const response = await forwarder.reader(path, { method, body: body === undefined ? undefined : JSON.stringify(body) });
    assert.equal(response.status, 403, `${method} ${path}`);
    assert.match(((await response.json()) as any).error, /status token may only read.*ADMIN_TOKEN/);
  }
  const after = (await (await forwarder.reader('/v1/config')).json()) as any;
  assert.equal(after.version, before.version);
  assert.equal(after.settings.DATA_STREAM_NAMESPACE, 'default');
});

test('the admin token reads and changes; a wrong or missing token is 401 either way', async () => {
  assert.equal((await forwarder.admin('/v1/status')).status, 200);
  const put = await forwarder.admin('/v1/config', { method: 'PUT', body: JSON.stringify({ KEEP_ORIGINAL: true }) });
  assert.equal(put.status, 200);
  assert.equal(((await put.json()) as any).settings.KEEP_ORIGINAL, true);
  assert.equal((await forwarder.admin('/v1/dead-letters/replay', { method: 'POST' })).status, 200);
  for (const token of ['wrong-token-0123456789abcdef', INGEST_TOKEN]) {
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    assert.equal((await fetch(`${forwarder.url}/v1/status`, { headers })).status, 401);
    assert.equal((await fetch(`${forwarder.url}/v1/config`, { method: 'PUT', headers, body: '{}' })).status, 401);
  }
  assert.equal((await fetch(`${forwarder.url}/v1/config`, { method: 'PUT', body: '{}' })).status, 401, 'tokens are configured: no token is no access, loopback or not');
});

test('neither token is ever shown: not by the status, not by the config', async () => {
  const texts = await Promise.all(['/v1/status', '/v1/config'].map(async (path) => (await forwarder.admin(path)).text()));
  for (const text of texts) {
    assert.equal(text.includes(STATUS_TOKEN), false);
    assert.equal(text.includes(ADMIN_TOKEN), false);
  }
});

test('a status token that is short or equals the admin token stops the start with one line naming it', () => {
  const base = { ADMIN_TOKEN };
  assert.throws(() => loadSettings({ ...base, STATUS_TOKEN: 'short' }), (error: Error) => error instanceof ConfigError && /^STATUS_TOKEN: must be at least 16 characters$/.test(error.message));
  assert.throws(() => loadSettings({ ...base, STATUS_TOKEN: ADMIN_TOKEN }), (error: Error) => /^STATUS_TOKEN: must differ from ADMIN_TOKEN/.test(error.message));
  assert.equal(loadSettings({ ...base, STATUS_TOKEN }).STATUS_TOKEN, STATUS_TOKEN);
});
