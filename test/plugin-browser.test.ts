/**
 * The plugin in a real browser (Debian's Chromium) on a System Console stand-in, against a real
 * forwarder, Redis and the Elasticsearch emulator. Every state of the status panel is
 * screenshotted in light and dark theme into test-artifacts/plugin/.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DeadLetters } from '../server/src/queue/dead-letters.js';
import { redisKeys } from '../server/src/queue/keys.js';
import { startEsEmulator, type EsEmulator } from './es-emulator/index.js';
import { startPluginHarness, type PluginHarness } from './plugin-harness/server.js';
import { ADMIN_TOKEN, ForwarderProcess, STATUS_TOKEN } from './support/forwarder-process.js';
import { freePort, RedisServer } from './support/redis-server.js';
import { PROJECT_ROOT } from './support/shared-fixtures.js';

const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, 'plugin.json'), 'utf8'));
const SHOTS = join(PROJECT_ROOT, 'test-artifacts/plugin');
const ES_API_KEY = 'ZXMtaWQ6ZXMta2V5LXJpZ2h0';
const path = (key: string) => `PluginSettings.Plugins.${manifest.id.replace(/\./g, '+')}.${key.toLowerCase()}`;
const field = (key: string) => `[id="${path(key)}"]`;

let redis: RedisServer;
let es: EsEmulator;
let securedEs: EsEmulator;
let harness: PluginHarness;
let forwarder: ForwarderProcess;
let browser: Browser;
let page: Page;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  [redis, es, securedEs, harness] = await Promise.all([
    RedisServer.start(), startEsEmulator(), startEsEmulator({ auth: { apiKey: ES_API_KEY } }), startPluginHarness(),
  ]);
  const dir = await mkdtemp(join(tmpdir(), 'mae-plugin-'));
  [forwarder, browser] = await Promise.all([
    ForwarderProcess.start({ REDIS_URL: redis.url, DATA_DIR: dir, MATTERMOST_SITE_URL: harness.url }, join(dir, 'forwarder.log')),
    chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    }),
  ]);
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (error) => console.error('page error:', error));
});

after(async () => {
  await browser?.close();
  await forwarder?.stop();
  await Promise.all([harness?.close(), es?.close(), securedEs?.close(), redis?.stop()]);
});

const panel = () => page.locator('[data-testid="mae-status-panel"]');

async function waitForState(name: string, timeout = 12_000): Promise<void> {
  await page.waitForSelector(`[data-testid="mae-status-panel"][data-state="${name}"]`, { timeout });
}

/** Screenshots of one setting row in both themes; the page is left in light theme. */
async function shoot(name: string, setting = 'Status'): Promise<void> {
  for (const theme of ['light', 'dark'] as const) {
    await page.evaluate((t) => window.harness.setTheme(t), theme);
    await page.locator(`[data-setting="${setting}"]`).screenshot({ path: join(SHOTS, `${name}-${theme}.png`), animations: 'disabled' });
  }
  await page.evaluate(() => window.harness.setTheme('light'));
}

async function number(testId: string): Promise<number> {
  return Number((await page.locator(`[data-testid="${testId}"]`).innerText()).replace(/[^0-9.]/g, ''));
}

function records(count: number, from: number): string {
  return Array.from({ length: count }, (_, i) => JSON.stringify({
    timestamp: '2024-05-01 10:00:00.000 Z', event: 'login', status: 'success', user_id: `browser-user-${from + i}`, ip_address: '10.1.2.3',
  })).join('\n');
}

test('registers under the manifest\'s id, registers and renders every custom setting, and says what to do first', async () => {
  await page.goto(harness.url);
  await page.waitForSelector('[data-testid="mae-status-panel"]');
  const registered = await page.evaluate(() => ({ id: window.harness.registeredId, registrations: window.harness.registrations }));
  assert.equal(registered.id, manifest.id);
  const customKeys = manifest.settings_schema.settings.filter((s: any) => s.type === 'custom').map((s: any) => s.key);
  assert.deepEqual(registered.registrations.map((r) => r.key).sort(), [...customKeys].sort());
  for (const registration of registered.registrations) assert.deepEqual(registration.options, { showTitle: true });
  assert.equal(await page.locator('[data-testid="missing-custom"]').count(), 0, 'a custom setting without a component');
  assert.ok(await page.locator('[data-testid="mae-test-connection"]').isVisible());
  await waitForState('not-configured');
  assert.match(await panel().innerText(), /Not set up yet[\s\S]*Enter the forwarder URL/);
  assert.equal(await page.locator('[role="status"][aria-live="polite"]').count() >= 2, true, 'status and test result are announced');
  await shoot('not-configured');
});

