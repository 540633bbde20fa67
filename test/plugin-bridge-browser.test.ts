/**
 * The plugin's bridge to the forwarder and to Mattermost, in Chromium on the System Console
 * stand-in whose /api/v4 is the Mattermost emulator: the admin token comes back hidden and the
 * page says what Save does then; the input switches start and stop the TCP input live; "Send
 * this server's audit records to the forwarder" patches AdvancedLoggingJSON with the admin's
 * session, keeping the other targets, or, without the licence, shows what to set by hand.
 * Screenshots in both themes go to test-artifacts/plugin/.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startEsEmulator, type EsEmulator } from './es-emulator/index.js';
import { FAKE_SETTING } from './mattermost-emulator/config-state.js';
import { ENTERPRISE_LICENSE, MATTERMOST_ADMIN_TOKEN, PROFESSIONAL_LICENSE } from './mattermost-emulator/config.js';
import { startPluginHarness, type PluginHarness } from './plugin-harness/server.js';
import { ADMIN_TOKEN, eventually, ForwarderProcess, STATUS_TOKEN } from './support/forwarder-process.js';
import { freePort, RedisServer } from './support/redis-server.js';
import { acceptsConnections } from './support/tcp-port.js';
import { PROJECT_ROOT } from './support/shared-fixtures.js';

const PLUGIN_ID = 'com.mattermost-audit-elastic';
const SHOTS = join(PROJECT_ROOT, 'test-artifacts/plugin');
const field = (key: string) => `[id="PluginSettings.Plugins.${PLUGIN_ID.replace(/\./g, '+')}.${key.toLowerCase()}"]`;
const OTHER_TARGET = {
  Type: 'file', Format: 'json', Levels: [{ ID: 100, Name: 'audit-api' }], Options: { filename: '/var/log/mattermost/audit-copy.log' }, MaxQueueSize: 1000,
};

let redis: RedisServer;
let es: EsEmulator;
let harness: PluginHarness;
let forwarder: ForwarderProcess;
let browser: Browser;
let page: Page;
let dir: string;
let tcpPort: number;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  [redis, es, harness, tcpPort] = await Promise.all([RedisServer.start(), startEsEmulator(), startPluginHarness(), freePort()]);
  dir = await mkdtemp(join(tmpdir(), 'mae-bridge-'));
  [forwarder, browser] = await Promise.all([
    ForwarderProcess.start({
      REDIS_URL: redis.url, ELASTICSEARCH_URL: es.url, DATA_DIR: dir, MATTERMOST_SITE_URL: harness.url, TCP_LISTEN: `127.0.0.1:${tcpPort}`,
      // It reads the plugin's settings from Mattermost itself; Mattermost's audits are not polled here.
      MATTERMOST_URL: harness.mattermost.url, MATTERMOST_TOKEN: MATTERMOST_ADMIN_TOKEN, INPUT_REST: 'false',
    }, join(dir, 'forwarder.log')),
    chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    }),
  ]);
  // Saved before: the admin token among them, which Mattermost now hides from the page.
  harness.mattermost.setPluginSettings(PLUGIN_ID, { ForwarderUrl: forwarder.url, StatusToken: STATUS_TOKEN, AdminToken: ADMIN_TOKEN, InputTcp: 'auto' });
  harness.mattermost.setAuditSettings({ AdvancedLoggingJSON: { 'audit-copy': OTHER_TARGET } });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (error) => console.error('page error:', error));
  await page.goto(harness.url);
  await page.waitForSelector('[data-testid="mae-status-panel"][data-state="connected"]', { timeout: 20_000 });
});

after(async () => {
  await browser?.close();
  await forwarder?.stop();
  await Promise.all([harness?.close(), es?.close(), redis?.stop()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function shoot(name: string, setting: string): Promise<void> {
  for (const theme of ['light', 'dark'] as const) {
    await page.evaluate((t) => window.harness.setTheme(t), theme);
    await page.locator(`[data-setting="${setting}"]`).screenshot({ path: join(SHOTS, `${name}-${theme}.png`), animations: 'disabled' });
  }
  await page.evaluate(() => window.harness.setTheme('light'));
}


async function save(): Promise<string> {
  const saves = await page.evaluate(() => window.harness.saveResults.length);
  await page.click('#saveSetting');
  await page.waitForFunction((n) => window.harness.saveResults.length > n, saves);
  return page.locator('[data-testid="mae-save-outcome"]').innerText();
}

test('renders the settings page\'s header and footer as Markdown, as Mattermost does', async () => {
  assert.equal(await page.locator('[data-testid="header"] strong').first().innerText(), 'mattermost-audit-elastic forwarder');
  assert.ok(await page.locator('[data-testid="header"] code', { hasText: 'MATTERMOST_SITE_URL' }).count() > 0);
  assert.equal(await page.locator('[data-testid="footer"] strong').first().innerText(), 'Who can do what.');
  assert.doesNotMatch(await page.locator('[data-testid="footer"]').innerText(), /\*\*/, 'no Markdown left raw');
});

