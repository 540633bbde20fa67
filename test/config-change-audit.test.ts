/**
 * The forwarder audits itself: every change of its runtime settings becomes an ECS document
 * (event.action forwarderConfigChanged) in the same data stream, through the queue like every
 * record: with the settings changed, old and new, secrets only as "changed", and who changed
 * them; delivered once even when its relay runs twice, and not lost while Elasticsearch is down.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import { RuntimeConfigStore } from '../server/src/config/runtime-store.js';
import { settingsSchema } from '../server/src/config/schema.js';
import { redisKeys } from '../server/src/queue/keys.js';
import { startEsEmulator, type EsEmulator } from './es-emulator/index.js';
import { ADMIN_TOKEN, eventually, ForwarderProcess, INGEST_TOKEN, STATUS_TOKEN } from './support/forwarder-process.js';
import { RedisServer } from './support/redis-server.js';

const DATA_STREAM = 'logs-mattermost.audit-default';
const PREFIX = '{self-audit}';
const NEW_INGEST_TOKEN = 'new-ingest-token-0123456789abcdef';
let redis: RedisServer;
let es: EsEmulator;
let dir: string;
let forwarder: ForwarderProcess;
let client: Redis;

before(async () => {
  [redis, es] = await Promise.all([RedisServer.start(), startEsEmulator()]);
  dir = await mkdtemp(join(tmpdir(), 'mae-self-audit-'));
  client = new Redis(redis.url);
  forwarder = await ForwarderProcess.start({ REDIS_URL: redis.url, ELASTICSEARCH_URL: es.url, DATA_DIR: dir, QUEUE_PREFIX: PREFIX }, join(dir, 'forwarder.log'));
});

after(async () => {
  client?.disconnect();
  await forwarder?.stop();
  await Promise.all([es?.close(), redis?.stop()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

function changeDocuments(): Array<{ _id: string; _source: any }> {
  return es.documents(DATA_STREAM).filter((d) => (d._source.event as any)?.action === 'forwarderConfigChanged') as any;
}

test('a change pushed with the admin token becomes one ECS document: what changed, old and new, and who', async () => {
  const version = (await forwarder.putConfig({ INPUT_TCP: false, ELASTICSEARCH_PIPELINE: 'audit-geoip', INGEST_TOKEN: NEW_INGEST_TOKEN })).version;
  await eventually(() => changeDocuments().length === 1, 'the change as a document');
  const doc = changeDocuments()[0]!._source;
  assert.deepEqual(doc.event.category, ['configuration']);
  assert.deepEqual(doc.event.type, ['change']);
  assert.equal(doc.event.kind, 'event');
  assert.equal(doc.event.provider, 'mattermost-audit-elastic');
  assert.equal(doc.event.dataset, 'mattermost.audit');
  assert.equal(doc.data_stream.dataset, 'mattermost.audit');
  const forwarderFields = doc.mattermost.audit.forwarder;
  assert.equal(forwarderFields.config_version, version);
  assert.deepEqual(forwarderFields.settings_changed.sort(), ['ELASTICSEARCH_PIPELINE', 'INGEST_TOKEN', 'INPUT_TCP']);
  const bySetting = Object.fromEntries(forwarderFields.changes.map((c: any) => [c.setting, c]));
  assert.deepEqual(bySetting.INPUT_TCP, { setting: 'INPUT_TCP', new: false }, 'unset before (automatic): no old value');
  assert.deepEqual(bySetting.ELASTICSEARCH_PIPELINE, { setting: 'ELASTICSEARCH_PIPELINE', new: 'audit-geoip' });
  assert.deepEqual(bySetting.INGEST_TOKEN, { setting: 'INGEST_TOKEN', old: 'changed', new: 'changed' });
  assert.deepEqual(forwarderFields.actor, { token: 'admin', address: '127.0.0.1' });
  assert.equal(doc.client.ip, '127.0.0.1');
  assert.match(doc.message, /^Forwarder settings changed by the admin token from 127\.0\.0\.1: .*INPUT_TCP unset → false/);
  const text = JSON.stringify(doc);
  for (const secret of [NEW_INGEST_TOKEN, INGEST_TOKEN, ADMIN_TOKEN, STATUS_TOKEN]) assert.equal(text.includes(secret), false, 'no token in the document');
  assert.ok(Date.now() - Date.parse(doc['@timestamp']) < 60_000);
});

test('a change back is a second document with the old value; a push that changes nothing is none', async () => {
  await forwarder.putConfig({ INPUT_TCP: null, ELASTICSEARCH_PIPELINE: 'audit-geoip' });
  await eventually(() => changeDocuments().length === 2, 'the second change');
  const second = changeDocuments().map((d) => d._source).find((d) => d.mattermost.audit.forwarder.settings_changed.length === 1)!;
  assert.deepEqual(second.mattermost.audit.forwarder.changes, [{ setting: 'INPUT_TCP', old: false }]);
  const before = (await (await forwarder.reader('/v1/config')).json()) as any;
  await forwarder.putConfig({ ELASTICSEARCH_PIPELINE: 'audit-geoip' });
  await sleep(1500);
  assert.equal(changeDocuments().length, 2, 'no document for no change');
  assert.equal(((await (await forwarder.reader('/v1/config')).json()) as any).version, before.version, 'nor a new version');
});

test('a record relayed twice (a crash between queueing and leaving the outbox) is still one document', async () => {
  const keys = redisKeys(PREFIX);
  const store = new RuntimeConfigStore(client, keys, settingsSchema.parse({ ELASTICSEARCH_URL: es.url }));
  const conflicts = es.stats().conflicts;
  // Written straight to the store: the record waits in the outbox for a relay.
  await store.put({ KEEP_ORIGINAL: true }, { token: 'mattermost', address: 'http://mattermost.example.test' });
  const [record] = await client.lrange(keys.configChanges, 0, -1);
  assert.ok(record, 'the change left its record in the outbox');
  assert.match(record!, /"version":\d+,/);
  assert.equal(JSON.parse(record!).version, (await store.effective()).version, 'the record carries the version it made');
  await client.rpush(keys.configChanges, record!);
  await eventually(() => changeDocuments().length === 3, 'the record as a document');
  await eventually(async () => (await client.llen(keys.configChanges)) === 0, 'the outbox emptied');
  await sleep(1000);
  assert.equal(changeDocuments().length, 3, 'one document for the record relayed twice');
  const doc = changeDocuments().map((d) => d._source).find((d) => d.mattermost.audit.forwarder.actor.token === 'mattermost')!;
  assert.match(doc.message, /by the plugin settings saved in Mattermost from http:\/\/mattermost\.example\.test: KEEP_ORIGINAL false → true/);
  assert.ok(es.stats().conflicts > conflicts, 'the second copy was sent and answered 409: the same document id');
});

test('a change made while Elasticsearch is down arrives once it is back', async () => {
  es.setFault({ down: true });
  try {
    await forwarder.putConfig({ DATA_STREAM_NAMESPACE: 'default', ELASTICSEARCH_PIPELINE: 'audit-other' });
    await sleep(2000);
    assert.equal(changeDocuments().length, 3);
  } finally {
    es.setFault({});
  }
  await eventually(() => changeDocuments().length === 4, 'the change made during the outage', 45_000);
});