test('Save pushes the entered settings to the forwarder, which then runs them and the panel turns green', async () => {
  await page.fill(field('ForwarderUrl'), forwarder.url);
  await page.fill(field('StatusToken'), STATUS_TOKEN);
  await waitForState('file-sink');
  await page.fill(field('AdminToken'), ADMIN_TOKEN);
  await shoot('file-sink');
  await page.fill(field('ElasticsearchUrl'), es.url);
  await page.fill(field('DataStreamNamespace'), 'browser');
  await page.check(`[id="${path('KeepOriginal')}true"]`);
  await page.selectOption(field('InputRestPoller'), 'on');
  await page.click('#saveSetting');
  await page.waitForSelector('[data-testid="mae-save-outcome"]:has-text("config version")');
  const config = (await (await forwarder.admin('/v1/config')).json()) as { version: number; settings: Record<string, unknown> };
  assert.equal(config.settings.ELASTICSEARCH_URL, es.url);
  assert.equal(config.settings.DATA_STREAM_NAMESPACE, 'browser');
  assert.equal(config.settings.KEEP_ORIGINAL, true);
  const outcome = await page.locator('[data-testid="mae-save-outcome"]').innerText();
  assert.match(outcome, new RegExp(`config version ${config.version}\\b`));
  assert.doesNotMatch(outcome, /environment only/, 'this forwarder takes every setting, the input switches included');
  assert.equal(config.settings.INPUT_REST, true);
  assert.equal(config.settings.INPUT_WEBHOOK, null, 'Automatic clears the switch: the environment decides');
  // The REST poller switched on without MATTERMOST_URL says so in the panel, instead of pretending.
  await page.waitForSelector('[data-testid="mae-input-rest"][data-state="unconfigured"]');
  assert.match(await page.locator('[data-testid="mae-input-rest"]').innerText(), /on, not running[\s\S]*MATTERMOST_URL and MATTERMOST_TOKEN are not set/);
  const results = await page.evaluate(() => window.harness.saveResults.at(-1));
  assert.deepEqual(results, [{}], 'the save action reports success to Mattermost');
  await waitForState('connected');
  assert.match(await panel().innerText(), /Connected to Elasticsearch 8\.15\.0[\s\S]*runs config version/);
  await shoot('connected');
});

test('shows live figures that change as records are posted', async () => {
  const before = await number('mae-delivered-count');
  for (let batch = 0; batch < 4; batch++) {
    assert.equal((await forwarder.post(records(250, batch * 250))).status, 202);
    await page.waitForTimeout(2500);
  }
  await page.waitForFunction((min) => Number(document.querySelector('[data-testid="mae-delivered-count"]')?.textContent?.replace(/[^0-9]/g, '')) >= min, before + 1000, { timeout: 15_000 });
  await page.waitForFunction(() => Number(document.querySelector('.mae-sparkline')?.getAttribute('data-samples')) >= 3);
  const sparkline = await page.locator('.mae-sparkline polyline').getAttribute('points');
  // y runs down from the top of a 64-unit box; the baseline (no records) is at 62.
  assert.ok(sparkline && sparkline.split(' ').some((p) => Number(p.split(',')[1]) < 40), `the line rises: ${sparkline}`);
  assert.match(await page.locator('[data-testid="mae-input-http"]').innerText(), /Webhook[\s\S]*on\s+[\d,]+/);
  assert.equal(es.count('logs-mattermost.audit-browser') >= 1000, true, 'documents went to the namespace saved from the browser');
  await shoot('live');
});