test('the saved admin token comes back hidden: the panel reads with the status token, and Save, test and replay say what they need', async () => {
  assert.equal(await page.inputValue(field('AdminToken')), FAKE_SETTING);
  assert.equal(await page.inputValue(field('StatusToken')), STATUS_TOKEN);
  const outcome = await save();
  assert.match(outcome, /not pushed to the forwarder: Mattermost hides the saved admin token, from this page too: type the forwarder’s admin token/);
  assert.match(outcome, /reads the saved settings from Mattermost itself \(every 60 s\)[\s\S]*except new secrets/);
  assert.equal(harness.mattermost.pluginSettings(PLUGIN_ID)?.admintoken, ADMIN_TOKEN, 'saving with the mask kept the stored token');
  await page.fill(field('ElasticsearchUrl'), es.url);
  await page.click('[data-testid="mae-test-connection"] button');
  await page.waitForSelector('[data-testid="mae-test-result"][data-outcome="failed"]');
  assert.match(await page.locator('[data-testid="mae-test-result"]').innerText(), /type the forwarder’s admin token into “Forwarder admin token” to test the connection/);
  await shoot('admin-token-hidden', 'Status');
});

test('the TCP input switch pushed Off and On stops and starts the listener live, and the panel shows its real state', async () => {
  await page.fill(field('AdminToken'), ADMIN_TOKEN);
  await page.selectOption(field('InputTcp'), 'off');
  assert.match(await save(), /Pushed to the forwarder: it now runs config version \d+/);
  await eventually(async () => !(await acceptsConnections(tcpPort)), 'the TCP port closed', 15_000);
  await page.waitForSelector('[data-testid="mae-input-tcp"][data-state="off"]', { timeout: 10_000 });
  assert.match(await page.locator('[data-testid="mae-input-tcp"]').innerText(), /TCP audit target[\s\S]*off/);
  await shoot('tcp-switched-off', 'Status');
  await page.selectOption(field('InputTcp'), 'on');
  assert.match(await save(), /Pushed to the forwarder/);
  await eventually(() => acceptsConnections(tcpPort), 'the TCP port open again', 15_000);
  await page.waitForSelector('[data-testid="mae-input-tcp"][data-state="running"]', { timeout: 10_000 });
  assert.equal(((await (await forwarder.reader('/v1/config')).json()) as any).settings.INPUT_TCP, true);
});

