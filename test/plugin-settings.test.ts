import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import { startMattermostConfigSync, readPluginSettingsFromMattermost, PLUGIN_ID } from '../server/src/config/mattermost-plugin-settings.js';
import { RuntimeConfigStore } from '../server/src/config/runtime-store.js';
import { runtimeSettingsSchema, settingsSchema } from '../server/src/config/schema.js';
import { createLogger } from '../server/src/logger.js';
import { redisKeys } from '../server/src/queue/keys.js';
import { connectionTestBody, FAKE_SETTING, forwarderUpdate, restrictToAccepted } from '../plugin-contract/settings-map.js';
import { eventually } from './support/forwarder-process.js';
import { RedisServer } from './support/redis-server.js';
import { MATTERMOST_ADMIN_TOKEN, MATTERMOST_USER_TOKEN, startMattermostConfigEmulator, type MattermostConfigEmulator } from './mattermost-emulator/config.js';

// As Mattermost stores a saved plugin configuration: every key, lower-cased.
const SAVED = {
  forwarderurl: 'http://127.0.0.1:8080', admintoken: 'admin-token-0123456789abcdef',
  elasticsearchurl: 'https://es.example.com:9200', elasticsearchauth: 'apikey', elasticsearchapikey: 'c2VjcmV0OmtleQ==',
  elasticsearchusername: 'elastic', elasticsearchpassword: 'pw-not-used', elasticsearchca: '', elasticsearchcafingerprint: '',
  datastreamnamespace: 'prod', elasticsearchpipeline: '', keeporiginal: true, ingesttoken: '',
  inputwebhook: 'auto', inputrestpoller: 'off', inputfiletail: 'auto', inputtcp: 'on',
};

test('maps saved plugin values to the forwarder\'s settings, clearing the credentials of the other authentication', () => {
  const update = forwarderUpdate(SAVED);
  assert.equal(update.ELASTICSEARCH_URL, 'https://es.example.com:9200');
  assert.equal(update.ELASTICSEARCH_API_KEY, 'c2VjcmV0OmtleQ==');
  assert.equal(update.ELASTICSEARCH_USERNAME, null);
  assert.equal(update.ELASTICSEARCH_PASSWORD, null);
  assert.equal(update.DATA_STREAM_NAMESPACE, 'prod');
  assert.equal(update.KEEP_ORIGINAL, true);
  assert.equal(update.ELASTICSEARCH_CA, null, 'an empty field falls back to the environment');
  assert.equal('INGEST_TOKEN' in update, false, 'an empty secret is kept, not cleared');
  const basic = forwarderUpdate({ ...SAVED, elasticsearchauth: 'basic', elasticsearchpassword: FAKE_SETTING });
  assert.equal(basic.ELASTICSEARCH_API_KEY, null);
  assert.equal(basic.ELASTICSEARCH_USERNAME, 'elastic');
  assert.equal('ELASTICSEARCH_PASSWORD' in basic, false, 'a secret Mattermost shows hidden is kept');
  const none = forwarderUpdate({ ...SAVED, elasticsearchauth: 'none', keeporiginal: 'false' });
  assert.deepEqual([none.ELASTICSEARCH_API_KEY, none.ELASTICSEARCH_USERNAME, none.ELASTICSEARCH_PASSWORD, none.KEEP_ORIGINAL], [null, null, null, false]);
});

test('input switches map Automatic to "cleared" (the environment decides), On and Off to true and false, old true/false saves too', () => {
  const update = forwarderUpdate(SAVED);
  assert.deepEqual([update.INPUT_WEBHOOK, update.INPUT_REST, update.INPUT_FILE, update.INPUT_TCP], [null, false, null, true]);
  const old = forwarderUpdate({ ...SAVED, inputwebhook: true, inputrestpoller: false, inputfiletail: 'true', inputtcp: '' });
  assert.deepEqual([old.INPUT_WEBHOOK, old.INPUT_REST, old.INPUT_FILE, old.INPUT_TCP], [true, false, true, null]);
});

