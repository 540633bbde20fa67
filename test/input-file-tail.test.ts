/**
 * The file input end to end: real files, real Redis, the forwarder as a child process delivering
 * to the Elasticsearch emulator. Every test counts the documents at the destination: each line
 * exactly once, created once (a line read twice would show as a 409 conflict), one document per
 * path and offset.
 */
import assert from 'node:assert/strict';
import { appendFileSync, closeSync, copyFileSync, mkdirSync, openSync, readFileSync, renameSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import { startEsEmulator, type EsEmulator } from './es-emulator/index.js';
import { auditLine } from './support/audit-records.js';
import { eventually, ForwarderProcess } from './support/forwarder-process.js';
import { RedisServer } from './support/redis-server.js';

const DATA_STREAM = 'logs-mattermost.audit-default';
let redis: RedisServer;
const running: ForwarderProcess[] = [];
const emulators: EsEmulator[] = [];
const dirs: string[] = [];

before(async () => {
  redis = await RedisServer.start();
});

after(async () => {
  await Promise.all(running.map((forwarder) => forwarder.stop('SIGKILL')));
  await Promise.all(emulators.map((es) => es.close()));
  await redis?.stop();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

interface Scenario {
  dir: string;
  logs: string;
  prefix: string;
  es: EsEmulator;
  start(env?: Record<string, string>): Promise<ForwarderProcess>;
  /** The stored documents, `_id` beside their fields. */
  documents(): any[];
}

async function scenario(name: string): Promise<Scenario> {
  const dir = await mkdtemp(join(tmpdir(), `mae-tail-${name}-`));
  dirs.push(dir);
  const logs = join(dir, 'logs');
  mkdirSync(logs);
  const prefix = `{tail-${name}}`;
  const es = await startEsEmulator();
  emulators.push(es);
  return {
    dir, logs, prefix, es,
    async start(env = {}) {
      const forwarder = await ForwarderProcess.start({
        REDIS_URL: redis.url, ELASTICSEARCH_URL: es.url, DATA_DIR: join(dir, 'out'), QUEUE_PREFIX: prefix, HOST_NAME: 'tail-test', BATCH_SIZE: '500',
        AUDIT_LOG_PATHS: join(logs, 'audit.log'), ...env,
      }, join(dir, 'forwarder.log'));
      running.push(forwarder);
      return forwarder;
    },
    documents: () => es.documents(DATA_STREAM).map((d) => ({ _id: d._id, ...d._source })),
  };
}

function lines(from: number, count: number, tag: string): string {
  return Array.from({ length: count }, (_, i) => `${auditLine(from + i, tag)}\n`).join('');
}

/**
 * Exactly the expected user ids, each in one document, each created once; one per path and offset
 * unless files took turns at one path (rotation, truncation), whose offsets then repeat.
 */
function assertEachOnce(s: Scenario, tag: string, count: number, { allowRepeats = false, pathTakenOver = false } = {}): void {
  const docs = s.documents();
  const ids = docs.map((d) => d.user?.id).filter((id) => String(id).startsWith(`${tag}-`));
  assert.equal(ids.length, count, `${count} ${tag} documents`);
  assert.equal(new Set(ids).size, count, `${count} distinct ${tag} users`);
  if (!pathTakenOver) assert.equal(new Set(docs.map((d) => `${d.log.file.path}@${d.log.offset}`)).size, docs.length, 'one document per path and offset');
  const { created, conflicts } = s.es.stats();
  assert.equal(created, docs.length, 'each document created once');
  if (!allowRepeats) assert.equal(conflicts, 0, 'no line sent twice');
}

const checkpointsKey = (s: Scenario) => `${s.prefix}:checkpoints:tail-test`;

/** The file checkpoints the forwarder saved in Redis (identity, offset, ...). */
async function savedCheckpoints(s: Scenario): Promise<any[]> {
  const client = new Redis(redis.url);
  try {
    return Object.values(await client.hgetall(checkpointsKey(s))).filter((v) => v.startsWith('{')).map((v) => JSON.parse(v));
  } finally {
    await client.quit();
  }
}

async function waitForDocuments(s: Scenario, count: number, what: string, timeoutMs = 30_000): Promise<void> {
  await eventually(() => s.documents().length >= count, what, timeoutMs);
  await sleep(600); // anything more (a duplicate) would arrive now
}

test('follows a rename rotation while lines are being written, reading the old file to its end', async () => {
  const s = await scenario('rename');
  const path = join(s.logs, 'audit.log');
  writeFileSync(path, lines(0, 200, 'rot'));
  const forwarder = await s.start();
  // The writer keeps its descriptor across the rename, as a logger does until it reopens.
  const oldFd = openSync(path, 'a');
  for (let i = 0; i < 10; i++) {
    writeSync(oldFd, lines(200 + i * 50, 50, 'rot'));
    await sleep(30);
  }
  renameSync(path, `${path}.1`);
  writeSync(oldFd, lines(700, 100, 'rot'));
  writeFileSync(path, lines(800, 100, 'rot'));
  for (let i = 0; i < 10; i++) {
    appendFileSync(path, lines(900 + i * 50, 50, 'rot'));
    await sleep(30);
  }
  // The old file ends with a line whose newline never comes: emitted once the file is finished.
  writeSync(oldFd, auditLine(1400, 'rot'));
  closeSync(oldFd);
  await waitForDocuments(s, 1401, '1401 documents', 20_000);
  assertEachOnce(s, 'rot', 1401, { pathTakenOver: true });
  const last = s.documents().find((d) => d.user.id === 'rot-1400');
  assert.equal(last.log.file.path, path);
  assert.equal(last.event.action, 'updateConfig');
  const status = (await (await forwarder.admin('/v1/status')).json()) as any;
  assert.equal(status.inputs.file.records, 1401);
  assert.deepEqual(status.inputs.file.files.map((f: any) => f.state), ['live']);
});

test('reads a copytruncated file again from its start, also when it regrew before the next look', async () => {
  const s = await scenario('copytruncate');
  const path = join(s.logs, 'audit.log');
  writeFileSync(path, lines(0, 500, 'ct'));
  const forwarder = await s.start();
  await waitForDocuments(s, 500, 'the first 500');
  copyFileSync(path, `${path}.1`);
  truncateSync(path, 0);
  appendFileSync(path, lines(500, 300, 'ct'));
  await waitForDocuments(s, 800, '800 documents');
  // Truncated and rewritten past the old offset while the forwarder cannot look (stopped):
  // only the changed head gives it away.
  const pid = forwarder.pid!;
  process.kill(pid, 'SIGSTOP');
  try {
    copyFileSync(path, `${path}.2`);
    truncateSync(path, 0);
    appendFileSync(path, lines(800, 700, 'ct'));
  } finally {
    process.kill(pid, 'SIGCONT');
  }
  await waitForDocuments(s, 1500, '1500 documents');
  assertEachOnce(s, 'ct', 1500, { pathTakenOver: true });
});

test('resumes after a restart and reads what was written, and rotated, while it was down', async () => {
  const s = await scenario('restart');
  const path = join(s.logs, 'audit.log');
  writeFileSync(path, lines(0, 1000, 'rs'));
  const first = await s.start();
  await waitForDocuments(s, 1000, 'the first 1000');
  await first.stop('SIGTERM');
  appendFileSync(path, lines(1000, 500, 'rs'));
  renameSync(path, `${path}.1`);
  writeFileSync(path, lines(1500, 500, 'rs'));
  await s.start();
  await waitForDocuments(s, 2000, '2000 documents');
  assertEachOnce(s, 'rs', 2000, { pathTakenOver: true });
});

test('loses nothing after kill -9 mid-file; lines read again keep their document ids (409s)', async (t) => {
  const s = await scenario('kill');
  const path = join(s.logs, 'audit.log');
  const total = 60_000;
  for (let i = 0; i < total; i += 10_000) appendFileSync(path, lines(i, 10_000, 'k9'));
  // The tailing process (ROLE=api) is the one killed; a separate worker keeps delivering.
  const worker = await s.start({ ROLE: 'worker', AUDIT_LOG_PATHS: '' });
  const tailEnv = { ROLE: 'api', QUEUE_HIGH_WATER_MARK: '5000' };
  const tail = await s.start(tailEnv);
  await eventually(() => s.documents().length >= 10_000, 'a part of the file delivered');
  await tail.stop('SIGKILL');
  const checkpoints = await savedCheckpoints(s);
  assert.equal(checkpoints.length, 1);
  const checkpoint = checkpoints[0];
  assert.ok(checkpoint.offset > 0 && checkpoint.offset < readFileSync(path).length, `killed mid-file (offset ${checkpoint.offset})`);
  // As if the kill had come between an enqueue and its checkpoint: lines 5000.. are queued again.
  const rewound = Buffer.byteLength(lines(0, 5000, 'k9'));
  assert.ok(checkpoint.offset > rewound);
  const client = new Redis(redis.url);
  await client.hset(checkpointsKey(s), checkpoint.identity, JSON.stringify({ ...checkpoint, offset: rewound }));
  await client.quit();
  // Lines queued after the last saved checkpoint (the kill fell between an enqueue and its save)
  // are read again too: count them once the worker has delivered what the queue holds.
  for (let before = -1; before !== s.documents().length; await sleep(1000)) before = s.documents().length;
  const beyond = s.documents().filter((d) => d.log.offset >= checkpoint.offset).length;
  const repeated = readFileSync(path).subarray(rewound, checkpoint.offset).toString().split('\n').length - 1 + beyond;
  await s.start(tailEnv);
  await eventually(() => s.documents().length >= total && s.es.stats().conflicts >= repeated, `${total} documents`, 45_000);
  await sleep(600);
  // A line read again is the same line at the same offset, so the same _id: a 409, not a document.
  assertEachOnce(s, 'k9', total, { allowRepeats: true });
  t.diagnostic(`lines read again after kill -9 and a rewound checkpoint: ${s.es.stats().conflicts} (expected ${repeated})`);
  assert.equal(s.es.stats().conflicts, repeated);
  await worker.stop();
});

test('delivering straight from the file, keeps its place through an outage and a kill -9: each line once', async () => {
  const s = await scenario('direct');
  const path = join(s.logs, 'audit.log');
  const total = 20_000;
  writeFileSync(path, lines(0, total, 'dd'));
  const checkpointOffset = async () => (await savedCheckpoints(s))[0]?.offset ?? 0;
  s.es.setFault({ down: true });
  const first = await s.start({ AUDIT_LOG_DELIVERY: 'direct' });
  await sleep(2500);
  // The file is the buffer: nothing reached Elasticsearch, so the checkpoint did not move.
  assert.equal(await checkpointOffset(), 0);
  await first.stop('SIGKILL');
  s.es.setFault({ itemRejectShare: 0.3 });
  await s.start({ AUDIT_LOG_DELIVERY: 'direct' });
  await eventually(() => s.documents().length > 0, 'the first documents through the 429s');
  s.es.setFault({});
  await waitForDocuments(s, total, `${total} documents`);
  assertEachOnce(s, 'dd', total);
  await eventually(async () => (await checkpointOffset()) === readFileSync(path).length, 'the checkpoint at the end of the file');
});

test('waits for the newline of a partial last line', async () => {
  const s = await scenario('partial');
  const path = join(s.logs, 'audit.log');
  const line = auditLine(1, 'pl');
  writeFileSync(path, `${auditLine(0, 'pl')}\n${line.slice(0, 40)}`);
  await s.start();
  await waitForDocuments(s, 1, 'the complete line');
  await sleep(1000);
  assert.equal(s.documents().length, 1);
  appendFileSync(path, `${line.slice(40)}\n`);
  await waitForDocuments(s, 2, 'the completed line');
  assertEachOnce(s, 'pl', 2);
  const completed = s.documents().find((d) => d.user.id === 'pl-1');
  assert.equal(completed.event.action, 'updateConfig');
  assert.equal(completed.log.offset, Buffer.byteLength(auditLine(0, 'pl')) + 1);
});

test('follows every file a glob matches, files created later included, and truncates an oversized line', async () => {
  const s = await scenario('glob');
  const expected = new Map<string, number>();
  const write = (path: string, from: number, count: number) => {
    appendFileSync(path, lines(from, count, 'gl'));
    expected.set(path, (expected.get(path) ?? 0) + count);
  };
  let n = 0;
  for (let d = 0; d < 4; d++) {
    mkdirSync(join(s.logs, `node${d}`, 'nested'), { recursive: true });
    for (let f = 0; f < 5; f++, n += 100) write(join(s.logs, `node${d}`, f % 2 ? 'nested' : '', `audit-${f}.log`), n, 100);
  }
  writeFileSync(join(s.logs, 'node0', 'audit.txt'), lines(99_000, 10, 'no'));
  await s.start({ AUDIT_LOG_PATHS: `${join(s.logs, '**', 'audit-*.log')}`, MAX_RECORD_BYTES: '2000' });
  await waitForDocuments(s, 2000, 'the first 2000');
  for (let f = 5; f < 10; f++, n += 100) write(join(s.logs, 'node1', `audit-${f}.log`), n, 100);
  appendFileSync(join(s.logs, 'node1', 'audit-9.log'), `{"event":"login","pad":"${'x'.repeat(10_000)}"}\n`);
  await waitForDocuments(s, 2501, '2501 documents');
  const docs = s.documents();
  assertEachOnce(s, 'gl', 2500);
  const perPath = new Map<string, number>();
  for (const doc of docs.filter((d) => d.user)) perPath.set(doc.log.file.path, (perPath.get(doc.log.file.path) ?? 0) + 1);
  assert.deepEqual(new Map([...perPath].sort()), new Map([...expected].sort()));
  const long = docs.find((d) => d.tags.includes('truncated'));
  assert.equal(long.event.kind, 'pipeline_error');
  assert.equal(Buffer.byteLength(long.event.original), 2000);
});