test('with an Advanced Logging licence, wiring patches AdvancedLoggingJSON with the TCP target, keeps the other targets, and records then arrive', async () => {
  harness.mattermost.setLicense(ENTERPRISE_LICENSE);
  const wiring = page.locator('[data-testid="mae-wiring"]');
  await page.waitForSelector('[data-testid="mae-wiring-input"]:has-text("is on, listening on")');
  assert.equal(await page.inputValue('#mae-wiring-host'), '127.0.0.1', 'the host of the forwarder URL');
  assert.equal(await page.inputValue('#mae-wiring-port'), String(tcpPort), 'the port the TCP input listens on');
  await wiring.locator('button').click();
  await page.waitForSelector('[data-testid="mae-wiring-result"][data-outcome="patched"]');
  assert.match(await page.locator('[data-testid="mae-wiring-result"]').innerText(), new RegExp(`Done: Mattermost now sends its audit records .* to 127\\.0\\.0\\.1:${tcpPort}[\\s\\S]*kept: audit-copy`));
  // The page's own Saves patch PluginSettings; the wiring patches the audit settings alone.
  const patches = harness.mattermost.patches().filter((p) => !('PluginSettings' in p));
  assert.equal(patches.length, 1);
  assert.deepEqual(Object.keys(patches[0]!), ['ExperimentalAuditSettings'], 'only the audit settings are patched');
  const targets = patches[0]!.ExperimentalAuditSettings.AdvancedLoggingJSON;
  assert.deepEqual(targets['audit-copy'], OTHER_TARGET, 'the admin\'s other target is kept as it was');
  const ours = targets['mattermost-audit-elastic'];
  assert.deepEqual({ Type: ours.Type, Format: ours.Format }, { Type: 'tcp', Format: 'json' });
  assert.deepEqual(ours.Levels.map((l: any) => l.Name), ['audit-api', 'audit-content', 'audit-permissions', 'audit-cli']);
  assert.deepEqual(ours.Options, { ip: '127.0.0.1', host: '127.0.0.1', port: tcpPort, tls: false });
  assert.deepEqual(harness.mattermost.auditSettings().AdvancedLoggingJSON, targets, 'Mattermost holds it');
  // What Mattermost's logr TCP target then does: dial ip:port and write a JSON line per record.
  const socket = connect(ours.Options.port, ours.Options.ip);
  await once(socket, 'connect');
  socket.end(`${JSON.stringify({
    timestamp: '2024-05-01 10:00:00.000 Z', level: 'audit-api', msg: '', event_name: 'updateConfig', status: 'success',
    actor: { user_id: 'wired-admin', session_id: 's1', client: 'mmctl', ip_address: '10.0.0.9' }, event: { parameters: {}, prior_state: {}, resulting_state: {}, object_type: 'config' },
    meta: { api_path: '/api/v4/config/patch' }, error: {},
  })}\n`);
  await eventually(() => es.documents('logs-mattermost.audit-default').some((d) => (d._source.user as any)?.id === 'wired-admin'), 'the record sent as the target sends it');
  await shoot('wiring-done', 'ConnectMattermost');
});

test('without the licence, wiring changes nothing and shows the exact JSON and the ways that need no Advanced Logging', async () => {
  harness.mattermost.setLicense(PROFESSIONAL_LICENSE);
  harness.mattermost.setAuditSettings({ AdvancedLoggingJSON: { 'audit-copy': OTHER_TARGET } });
  const patches = harness.mattermost.patches().length;
  await page.locator('[data-testid="mae-wiring"] button').click();
  await page.waitForSelector('[data-testid="mae-wiring-result"][data-outcome="manual"]');
  assert.equal(harness.mattermost.patches().length, patches, 'nothing patched');
  const result = await page.locator('[data-testid="mae-wiring-result"]').innerText();
  assert.match(result, /Nothing was changed: this server's licence \(professional\) does not include Advanced Logging/);
  const json = JSON.parse(await page.locator('[data-testid="mae-wiring-json"]').innerText());
  assert.deepEqual(Object.keys(json), ['audit-copy', 'mattermost-audit-elastic']);
  assert.deepEqual(json['mattermost-audit-elastic'].Options, { ip: '127.0.0.1', host: '127.0.0.1', port: tcpPort, tls: false });
  const env = await page.locator('[data-testid="mae-wiring-env"]').innerText();
  const match = env.match(/^MM_EXPERIMENTALAUDITSETTINGS_ADDITIONAL='(.*)'$/);
  assert.ok(match, env);
  assert.deepEqual(Object.keys(JSON.parse(match![1]!)), ['mattermost-audit-elastic']);
  assert.match(result, /FileEnabled to true and FileName[\s\S]*AUDIT_LOG_PATHS/);
  await shoot('wiring-manual', 'ConnectMattermost');
  for (const theme of ['light', 'dark'] as const) {
    await page.evaluate((t) => window.harness.setTheme(t), theme);
    await page.screenshot({ path: join(SHOTS, `bridge-page-${theme}.png`), fullPage: true });
  }
  await page.evaluate(() => window.harness.setTheme('light'));
});