test('Test connection reports the version, or why not in words, for the values on the page', async () => {
  const result = page.locator('[data-testid="mae-test-result"]');
  const run = async (outcome: 'ok' | 'failed', keyboard = false) => {
    if (keyboard) {
      await page.focus('[data-testid="mae-test-connection"] button');
      await page.keyboard.press('Enter');
    } else {
      await page.click('[data-testid="mae-test-connection"] button');
    }
    await page.waitForSelector(`[data-testid="mae-test-result"][data-outcome="${outcome}"]`, { timeout: 15_000 });
    return result.innerText();
  };
  assert.match(await run('ok', true), /Connected to Elasticsearch 8\.15\.0/);
  await shoot('test-ok', 'TestConnection');
  await page.fill(field('ElasticsearchUrl'), `http://127.0.0.1:${await freePort()}`);
  assert.match(await run('failed'), /connection refused/);
  await shoot('test-refused', 'TestConnection');
  await page.fill(field('ElasticsearchUrl'), securedEs.url);
  await page.selectOption(field('ElasticsearchAuth'), 'apikey');
  await page.fill(field('ElasticsearchApiKey'), 'd3Jvbmc6a2V5');
  assert.match(await run('failed'), /401: authentication failed/);
  await page.fill(field('ElasticsearchApiKey'), ES_API_KEY);
  assert.match(await run('ok'), /Connected/);
  // Back to what is saved: nothing of this was stored.
  await page.fill(field('ElasticsearchUrl'), es.url);
  await page.selectOption(field('ElasticsearchAuth'), 'none');
  assert.equal(((await (await forwarder.admin('/v1/config')).json()) as any).settings.ELASTICSEARCH_URL, es.url);
});

test('shows Elasticsearch down, with the records waiting, and recovers', async () => {
  es.setFault({ down: true });
  try {
    await waitForState('elasticsearch-down');
    await forwarder.post(records(50, 5000));
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="mae-waiting"]')?.textContent?.replace(/[^0-9]/g, '')) > 0);
    assert.match(await panel().innerText(), /Elasticsearch unreachable[\s\S]*records wait in the queue/);
    await shoot('elasticsearch-down');
  } finally {
    es.setFault({});
  }
  await waitForState('connected');
});

test('shows dead letters and replays them with the button', async () => {
  const client = new Redis(redis.url);
  try {
    await new DeadLetters(client, redisKeys('{mattermost-audit}').deadLetters).add([{
      id: 'dead-letter-1', record: { text: records(1, 9000) }, source: { input: 'http' }, receivedAt: new Date().toISOString(),
      reason: 'mapper_parsing_exception: failed to parse field [source.ip]', status: 400, at: new Date().toISOString(),
    }]);
  } finally {
    client.disconnect();
  }
  await page.waitForSelector('[data-testid="mae-dead-letters"] button:not([disabled])');
  assert.equal(await number('mae-dead-letter-count'), 1);
  await shoot('dead-letters');
  await page.click('[data-testid="mae-dead-letters"] button');
  await page.waitForSelector('[data-testid="mae-dead-letters"]:has-text("1 dead letter queued again")');
  await page.waitForFunction(() => document.querySelector('[data-testid="mae-dead-letter-count"]')?.textContent === '0');
});

test('says the status token is wrong when the forwarder answers 401', async () => {
  await page.fill(field('StatusToken'), 'wrong-token-0123456789abcdef');
  await waitForState('unauthorized');
  assert.match(await panel().innerText(), /Wrong token[\s\S]*refused the status token \(HTTP 401\)[\s\S]*STATUS_TOKEN/);
  await shoot('unauthorized');
  await page.fill(field('StatusToken'), STATUS_TOKEN);
  await waitForState('connected');
});

test('says the forwarder is unreachable when it stops, keeping the last figures', async () => {
  await forwarder.stop();
  await waitForState('unreachable');
  assert.match(await panel().innerText(), /Forwarder unreachable[\s\S]*Can’t reach the forwarder at http:\/\/127\.0\.0\.1:\d+[\s\S]*MATTERMOST_SITE_URL/);
  assert.ok(await page.locator('[data-testid="mae-stale"]').isVisible(), 'the last known figures are marked as such');
  await shoot('unreachable');
  await page.evaluate(() => window.harness.setTheme('dark'));
  await page.screenshot({ path: join(SHOTS, 'page-dark.png'), fullPage: true });
  await page.evaluate(() => window.harness.setTheme('light'));
  await page.screenshot({ path: join(SHOTS, 'page-light.png'), fullPage: true });
});