test('what it sends is valid for the forwarder\'s runtime schema once limited to what the forwarder takes', () => {
  const { update, skipped } = restrictToAccepted(forwarderUpdate(SAVED), [...Object.keys(runtimeSettingsSchema.shape), 'ELASTICSEARCH_API_KEY_SET']);
  const values = Object.fromEntries(Object.entries(update).filter(([, v]) => v !== null));
  assert.equal(runtimeSettingsSchema.safeParse(values).success, true);
  assert.deepEqual(skipped, [], 'this forwarder takes every setting of the page, input switches included');
  const older = restrictToAccepted(forwarderUpdate(SAVED), Object.keys(runtimeSettingsSchema.shape).filter((name) => !name.startsWith('INPUT_')));
  assert.deepEqual(older.skipped, ['INPUT_REST', 'INPUT_TCP'], 'an older forwarder without live switches: the switches set are named, Automatic ones are not');
});

test('a connection test sends only the connection settings, an empty value as "unset"', () => {
  const body = connectionTestBody({ ...SAVED, elasticsearchauth: 'basic', elasticsearchpassword: 'pw' });
  assert.deepEqual(body, {
    ELASTICSEARCH_URL: 'https://es.example.com:9200', ELASTICSEARCH_API_KEY: '', ELASTICSEARCH_USERNAME: 'elastic',
    ELASTICSEARCH_PASSWORD: 'pw', ELASTICSEARCH_CA: '', ELASTICSEARCH_CA_FINGERPRINT: '',
  });
  assert.equal('ELASTICSEARCH_URL' in connectionTestBody({ ...SAVED, elasticsearchurl: ' ' }), false);
});

let redis: RedisServer;
let mattermost: MattermostConfigEmulator;
let client: Redis;
let logLines: string[] = [];
const logger = createLogger('debug', new Writable({ write(chunk, _enc, done) { logLines.push(chunk.toString()); done(); } }));

before(async () => {
  redis = await RedisServer.start();
  // A Mattermost older than MM-57194 shows plugin secrets in GET /api/v4/config; newer ones mask them (see below).
  mattermost = await startMattermostConfigEmulator({ maskSecrets: false });
  client = new Redis(redis.url);
});

after(async () => {
  client?.disconnect();
  await mattermost?.close();
  await redis?.stop();
});

test('reads this plugin\'s settings from Mattermost\'s config as forwarder settings', async () => {
  mattermost.setPluginSettings(PLUGIN_ID, undefined);
  assert.deepEqual(await readPluginSettingsFromMattermost(mattermost.url, MATTERMOST_ADMIN_TOKEN, PLUGIN_ID), {}, 'never saved: nothing to apply');
  mattermost.setPluginSettings(PLUGIN_ID, SAVED);
  const update = await readPluginSettingsFromMattermost(`${mattermost.url}/`, MATTERMOST_ADMIN_TOKEN, PLUGIN_ID);
  assert.equal(update.ELASTICSEARCH_URL, 'https://es.example.com:9200');
  assert.equal(update.DATA_STREAM_NAMESPACE, 'prod');
  assert.equal(update.INPUT_TCP, true, 'the input switches are runtime settings');
  for (const name of Object.keys(update)) assert.ok(name in runtimeSettingsSchema.shape, name);
  await assert.rejects(readPluginSettingsFromMattermost(mattermost.url, 'wrong-token', PLUGIN_ID), /refused MATTERMOST_TOKEN \(HTTP 401\)/);
  await assert.rejects(readPluginSettingsFromMattermost(mattermost.url, MATTERMOST_USER_TOKEN, PLUGIN_ID), /HTTP 403.*system admin/);
  await assert.rejects(readPluginSettingsFromMattermost('http://127.0.0.1:1', MATTERMOST_ADMIN_TOKEN, PLUGIN_ID), /cannot reach Mattermost/);
});

