/**
 * The REST poller end to end: a Mattermost audits emulator whose list grows while it is polled,
 * real Redis, the forwarder as a child process delivering to the Elasticsearch emulator; every
 * audit counted there by its id (event.id), created once, never sent twice (no 409).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { startEsEmulator, type EsEmulator } from './es-emulator/index.js';
import { startMattermostAuditsEmulator, type MattermostAuditsEmulator } from './mattermost-emulator/audits.js';
import { eventually, ForwarderProcess } from './support/forwarder-process.js';
import { RedisServer } from './support/redis-server.js';

const TOKEN = 'mm-personal-access-token-0123';
let redis: RedisServer;
let dir: string;
const forwarders: ForwarderProcess[] = [];
const emulators: Array<{ close(): Promise<void> }> = [];
const DATA_STREAM = 'logs-mattermost.audit-default';

before(async () => {
  redis = await RedisServer.start();
  dir = await mkdtemp(join(tmpdir(), 'mae-rest-'));
});

after(async () => {
  await Promise.all(forwarders.map((forwarder) => forwarder.stop()));
  await Promise.all(emulators.map((emulator) => emulator.close()));
  await redis?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Setup {
  mattermost: MattermostAuditsEmulator;
  es: EsEmulator;
  start(env?: Record<string, string>): Promise<ForwarderProcess>;
  /** The stored documents, `_id` beside their fields. */
  documents(): any[];
}

async function setup(name: string): Promise<Setup> {
  const mattermost = await startMattermostAuditsEmulator({ token: TOKEN });
  const es = await startEsEmulator();
  emulators.push(mattermost, es);
  return {
    mattermost, es,
    async start(env = {}) {
      const forwarder = await ForwarderProcess.start({
        REDIS_URL: redis.url, ELASTICSEARCH_URL: es.url, DATA_DIR: join(dir, name), QUEUE_PREFIX: `{rest-${name}}`, MATTERMOST_URL: mattermost.url, MATTERMOST_TOKEN: TOKEN,
        MATTERMOST_POLL_INTERVAL: '1', BATCH_SIZE: '500', ...env,
      }, join(dir, `${name}.log`));
      forwarders.push(forwarder);
      return forwarder;
    },
    documents: () => es.documents(DATA_STREAM).map((d) => ({ _id: d._id, ...d._source })),
  };
}

/** Every audit the emulator holds is a document, created once, and none was sent twice. */
async function assertEveryAuditOnce({ mattermost, es, documents }: Setup): Promise<void> {
  await eventually(() => documents().length >= mattermost.audits().length, `${mattermost.audits().length} documents`, 30_000);
  await sleep(2500); // two more polls: a repeat would show now
  const docs = documents();
  const ids = docs.map((d) => d.event.id);
  assert.equal(new Set(ids).size, ids.length, 'no audit twice');
  assert.deepEqual(new Set(ids), new Set(mattermost.audits().map((a) => a.id)));
  assert.ok(docs.every((d) => d.input.type === 'httpjson' && d.event.action !== undefined));
  assert.equal(es.stats().created, docs.length);
  assert.equal(es.stats().conflicts, 0, 'no audit sent twice');
}

test('queues every audit once, oldest first, while the list grows and pages shift under the poller', async () => {
  const context = await setup('grow');
  const { mattermost, start, documents } = context;
  mattermost.add(430);
  mattermost.add(6, { createAt: mattermost.audits().at(-1)!.create_at + 1 }); // audits of the same millisecond
  mattermost.growOnEachRequest(7);
  await start();
  await eventually(() => documents().length >= 436, 'the first audits');
  mattermost.growOnEachRequest(0);
  mattermost.add(3, { createAt: mattermost.audits().at(-1)!.create_at }); // late ones at the checkpoint's millisecond
  mattermost.add(250);
  await assertEveryAuditOnce(context);
  const first = documents().slice(0, 5).map((d) => d.event.id);
  assert.deepEqual(first, mattermost.audits().slice(0, 5).map((a) => a.id), 'oldest first');
});

test('rides out 429 with Retry-After and 500s, losing and repeating nothing', async () => {
  const context = await setup('faults');
  const { mattermost, start, documents } = context;
  mattermost.add(300);
  mattermost.fail({ status: 429, times: 2, retryAfter: 1 });
  const forwarder = await start();
  await eventually(() => documents().length >= 300, 'the audits after the 429s', 15_000);
  mattermost.add(450);
  mattermost.fail({ status: 500, times: 2 });
  await assertEveryAuditOnce(context);
  assert.equal(mattermost.stats().byStatus[429], 2);
  assert.equal(mattermost.stats().byStatus[500], 2);
  const status = (await (await forwarder.admin('/v1/status')).json()) as any;
  assert.equal(status.inputs.rest.records, 750);
  assert.match(status.inputs.rest.lastError, /500/);
  assert.equal(status.inputs.rest.lag, 0);
});

test('resumes from its checkpoint after a restart, audits of the checkpoint millisecond included', async () => {
  const context = await setup('restart');
  const { mattermost, start, documents } = context;
  mattermost.add(300);
  const first = await start();
  await eventually(() => documents().length >= 300, 'the first 300');
  await first.stop();
  mattermost.add(4, { createAt: mattermost.audits().at(-1)!.create_at });
  mattermost.add(120);
  await start();
  await assertEveryAuditOnce(context);
});

test('reports a refused token in its status, queues nothing and keeps the token out of it', async () => {
  const { mattermost, start, documents } = await setup('denied');
  mattermost.add(20);
  const forwarder = await start({ MATTERMOST_TOKEN: 'wrong-token-0123456789' });
  let status: any;
  await eventually(async () => {
    status = (await (await forwarder.admin('/v1/status')).json()) as any;
    return typeof status.inputs.rest?.lastError === 'string';
  }, 'an error in the status');
  assert.match(status.inputs.rest.lastError, /401.*MATTERMOST_TOKEN/);
  assert.equal(status.inputs.rest.target, mattermost.url);
  assert.ok(!JSON.stringify(status).includes('wrong-token-0123456789'));
  assert.equal(documents().length, 0);
});
