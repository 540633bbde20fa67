/**
 * `make run` and `make stop` (scripts/run.sh, scripts/stop.sh) as an admin uses them: a Redis of
 * its own on a port of its own, never one it did not start, and nothing left running afterwards.
 * They run the built forwarder (dist/, which `make test` builds first).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import { auditLine } from './support/audit-records.js';
import { eventually } from './support/forwarder-process.js';
import { freePort, RedisServer } from './support/redis-server.js';
import { PROJECT_ROOT } from './support/shared-fixtures.js';

let foreign: RedisServer;

before(async () => {
  assert.ok(existsSync(join(PROJECT_ROOT, 'dist/server/cli.js')), 'dist/server/cli.js is missing: run make build (make test does)');
  foreign = await RedisServer.start();
});

after(async () => {
  await foreign?.stop();
});

interface Run {
  child: ChildProcess;
  dataDir: string;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** scripts/run.sh in a process group of its own, as a terminal runs `make run`. */
async function makeRun(env: Record<string, string>, dataDir?: string): Promise<Run> {
  const dir = dataDir ?? await mkdtemp(join(tmpdir(), 'mae-make-run-'));
  const port = await freePort();
  const child = spawn('scripts/run.sh', [], {
    cwd: PROJECT_ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '', DATA_DIR: dir, PORT: String(port), ...env },
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return { child, dataDir: dir, url: `http://127.0.0.1:${port}`, output: () => output, exited };
}

async function healthy(run: Run): Promise<void> {
  await eventually(async () => {
    if (run.child.exitCode !== null) throw new Error(`make run exited:\n${run.output()}`);
    return (await fetch(`${run.url}/healthz`).catch(() => undefined))?.ok === true;
  }, `the forwarder of make run:\n${run.output()}`);
}

function makeStop(dataDir: string): string {
  const result = spawnSync('scripts/stop.sh', [], { cwd: PROJECT_ROOT, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir } });
  assert.equal(result.status, 0, result.stderr);
  return result.stderr;
}

function pidIn(file: string): number {
  return Number(readFileSync(file, 'utf8').trim());
}

/** Running, not merely exited and waiting to be reaped (a daemon's parent here may reap it late). */
function alive(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0] !== 'Z';
  } catch {
    return false;
  }
}

async function delivered(run: Run, tag: string): Promise<void> {
  const response = await fetch(`${run.url}/v1/audit`, { method: 'POST', body: auditLine(1, tag) });
  assert.equal(response.status, 202);
  const sink = join(run.dataDir, 'audit.ndjson');
  await eventually(() => existsSync(sink) && readFileSync(sink, 'utf8').includes(`"${tag}-1"`), `the ${tag} document in the file sink`);
}

async function keysIn(port: number): Promise<number> {
  const client = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await client.connect();
    return await client.dbsize();
  } finally {
    client.disconnect();
  }
}

test('make run starts a Redis of its own for the forwarder, and Ctrl-C stops both', async () => {
  const redisPort = await freePort();
  const run = await makeRun({ LOCAL_REDIS_PORT: String(redisPort) });
  try {
    await healthy(run);
    const redisPid = pidIn(join(run.dataDir, 'redis/redis.pid'));
    const forwarderPid = pidIn(join(run.dataDir, 'forwarder.pid'));
    await delivered(run, 'own-redis');
    assert.ok(await keysIn(redisPort) > 0, 'the forwarder keeps its queue in the Redis make run started');
    assert.match(run.output(), new RegExp(`REDIS_URL=redis://127\\.0\\.0\\.1:${redisPort}`));

    process.kill(-run.child.pid!, 'SIGINT'); // what Ctrl-C sends: the whole foreground group
    assert.equal(await run.exited, 0, run.output());
    assert.equal(alive(forwarderPid), false, 'the forwarder is gone');
    assert.equal(alive(redisPid), false, 'the local Redis is gone');
    assert.match(run.output(), /stopped the local Redis/);
  } finally {
    makeStop(run.dataDir);
  }
});

