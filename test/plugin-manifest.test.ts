import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runtimeSettingsSchema } from '../server/src/config/schema.js';
import { PLUGIN_ONLY_KEYS, SETTING_MAP, SWITCH_VALUES } from '../plugin-contract/settings-map.js';
import { PROJECT_ROOT } from './support/shared-fixtures.js';

const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, 'plugin.json'), 'utf8'));
const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8'));
const settings: any[] = manifest.settings_schema.settings;

// The rules of Mattermost's model.Manifest.IsValid / PluginSetting.isValid (server/public/model/manifest.go).
const TYPES = ['bool', 'dropdown', 'generated', 'radio', 'text', 'longtext', 'number', 'username', 'custom'];
const PLACEHOLDER_TYPES = ['generated', 'text', 'longtext', 'number', 'username', 'custom'];
const SEMVER = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

test('plugin.json keeps the version of package.json', () => {
  assert.equal(manifest.version, pkg.version);
});

test('plugin.json passes the checks Mattermost runs on a manifest', () => {
  assert.match(manifest.id, /^[a-zA-Z0-9-_.]{3,190}$/);
  assert.equal(manifest.id, manifest.id.toLowerCase(), 'Mattermost lower-cases ids; keep it lower-case so every copy matches');
  assert.ok(manifest.name.trim());
  assert.match(manifest.version, SEMVER);
  assert.match(manifest.min_server_version, SEMVER);
  assert.equal(manifest.webapp.bundle_path, 'webapp/dist/main.js');
  assert.equal(manifest.server, undefined, 'a webapp-only plugin: no server executable');
  assert.match(manifest.settings_schema.header, /forwarder/i);
  assert.match(manifest.settings_schema.header, /README.*`<forwarder URL>\/readme`/, "the header says where the README is");
  const keys = new Set<string>();
  for (const setting of settings) {
    assert.ok(TYPES.includes(setting.type), `${setting.key}: type ${setting.type}`);
    assert.ok(setting.display_name, `${setting.key}: display_name`);
    assert.ok(!keys.has(setting.key.toLowerCase()), `${setting.key}: keys must differ case-insensitively`);
    keys.add(setting.key.toLowerCase());
    if (setting.placeholder) assert.ok(PLACEHOLDER_TYPES.includes(setting.type), `${setting.key}: placeholder on ${setting.type}`);
    if (setting.options) {
      assert.ok(['dropdown', 'radio'].includes(setting.type), `${setting.key}: options on ${setting.type}`);
      for (const option of setting.options) assert.ok(option.display_name && option.value, `${setting.key}: empty option`);
    }
  }
});

test('every setting either feeds a forwarder setting or is one the plugin uses itself', () => {
  const mapped = new Set(SETTING_MAP.map((m) => m.key));
  for (const setting of settings.filter((s) => s.type !== 'custom')) {
    assert.ok(mapped.has(setting.key) || (PLUGIN_ONLY_KEYS as readonly string[]).includes(setting.key), `${setting.key} goes nowhere`);
  }
  for (const mapping of SETTING_MAP) assert.ok(settings.some((s) => s.key === mapping.key), `${mapping.key} is not in plugin.json`);
  // Every setting the forwarder takes at runtime can be set from the System Console.
  const envs = new Set(SETTING_MAP.map((m) => m.env));
  for (const name of Object.keys(runtimeSettingsSchema.shape)) assert.ok(envs.has(name), `${name} has no plugin setting`);
});

test('secret settings are marked secret and the status, test and wiring controls are custom settings', () => {
  const byKey = Object.fromEntries(settings.map((s) => [s.key, s]));
  for (const key of ['AdminToken', 'ElasticsearchApiKey', 'ElasticsearchPassword', 'IngestToken']) assert.equal(byKey[key].secret, true, key);
  // The panel reads with the status token: a plain setting, readable where the page is, and it can change nothing.
  assert.equal(byKey.StatusToken.type, 'text');
  assert.notEqual(byKey.StatusToken.secret, true);
  assert.match(byKey.StatusToken.help_text, /STATUS_TOKEN/);
  assert.equal(byKey.ConnectMattermost.type, 'custom');
  for (const key of ['InputWebhook', 'InputRestPoller', 'InputFileTail', 'InputTcp']) {
    assert.equal(byKey[key].default, 'auto', key);
    assert.deepEqual(byKey[key].options.map((o: any) => o.value), [...SWITCH_VALUES], key);
  }
  for (const mapping of SETTING_MAP.filter((m) => m.kind === 'secret')) assert.equal(byKey[mapping.key].secret, true, mapping.key);
  assert.equal(byKey.Status.type, 'custom');
  assert.equal(byKey.TestConnection.type, 'custom');
  assert.deepEqual(byKey.ElasticsearchAuth.options.map((o: any) => o.value), ['none', 'apikey', 'basic']);
  assert.equal(byKey.ElasticsearchCa.type, 'longtext');
});

test('the webapp build refuses a manifest whose version differs from package.json', async () => {
  const { checkVersions } = await import('../webapp/build.mjs');
  assert.throws(() => checkVersions({ version: '0.2.0' }, { version: '0.1.0' }), /plugin\.json version 0\.2\.0 differs from package\.json version 0\.1\.0/);
  assert.doesNotThrow(() => checkVersions({ version: '0.1.0' }, { version: '0.1.0' }));
});

test('make dist packs plugin.json and the bundle under the plugin id, as Mattermost expects', async () => {
  const { packagePlugin } = await import('../webapp/package-plugin.mjs');
  const out = await mkdtemp(join(tmpdir(), 'mae-dist-'));
  const tarball: string = await packagePlugin({ outDir: out });
  assert.equal(tarball, join(out, `${manifest.id}-${manifest.version}.tar.gz`));
  const listing = spawnSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  assert.ok(listing.includes(`${manifest.id}/plugin.json`), listing.join(', '));
  assert.ok(listing.includes(`${manifest.id}/${manifest.webapp.bundle_path}`), listing.join(', '));
  const packed = spawnSync('tar', ['-xzOf', tarball, `${manifest.id}/plugin.json`], { encoding: 'utf8' }).stdout;
  assert.deepEqual(JSON.parse(packed), manifest);
});

test('the bundle registers itself and uses the page\'s React instead of shipping its own', () => {
  const bundle = readFileSync(join(PROJECT_ROOT, manifest.webapp.bundle_path), 'utf8');
  assert.match(bundle, /registerPlugin/);
  assert.match(bundle, /window\.React\b/);
  assert.doesNotMatch(bundle, /react\.production\.min|__SECRET_INTERNALS_DO_NOT_USE/);
  assert.ok(bundle.length < 200_000, `bundle is ${bundle.length} bytes`);
});
