import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import { redisDurabilityWarnings } from '../server/src/queue/redis-connection.js';
import { startEsEmulator, type EsEmulator } from './es-emulator/index.js';
import { auditBody } from './support/audit-records.js';
import { eventually, ForwarderProcess } from './support/forwarder-process.js';
import { RedisServer } from './support/redis-server.js';
import { PROJECT_ROOT } from './support/shared-fixtures.js';

const API_KEY = 'bWF0dGVybW9zdDpzZWNyZXQta2V5LTEyMw==';
const SITE = 'http://mattermost.example.test';
let redis: RedisServer;
let es: EsEmulator;
let dir: string;

function countTagged(tag: string): number {
  return es.documents('logs-mattermost.audit-*').filter((d) => String((d._source.user as { id?: string })?.id).startsWith(`${tag}-`)).length;
}

before(async () => {
  redis = await RedisServer.start();
  es = await startEsEmulator({ auth: { apiKey: API_KEY } });
  dir = await mkdtemp(join(tmpdir(), 'mae-ops-'));
});

after(async () => {
  await es?.close();
  await redis?.stop();
});

// Asynchronous: the emulator lives in this process and must keep answering while the CLI runs.
async function runSetup(env: Record<string, string>): Promise<{ status: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/src/cli.ts', 'setup'], {
      cwd: PROJECT_ROOT, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ELASTICSEARCH_URL: es.url, ...env },
    });
    return { status: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { status: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

test('setup puts the template and creates the data stream, with the API key', async () => {
  const ok = await runSetup({ ELASTICSEARCH_API_KEY: API_KEY, DATA_STREAM_NAMESPACE: 'ops' });
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /index template mattermost-audit-elastic in place; data stream logs-mattermost\.audit-ops created/);
  assert.ok(es.dataStreams().includes('logs-mattermost.audit-ops'));
  const again = await runSetup({ ELASTICSEARCH_API_KEY: API_KEY, DATA_STREAM_NAMESPACE: 'ops' });
  assert.match(again.stdout, /already there/);
  const denied = await runSetup({ ELASTICSEARCH_API_KEY: 'd3Jvbmc6a2V5' });
  assert.equal(denied.status, 1);
  assert.match(denied.stderr.trim(), /^mattermost-audit-elastic setup: cannot prepare Elasticsearch: HTTP 401: authentication failed/);
  assert.ok(!denied.stderr.includes('d3Jvbmc6a2V5'), 'the key is not printed');
});

test('splits the work between an api process and a worker process on one Redis', async () => {
  const env = { REDIS_URL: redis.url, ELASTICSEARCH_URL: es.url, ELASTICSEARCH_API_KEY: API_KEY, DATA_DIR: dir };
  const api = await ForwarderProcess.start({ ...env, ROLE: 'api' }, join(dir, 'api.log'));
  try {
    assert.equal((await api.post(auditBody(0, 300, 'roles'))).status, 202);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(countTagged('roles'), 0, 'an api process alone delivers nothing');
    const worker = await ForwarderProcess.start({ ...env, ROLE: 'worker' }, join(dir, 'worker.log'));
    try {
      await eventually(() => countTagged('roles') === 300, '300 documents delivered by the worker process');
      assert.equal((await worker.post('x')).status, 404, 'a worker process takes no records');
    } finally {
      await worker.stop();
    }
  } finally {
    await api.stop();
  }
});

test('finishes its in-flight batches on SIGTERM and exits 0', async () => {
  es.setFault({ delayMs: 300 });
  const forwarder = await ForwarderProcess.start({ REDIS_URL: redis.url, ELASTICSEARCH_URL: es.url, ELASTICSEARCH_API_KEY: API_KEY, DATA_DIR: dir, BATCH_SIZE: '200' }, join(dir, 'term.log'));
  await forwarder.post(auditBody(0, 2000, 'term'));
  await eventually(() => countTagged('term') > 0, 'delivery under way');
  assert.equal(await forwarder.stop('SIGTERM'), 0);
  es.setFault({});
  const log = readFileSync(join(dir, 'term.log'), 'utf8');
  assert.match(log, /forwarder stopped/);
  // What it had not taken yet waits in Redis for the next start.
  const again = await ForwarderProcess.start({ REDIS_URL: redis.url, ELASTICSEARCH_URL: es.url, ELASTICSEARCH_API_KEY: API_KEY, DATA_DIR: dir }, join(dir, 'term2.log'));
  try {
    await eventually(() => countTagged('term') === 2000, 'all 2000 after the restart');
  } finally {
    await again.stop();
  }
});

test('allows cross-origin calls from the Mattermost site only', async () => {
  const forwarder = await ForwarderProcess.start({ REDIS_URL: redis.url, DATA_DIR: dir, MATTERMOST_SITE_URL: `${SITE}/` }, join(dir, 'cors.log'));
  try {
    const preflight = (origin: string) => fetch(`${forwarder.url}/v1/status`, {
      method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    const allowed = await preflight(SITE);
    assert.equal(allowed.status, 204);
    assert.equal(allowed.headers.get('access-control-allow-origin'), SITE);
    const other = await preflight('http://evil.example.test');
    assert.equal(other.status, 403);
    assert.equal(other.headers.get('access-control-allow-origin'), null);
  } finally {
    await forwarder.stop();
  }
});

test('warns when Redis may evict or forget queued records', async () => {
  // A Redis of its own: turning AOF back on would make the shared one rewrite its log.
  const careless = await RedisServer.start();
  const client = new Redis(careless.url);
  try {
    assert.deepEqual(await redisDurabilityWarnings(client), []);
    await client.config('SET', 'maxmemory-policy', 'allkeys-lru');
    await client.config('SET', 'appendonly', 'no');
    const warnings = await redisDurabilityWarnings(client);
    assert.equal(warnings.length, 2);
    assert.match(warnings[0]!, /maxmemory-policy is allkeys-lru/);
    assert.match(warnings[1]!, /persistence is off/);
  } finally {
    client.disconnect();
    await careless.stop();
  }
});
