/**
 * Where each setting comes from: the environment, a push stored in Redis (which wins, even after a
 * restart), or the default; `null` hands a setting back. Shown by GET /v1/config and the start-up log.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startEsEmulator, type EsEmulator } from './es-emulator/index.js';
import { auditLine } from './support/audit-records.js';
import { eventually, ForwarderProcess } from './support/forwarder-process.js';
import { RedisServer } from './support/redis-server.js';

let redis: RedisServer;
let dir: string;

before(async () => {
  redis = await RedisServer.start();
  dir = await mkdtemp(join(tmpdir(), 'mae-origins-'));
});

after(async () => {
  await redis?.stop();
});

function logOf(name: string): string {
  return readFileSync(join(dir, name), 'utf8');
}

function messages(name: string): string[] {
  return logOf(name).split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line).message as string);
}

/** The namespace of the document made of the record tagged `tag`, once it is in the file sink. */
async function namespaceOf(tag: string): Promise<string> {
  const path = join(dir, 'audit.ndjson');
  let found: any;
  await eventually(() => {
    const documents = existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line)) : [];
    found = documents.find((d) => d.user?.id === `${tag}-1`);
    return found !== undefined;
  }, `the document of ${tag}`);
  return found.data_stream.namespace;
}

/** The forwarder's log is written asynchronously: wait for its start-up lines to be there. */
async function started(name: string): Promise<string[]> {
  await eventually(() => messages(name).includes('forwarder listening'), `the start-up lines in ${name}`);
  return messages(name);
}

async function config(forwarder: ForwarderProcess, update?: Record<string, unknown>): Promise<any> {
  const response = await forwarder.admin('/v1/config', update ? { method: 'PUT', body: JSON.stringify(update) } : {});
  assert.equal(response.status, 200);
  return response.json();
}

test('says where each setting comes from, keeps a pushed value over the environment across a restart, and hands it back on null', async () => {
  const env = { REDIS_URL: redis.url, DATA_DIR: dir, DATA_STREAM_NAMESPACE: 'envns' };
  let forwarder = await ForwarderProcess.start(env, join(dir, 'first.log'));
  try {
    const initial = await config(forwarder);
    assert.equal(initial.origins.DATA_STREAM_NAMESPACE, 'env');
    assert.equal(initial.origins.KEEP_ORIGINAL, 'default');
    assert.equal(initial.origins.ELASTICSEARCH_API_KEY, 'default', 'secrets have an origin too');
    assert.ok((await started('first.log')).includes(`sink: file ${join(dir, 'audit.ndjson')} (no ELASTICSEARCH_URL); data stream logs-mattermost.audit-envns (DATA_STREAM_NAMESPACE from env)`));

    const pushed = await config(forwarder, { DATA_STREAM_NAMESPACE: 'pushed', KEEP_ORIGINAL: true });
    assert.equal(pushed.origins.DATA_STREAM_NAMESPACE, 'runtime');
    assert.equal(pushed.origins.KEEP_ORIGINAL, 'runtime');
    await forwarder.post(auditLine(1, 'while-pushed'));
    assert.equal(await namespaceOf('while-pushed'), 'pushed');
  } finally {
    await forwarder.stop();
  }

  forwarder = await ForwarderProcess.start(env, join(dir, 'second.log'));
  try {
    assert.equal((await config(forwarder)).origins.DATA_STREAM_NAMESPACE, 'runtime', 'the stored push wins after a restart');
    const lines = await started('second.log');
    assert.ok(lines.some((m) => m.endsWith('data stream logs-mattermost.audit-pushed (DATA_STREAM_NAMESPACE from runtime)')), lines.join('\n'));
    assert.ok(lines.includes('DATA_STREAM_NAMESPACE: the value pushed at runtime overrides the environment\'s ("pushed" over "envns"); PUT /v1/config {"DATA_STREAM_NAMESPACE": null} hands it back'), lines.join('\n'));
    assert.ok(!lines.some((m) => m.startsWith('KEEP_ORIGINAL:')), 'no warning where the environment set nothing');

    const handedBack = await config(forwarder, { DATA_STREAM_NAMESPACE: null, KEEP_ORIGINAL: null });
    assert.equal(handedBack.origins.DATA_STREAM_NAMESPACE, 'env');
    assert.equal(handedBack.settings.DATA_STREAM_NAMESPACE, 'envns');
    assert.equal(handedBack.origins.KEEP_ORIGINAL, 'default');
    await forwarder.post(auditLine(1, 'handed-back'));
    assert.equal(await namespaceOf('handed-back'), 'envns');
  } finally {
    await forwarder.stop();
  }
});

test('names the Elasticsearch sink in the start-up log without the credentials of its URL, and logs its own version', async () => {
  const es: EsEmulator = await startEsEmulator({ version: '8.19.3', auth: { username: 'elastic', password: 'url-secret-pass' } });
  const target = `http://127.0.0.1:${es.port}`;
  const forwarder = await ForwarderProcess.start({
    REDIS_URL: redis.url, DATA_DIR: dir, QUEUE_PREFIX: '{origins-es}', ELASTICSEARCH_URL: `http://elastic:url-secret-pass@127.0.0.1:${es.port}`,
  }, join(dir, 'es.log'));
  try {
    const lines = await started('es.log');
    const log = logOf('es.log');
    assert.ok(lines.includes(`sink: elasticsearch ${target} (ELASTICSEARCH_URL from env); data stream logs-mattermost.audit-default (DATA_STREAM_NAMESPACE from default)`), log);
    const reached = log.split('\n').filter(Boolean).map((line) => JSON.parse(line)).find((line) => line.message.startsWith('Elasticsearch 8.19.3 reached'));
    assert.ok(reached, 'the URL credentials reached Elasticsearch');
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    assert.equal(reached['service.version'], version, "service.version is the forwarder's own");
    assert.equal(reached['service.target.version'], '8.19.3', "Elasticsearch's version is the target's");
    assert.ok(!log.includes('url-secret-pass'), 'no password in the log');
  } finally {
    await forwarder.stop();
    await es.close();
  }
});
