/**
 * One REST poller among many: three ROLE=api processes configured with the same Mattermost poll
 * /api/v4/audits once between them, by a lease in Redis. When the holder is killed (-9) another
 * takes over within one poll interval; when a holder stops, it hands the lease on at once. Every
 * audit ends up indexed exactly once.
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
const INTERVAL_S = 2;
let redis: RedisServer;
let es: EsEmulator;
let mattermost: MattermostAuditsEmulator;
let dir: string;
const apis: ForwarderProcess[] = [];
let worker: ForwarderProcess;

before(async () => {
  redis = await RedisServer.start();
  es = await startEsEmulator();
  mattermost = await startMattermostAuditsEmulator({ token: TOKEN });
  dir = await mkdtemp(join(tmpdir(), 'mae-lease-'));
  const env = { REDIS_URL: redis.url, ELASTICSEARCH_URL: es.url, QUEUE_PREFIX: '{lease}', BATCH_SIZE: '500' };
  worker = await ForwarderProcess.start({ ...env, ROLE: 'worker', DATA_DIR: join(dir, 'worker') }, join(dir, 'worker.log'));
  for (let i = 0; i < 3; i++) {
    apis.push(await ForwarderProcess.start({
      ...env, ROLE: 'api', DATA_DIR: join(dir, `api${i}`), HOST_NAME: `api${i}`, MATTERMOST_URL: mattermost.url, MATTERMOST_TOKEN: TOKEN, MATTERMOST_POLL_INTERVAL: String(INTERVAL_S),
    }, join(dir, `api${i}.log`)));
  }
});

after(async () => {
  await Promise.all([...apis, worker].map((forwarder) => forwarder?.stop('SIGKILL')));
  await mattermost?.close();
  await es?.close();
  await redis?.stop();
  if (dir && !process.env.KEEP_TEST_DIR) await rm(dir, { recursive: true, force: true });
});

async function restStatuses(processes: ForwarderProcess[]): Promise<Array<{ lease?: string; polls?: number } | undefined>> {
  return Promise.all(processes.map(async (api) => ((await (await api.admin('/v1/status')).json()) as any).inputs.rest));
}

async function leases(processes: ForwarderProcess[]): Promise<string[]> {
  return (await restStatuses(processes)).map((rest) => rest?.lease ?? 'none');
}

/** The polls each process has finished. */
async function finishedPolls(processes: ForwarderProcess[]): Promise<number[]> {
  return (await restStatuses(processes)).map((rest) => rest?.polls ?? 0);
}

/** The one process holding the lease (the others standing by), once that is so. */
async function holder(processes: ForwarderProcess[]): Promise<ForwarderProcess> {
  let states: string[] = [];
  await eventually(async () => {
    states = await leases(processes);
    return states.filter((s) => s === 'held').length === 1 && states.filter((s) => s === 'standby').length === processes.length - 1;
  }, `one holder among ${processes.length} (${states.join(', ')})`);
  return processes[states.indexOf('held')]!;
}

/** ms from now until the next poll starts (Mattermost gets a request for the first page of audits). */
async function nextPollWithin(timeoutMs: number): Promise<number> {
  const started = Date.now();
  const before = mattermost.stats().pollStarts;
  await eventually(() => mattermost.stats().pollStarts > before, 'the next poll', timeoutMs);
  return Date.now() - started;
}

test('polls once between three processes, another taking over within an interval when the holder dies', async (t) => {
  mattermost.add(300);
  const first = await holder(apis);
  const growing = setInterval(() => mattermost.add(7), 300);
  try {
    await nextPollWithin(10_000);
    const from = mattermost.stats().pollStarts;
    const finishedBefore = await finishedPolls(apis);
    await sleep(INTERVAL_S * 3 * 1000);
    const polls = mattermost.stats().pollStarts - from;
    const finished = (await finishedPolls(apis)).map((count, i) => count - finishedBefore[i]!);
    // One poller starts a poll about once an interval (2 or 3 in the window, by its phase), two
    // would start 4 to 6, three ~9; so each process's own count says who polled. Polls, not
    // requests: every audit here is within the checkpoint's recent window (the emulator's audits
    // are 7 ms apart), so each poll reads all of them, 2 or 3 pages of 200.
    assert.ok(polls >= 2 && polls <= 5, `${polls} polls in three intervals`);
    assert.deepEqual(finished.map((count) => count > 0), apis.map((api) => api === first), `polls finished by each process in three intervals: ${finished.join(', ')}`);

    await first.stop('SIGKILL');
    const takeover = await nextPollWithin(10_000);
    t.diagnostic(`holder killed: the next poll came ${takeover} ms later (interval ${INTERVAL_S * 1000} ms)`);
    // Within one interval (1.5 s by design: the lease lives half an interval), with room for a loaded machine.
    assert.ok(takeover <= INTERVAL_S * 1000 + 1000, `taken over in ${takeover} ms`);
    const survivors = apis.filter((api) => api !== first);
    const second = await holder(survivors);

    await second.stop('SIGTERM');
    const handover = await nextPollWithin(10_000);
    t.diagnostic(`holder stopped: the next poll came ${handover} ms later`);
    assert.equal(await leases(survivors.filter((api) => api !== second)).then((s) => s[0]), 'held');
  } finally {
    clearInterval(growing);
  }

  const documents = () => es.documents('logs-mattermost.audit-default').map((d) => String((d._source.event as any)?.id));
  await eventually(() => new Set(documents()).size === mattermost.audits().length, `all ${mattermost.audits().length} audits indexed`, 30_000);
  const ids = documents();
  assert.equal(ids.length, new Set(ids).size, 'each audit once');
  t.diagnostic(`${ids.length} audits indexed; ${es.stats().conflicts} sent again (409) after the kill`);
});