test('make run beside a foreign Redis on the port it would take: another port, the foreign Redis untouched; make stop stops the rest', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'mae-make-run-'));
  mkdirSync(join(dataDir, 'redis'));
  writeFileSync(join(dataDir, 'redis/port'), `${foreign.port}\n`); // the port of an earlier run, taken since
  const keysBefore = await keysIn(foreign.port);
  const run = await makeRun({}, dataDir);
  try {
    await healthy(run);
    const ownPort = Number(readFileSync(join(dataDir, 'redis/port'), 'utf8'));
    assert.notEqual(ownPort, foreign.port);
    assert.match(run.output(), new RegExp(`port ${foreign.port} is in use by another program \\(left alone\\): the local Redis takes port ${ownPort}`));
    await delivered(run, 'beside-foreign');
    assert.equal(await keysIn(foreign.port), keysBefore, 'nothing written to the foreign Redis');
    assert.ok(await keysIn(ownPort) > 0);
    const pids = [pidIn(join(dataDir, 'redis/redis.pid')), pidIn(join(dataDir, 'forwarder.pid'))];

    const stopped = makeStop(dataDir);
    assert.match(stopped, /stopped the forwarder/);
    assert.match(stopped, /stopped the local Redis/);
    await run.exited;
    assert.deepEqual(pids.filter(alive), [], 'nothing of make run is left');
    assert.ok(alive(foreign.pid!), 'the foreign Redis still runs');
    assert.equal(await keysIn(foreign.port), keysBefore);
    assert.match(makeStop(dataDir), /nothing of make run is running/);
  } finally {
    makeStop(dataDir);
  }
});

test('make run refuses a LOCAL_REDIS_PORT that is taken, in one line naming it, and starts nothing', async () => {
  const run = await makeRun({ LOCAL_REDIS_PORT: String(foreign.port) });
  assert.equal(await run.exited, 1);
  const lines = run.output().trim().split('\n');
  assert.deepEqual(lines, [`make run: LOCAL_REDIS_PORT: port ${foreign.port} is already in use by another program; make run only uses a Redis it starts: choose another port, or set REDIS_URL to use that one`]);
  assert.equal(existsSync(join(run.dataDir, 'forwarder.pid')), false);
  assert.equal(existsSync(join(run.dataDir, 'redis/redis.pid')), false);
});

test('make stop stops the forwarder and the Redis of a make run that was killed', async () => {
  const run = await makeRun({ LOCAL_REDIS_PORT: String(await freePort()) });
  try {
    await healthy(run);
    const pids = [pidIn(join(run.dataDir, 'redis/redis.pid')), pidIn(join(run.dataDir, 'forwarder.pid'))];
    run.child.kill('SIGKILL'); // the script alone: its forwarder and Redis stay behind
    await run.exited;
    assert.deepEqual(pids.filter(alive), pids);
    const stopped = makeStop(run.dataDir);
    assert.match(stopped, /stopped the forwarder \(pid \d+\)\n.*stopped the local Redis/s);
    assert.deepEqual(pids.filter(alive), []);
  } finally {
    makeStop(run.dataDir);
  }
});

test('make run with REDIS_URL set starts no Redis and uses that one', async () => {
  const client = new Redis(foreign.url);
  await client.flushall();
  const run = await makeRun({ REDIS_URL: foreign.url });
  try {
    await healthy(run);
    assert.match(run.output(), /REDIS_URL is set: no local Redis/);
    assert.equal(existsSync(join(run.dataDir, 'redis')), false);
    await delivered(run, 'given-redis');
    assert.ok(await client.dbsize() > 0);
    process.kill(-run.child.pid!, 'SIGINT');
    assert.equal(await run.exited, 0);
  } finally {
    client.disconnect();
    makeStop(run.dataDir);
  }
});
