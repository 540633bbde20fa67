/**
 * Redis away: the forwarder answers from its first moment (/healthz), and while Redis is
 * unreachable (not started, hung, or killed) /readyz and the webhook answer 503 within seconds,
 * naming Redis, instead of hanging; every log line stays ECS JSON. What was acknowledged before
 * is delivered once Redis is back.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { startEsEmulator, type EsEmulator } from './es-emulator/index.js';
import { auditBody, tally } from './support/audit-records.js';
import { eventually, ForwarderProcess } from './support/forwarder-process.js';
import { freePort, RedisServer } from './support/redis-server.js';

const DATA_STREAM = 'logs-mattermost.audit-default';
const FAST_ANSWER_MS = 10_000;
let dir: string;
let es: EsEmulator;
const redisServers: RedisServer[] = [];
const forwarders: ForwarderProcess[] = [];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mae-outage-'));
  es = await startEsEmulator();
});

after(async () => {
  await Promise.all(forwarders.map((forwarder) => forwarder.stop('SIGKILL')));
  await Promise.all(redisServers.map((server) => server.stop('SIGKILL')));
  await es?.close();
  if (dir && !process.env.KEEP_TEST_DIR) await rm(dir, { recursive: true, force: true });
});

async function start(name: string, redisUrl: string, until: 'started' | 'listening' = 'started'): Promise<ForwarderProcess> {
  const forwarder = await ForwarderProcess.start({
    REDIS_URL: redisUrl, ELASTICSEARCH_URL: es.url, DATA_DIR: join(dir, name), QUEUE_PREFIX: `{outage-${name}}`, REDIS_COMMAND_TIMEOUT_MS: '2000',
  }, join(dir, `${name}.log`), { until });
  forwarders.push(forwarder);
  return forwarder;
}

/** How long `call` takes; it must answer (not hang) well within FAST_ANSWER_MS. */
async function timed<T>(call: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await call();
  return { value, ms: Date.now() - started };
}

async function assertUnavailable(forwarder: ForwarderProcess, what: string): Promise<void> {
  const ready = await timed(() => fetch(`${forwarder.url}/readyz`));
  assert.equal(ready.value.status, 503, `${what}: /readyz`);
  const readyBody = (await ready.value.json()) as { redis: boolean; error?: string };
  assert.equal(readyBody.redis, false);
  assert.match(readyBody.error ?? '', /^Redis unreachable: /);
  const post = await timed(() => forwarder.post(auditBody(0, 10, `${what}-refused`)));
  assert.equal(post.value.status, 503, `${what}: the webhook`);
  assert.equal(post.value.headers.get('retry-after'), '5');
  assert.match(((await post.value.json()) as { error: string }).error, /Redis unavailable/);
  assert.ok(ready.ms < FAST_ANSWER_MS && post.ms < FAST_ANSWER_MS, `${what}: answers in ${ready.ms} ms (/readyz) and ${post.ms} ms (webhook)`);
  const health = await fetch(`${forwarder.url}/healthz`);
  assert.equal(health.status, 200, `${what}: /healthz`);
}

/** Every line the process wrote is an ECS JSON line (no "[ioredis] Unhandled error event"). */
function assertOnlyEcsLines(forwarder: ForwarderProcess, name: string, redisErrorsExpected: boolean): void {
  assert.deepEqual(forwarder.plainLogLines(), [], 'no plain-text lines on stderr');
  const lines = readFileSync(join(dir, `${name}.log`), 'utf8').split('\n');
  if (redisErrorsExpected) assert.ok(lines.some((line) => line.includes('"event.module":"redis"') && line.includes('Redis connection error')), 'Redis errors logged as ECS lines');
}

test('answers /healthz before Redis is reached, and 503 from /readyz and the webhook until it is', async () => {
  const port = await freePort();
  const forwarder = await start('late', `redis://127.0.0.1:${port}`, 'listening');
  assert.deepEqual(await (await fetch(`${forwarder.url}/healthz`)).json(), { status: 'starting', waitingFor: 'redis' });
  await assertUnavailable(forwarder, 'Redis not started');
  const redis = await RedisServer.start({ port });
  redisServers.push(redis);
  await eventually(async () => ((await (await fetch(`${forwarder.url}/healthz`)).json()) as { status: string }).status === 'ok', 'the start to finish once Redis is up');
  assert.equal((await forwarder.post(auditBody(0, 100, 'late'))).status, 202);
  await eventually(() => es.documents(DATA_STREAM).filter((d) => String((d._source.user as any)?.id).startsWith('late-')).length === 100, '100 documents');
  assertOnlyEcsLines(forwarder, 'late', true);
});

test('answers 503 within seconds while Redis hangs or is killed, and delivers what it acknowledged once Redis is back', async () => {
  const redis = await RedisServer.start();
  redisServers.push(redis);
  const forwarder = await start('away', redis.url);
  const posted: string[] = [];
  const post = async (from: number) => {
    const response = await forwarder.post(auditBody(from, 200, 'away'));
    if (response.status === 202) posted.push(...Array.from({ length: 200 }, (_, i) => `away-${from + i}`));
    return response.status;
  };
  assert.equal(await post(0), 202);

  redis.pause();
  try {
    await assertUnavailable(forwarder, 'Redis hung (SIGSTOP)');
  } finally {
    redis.resume();
  }
  await eventually(async () => (await post(200)) === 202, 'a 202 once Redis answers again');

  await redis.kill();
  await assertUnavailable(forwarder, 'Redis killed');
  await redis.launch();
  await eventually(async () => (await post(400)) === 202, 'a 202 after the restart', 30_000);
  await eventually(async () => (await fetch(`${forwarder.url}/readyz`)).status === 200, '/readyz 200 again');

  const delivered = () => es.documents(DATA_STREAM).map((d) => String((d._source.user as any)?.id)).filter((id) => id.startsWith('away-'));
  await eventually(() => {
    const found = new Set(delivered());
    return posted.every((id) => found.has(id));
  }, `the ${posted.length} acknowledged records`, 30_000);
  assert.deepEqual(tally(delivered()).duplicates, []);
  assertOnlyEcsLines(forwarder, 'away', false);
});

test('stops on SIGTERM while Redis is away, giving up what waits for it after a grace', async () => {
  const redis = await RedisServer.start();
  redisServers.push(redis);
  es.setFault({ delayMs: 2000 });
  try {
    const forwarder = await start('stop', redis.url);
    assert.equal((await forwarder.post(auditBody(0, 500, 'stop'))).status, 202);
    await sleep(300); // a batch on its way to the (slow) sink
    await redis.kill();
    const { value: code, ms } = await timed(() => Promise.race([forwarder.stop('SIGTERM'), sleep(30_000).then(() => 'still running after 30 s')]));
    assert.equal(code, 0, `exit code (${ms} ms)`);
  } finally {
    es.setFault({});
  }
});

test('stops on SIGTERM when Redis went away while it was idle (the queue worker waiting on it)', async () => {
  const redis = await RedisServer.start();
  redisServers.push(redis);
  const forwarder = await start('idle-stop', redis.url);
  await redis.kill();
  await sleep(2000);
  const { value: code, ms } = await timed(() => Promise.race([forwarder.stop('SIGTERM'), sleep(30_000).then(() => 'still running after 30 s')]));
  assert.equal(code, 0, `exit code (${ms} ms)`);
});