test('keeps the forwarder configured from Mattermost: at start, on change, and not again when nothing changed', async () => {
  const keys = redisKeys('{sync-test}');
  const store = new RuntimeConfigStore(client, keys, settingsSchema.parse({}));
  mattermost.setPluginSettings(PLUGIN_ID, SAVED);
  const settings = { MATTERMOST_URL: mattermost.url, MATTERMOST_TOKEN: MATTERMOST_ADMIN_TOKEN };
  const sync = startMattermostConfigSync({ settings, store, logger, intervalMs: 100 });
  try {
    await eventually(async () => (await store.effective()).settings.ELASTICSEARCH_URL === 'https://es.example.com:9200', 'the saved URL in the store');
    const first = await store.effective();
    assert.equal(first.settings.ELASTICSEARCH_API_KEY, 'c2VjcmV0OmtleQ==');
    assert.equal(first.settings.KEEP_ORIGINAL, true);
    const requests = mattermost.requests();
    await eventually(() => mattermost.requests() >= requests + 3, 'three more polls');
    assert.equal((await store.effective()).version, first.version, 'unchanged settings are not stored again');

    mattermost.setPluginSettings(PLUGIN_ID, { ...SAVED, datastreamnamespace: 'staging', elasticsearchapikey: FAKE_SETTING });
    await eventually(async () => (await store.effective()).settings.DATA_STREAM_NAMESPACE === 'staging', 'the changed namespace');
    assert.equal((await store.effective()).settings.ELASTICSEARCH_API_KEY, 'c2VjcmV0OmtleQ==', 'a hidden secret keeps the stored one');

    mattermost.setPluginSettings(PLUGIN_ID, { ...SAVED, datastreamnamespace: 'Not-Valid' });
    logLines = [];
    await eventually(() => logLines.some((l) => l.includes('are refused: DATA_STREAM_NAMESPACE')), 'a warning naming the bad setting');
    assert.equal((await store.effective()).settings.DATA_STREAM_NAMESPACE, 'staging', 'a refused value changes nothing');
  } finally {
    await sync.stop();
  }
  const after = mattermost.requests();
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(mattermost.requests(), after, 'stop() ends the polling');
});

test('a Mattermost that masks secret plugin settings hands the forwarder everything but the secrets, which it keeps', async () => {
  const masking = await startMattermostConfigEmulator();
  try {
    masking.setPluginSettings(PLUGIN_ID, { ...SAVED, elasticsearchapikey: 'bmV3OmtleQ==', admintoken: 'admin-token-0123456789abcdef' });
    const update = await readPluginSettingsFromMattermost(masking.url, MATTERMOST_ADMIN_TOKEN, PLUGIN_ID);
    assert.equal(update.ELASTICSEARCH_URL, 'https://es.example.com:9200');
    assert.equal('ELASTICSEARCH_API_KEY' in update, false, 'Mattermost answers the mask, which means "keep"');
    assert.equal(JSON.stringify(update).includes('bmV3OmtleQ=='), false);
    assert.equal(JSON.stringify(update).includes('admin-token'), false);
  } finally {
    await masking.close();
  }
});

test('reports a wrong Mattermost token once instead of every minute, and does nothing without MATTERMOST_URL', async () => {
  const store = { put: async () => { throw new Error('must not be called'); } };
  logLines = [];
  const sync = startMattermostConfigSync({ settings: { MATTERMOST_URL: mattermost.url, MATTERMOST_TOKEN: 'wrong' }, store, logger, intervalMs: 50 });
  const requests = mattermost.requests();
  await eventually(() => mattermost.requests() >= requests + 4, 'four polls');
  await sync.stop();
  assert.equal(logLines.filter((l) => l.includes('HTTP 401')).length, 1);
  const off = startMattermostConfigSync({ settings: { MATTERMOST_URL: undefined, MATTERMOST_TOKEN: undefined }, store, logger });
  await off.stop();
});
