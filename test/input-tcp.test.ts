/**
 * The TCP input end to end: real sockets (plain and TLS), real Redis, the forwarder as a child
 * process delivering to the Elasticsearch emulator; documents counted there (created once each,
 * no 409 for a record sent once).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect as connectTls } from 'node:tls';
import { after, before, test } from 'node:test';
import { startEsEmulator, type EsEmulator } from './es-emulator/index.js';
import { auditLine } from './support/audit-records.js';
import { eventually, ForwarderProcess } from './support/forwarder-process.js';
import { freePort, RedisServer } from './support/redis-server.js';

const TOKEN = 'tcp-token-0123456789abcdef';
const DATA_STREAM = 'logs-mattermost.audit-default';
let redis: RedisServer;
let dir: string;
const forwarders: ForwarderProcess[] = [];
const emulators: EsEmulator[] = [];

before(async () => {
  redis = await RedisServer.start();
  dir = await mkdtemp(join(tmpdir(), 'mae-tcp-'));
});

after(async () => {
  await Promise.all(forwarders.map((forwarder) => forwarder.stop()));
  await Promise.all(emulators.map((es) => es.close()));
  await redis?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Listener {
  port: number;
  forwarder: ForwarderProcess;
  es: EsEmulator;
  /** The stored documents, `_id` beside their fields. */
  documents(): any[];
}

async function listener(name: string, env: Record<string, string> = {}, host = '127.0.0.1'): Promise<Listener> {
  const port = await freePort();
  const es = await startEsEmulator();
  emulators.push(es);
  const forwarder = await ForwarderProcess.start({
    REDIS_URL: redis.url, ELASTICSEARCH_URL: es.url, DATA_DIR: join(dir, name), QUEUE_PREFIX: `{tcp-${name}}`, TCP_LISTEN: `${host}:${port}`,
    BATCH_SIZE: '500', ...env,
  }, join(dir, `${name}.log`));
  forwarders.push(forwarder);
  return { port, forwarder, es, documents: () => es.documents(DATA_STREAM).map((d) => ({ _id: d._id, ...d._source })) };
}

/** Each stored document was created once, and nothing was sent twice (no 409). */
function assertCreatedOnce(es: EsEmulator, count: number): void {
  assert.equal(es.count(DATA_STREAM), count);
  assert.equal(es.stats().created, count);
  assert.equal(es.stats().conflicts, 0);
}

async function open(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  return socket;
}

async function send(socket: Socket, data: string | Buffer): Promise<void> {
  if (!socket.write(data)) await once(socket, 'drain');
}

function userIds(docs: any[], tag: string): string[] {
  return docs.map((d) => d.user?.id).filter((id) => typeof id === 'string' && id.startsWith(`${tag}-`));
}

async function closed(socket: Socket, timeoutMs: number): Promise<boolean> {
  if (socket.destroyed) return true;
  // Not events.once: it rejects on the 'error' that a refused connection may emit first.
  const close = new Promise<boolean>((resolve) => socket.once('close', () => resolve(true)));
  return Promise.race([close, sleep(timeoutMs).then(() => false)]);
}

test('queues the lines of several connections once each; garbage and an oversized line break no connection', async () => {
  const { port, documents, forwarder, es } = await listener('many', { MAX_RECORD_BYTES: '4096' });
  const sockets = await Promise.all(Array.from({ length: 5 }, () => open(port)));
  await Promise.all(sockets.map(async (socket, c) => {
    // Lines cut at arbitrary points across writes, as TCP may deliver them.
    const text = Array.from({ length: 400 }, (_, i) => `${auditLine(c * 1000 + i, 'tcp')}\n`).join('');
    for (let at = 0; at < text.length; at += 997 + c * 13) await send(socket, text.slice(at, at + 997 + c * 13));
  }));
  await send(sockets[1]!, 'not json at all\n[1,2]\n');
  await send(sockets[1]!, Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a]));
  await send(sockets[2]!, `{"event":"login","pad":"${'x'.repeat(20_000)}"}\n`);
  for (const [c, socket] of sockets.entries()) await send(socket, `${auditLine(c * 1000 + 400, 'tcp')}\n\n`);
  // A client that reconnects, and ends with a line without its newline.
  sockets[0]!.destroy();
  const again = await open(port);
  await send(again, `${auditLine(5000, 'tcp')}\n${auditLine(5001, 'tcp')}`);
  again.end();
  await eventually(() => documents().length >= 5 * 401 + 2 + 4, 'every record as a document');
  await sleep(500);
  const docs = documents();
  assertCreatedOnce(es, 5 * 401 + 2 + 4);
  assert.equal(new Set(userIds(docs, 'tcp')).size, 5 * 401 + 2);
  const errors = docs.filter((d) => d.event.kind === 'pipeline_error');
  assert.equal(errors.length, 4);
  assert.equal(errors.filter((d) => d.tags.includes('truncated')).length, 1);
  assert.ok(docs.every((d) => d.input.type === 'tcp'));
  const status = (await (await forwarder.admin('/v1/status')).json()) as any;
  assert.equal(status.inputs.tcp.records, docs.length);
  assert.equal(status.inputs.tcp.connections, 4);
  for (const socket of sockets) socket.destroy();
});

test('closes idle connections, refuses connections beyond TCP_MAX_CONNECTIONS, warns when open to all', async () => {
  const { port, documents, es } = await listener('limits', { TCP_IDLE_TIMEOUT_SECONDS: '1', TCP_MAX_CONNECTIONS: '2' }, '0.0.0.0');
  // Logged during the start; the line may still be on its way to the log file.
  await eventually(() => /listens beyond loopback without TCP_TOKEN or TCP_TLS_CA/.test(readFileSync(join(dir, 'limits.log'), 'utf8')), 'the warning in the log');
  const first = await open(port);
  const second = await open(port);
  await send(first, `${auditLine(0, 'lim')}\n`);
  await send(second, `${auditLine(1, 'lim')}\n`);
  const third = await open(port);
  assert.ok(await closed(third, 2000), 'the third connection is closed at once');
  assert.ok(await closed(first, 4000), 'an idle connection is closed');
  assert.ok(await closed(second, 4000), 'an idle connection is closed');
  const fourth = await open(port);
  await send(fourth, `${auditLine(2, 'lim')}\n`);
  await eventually(() => documents().length >= 3, 'three documents');
  assert.deepEqual(userIds(documents(), 'lim').sort(), ['lim-0', 'lim-1', 'lim-2']);
  assertCreatedOnce(es, 3);
  fourth.destroy();
});

test('over TLS, takes records only from clients with a certificate of TCP_TLS_CA that send the token first', async () => {
  const make = (name: string) => execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-days', '1',
    '-keyout', join(dir, `${name}.key`), '-out', join(dir, `${name}.crt`),
  ], { stdio: 'ignore', cwd: dir, env: { ...process.env, RANDFILE: join(dir, '.rnd') } });
  make('server');
  make('client');
  const { port, documents, forwarder, es } = await listener('tls', {
    TCP_TLS_CERT: join(dir, 'server.crt'), TCP_TLS_KEY: join(dir, 'server.key'), TCP_TLS_CA: join(dir, 'client.crt'), TCP_TOKEN: TOKEN,
  });
  const tlsClient = async (withCertificate: boolean) => {
    const socket = connectTls({
      port, host: '127.0.0.1', servername: 'localhost', ca: readFileSync(join(dir, 'server.crt')),
      ...(withCertificate ? { cert: readFileSync(join(dir, 'client.crt')), key: readFileSync(join(dir, 'client.key')) } : {}),
    });
    socket.on('error', () => undefined); // a refused handshake is what some cases expect
    return socket;
  };

  const good = await tlsClient(true);
  await once(good, 'secureConnect');
  good.write(`${TOKEN}\n${auditLine(0, 'tls')}\n${auditLine(1, 'tls')}\n`);
  const wrongToken = await tlsClient(true);
  await once(wrongToken, 'secureConnect');
  wrongToken.write(`not-the-token-0123456789\n${auditLine(2, 'tls')}\n`);
  assert.ok(await closed(wrongToken, 3000), 'a wrong token closes the connection');
  const noCertificate = await tlsClient(false);
  noCertificate.write(`${TOKEN}\n${auditLine(3, 'tls')}\n`);
  assert.ok(await closed(noCertificate, 3000), 'no client certificate, no connection');

  await eventually(() => documents().length >= 2, 'two documents');
  good.end(`${auditLine(4, 'tls')}\n`);
  await eventually(() => documents().length >= 3, 'three documents');
  await sleep(500);
  assert.deepEqual(userIds(documents(), 'tls').sort(), ['tls-0', 'tls-1', 'tls-4']);
  assertCreatedOnce(es, 3);
  const status = (await (await forwarder.admin('/v1/status')).json()) as any;
  assert.equal(status.inputs.tcp.tls, true);
  assert.ok(status.inputs.tcp.rejected >= 2);
});

test('stops reading a client while the queue is over its high-water mark, then delivers all of it', async () => {
  // The listener runs without a worker, so nothing leaves the queue until one starts.
  const { port, documents, forwarder, es } = await listener('backpressure', { ROLE: 'api', QUEUE_HIGH_WATER_MARK: '1000' });
  const socket = await open(port);
  const total = 20_000;
  const writing = (async () => {
    for (let i = 0; i < total; i += 1000) await send(socket, Array.from({ length: 1000 }, (_, j) => `${auditLine(i + j, 'bp')}\n`).join(''));
    socket.end();
  })();
  let status: any;
  await eventually(async () => {
    status = (await (await forwarder.admin('/v1/status')).json()) as any;
    return status.inputs.tcp?.paused === true;
  }, 'the input paused');
  await sleep(1000);
  status = (await (await forwarder.admin('/v1/status')).json()) as any;
  assert.ok(status.inputs.tcp.records < total / 2, `reading stopped (${status.inputs.tcp.records} queued)`);
  assert.ok(status.queue.pendingRecords < 5000, `the queue stays near its mark (${status.queue.pendingRecords})`);
  const worker = await ForwarderProcess.start({
    REDIS_URL: redis.url, ELASTICSEARCH_URL: es.url, DATA_DIR: join(dir, 'backpressure'), QUEUE_PREFIX: '{tcp-backpressure}', ROLE: 'worker',
  }, join(dir, 'backpressure-worker.log'));
  forwarders.push(worker);
  await writing;
  await eventually(() => documents().length >= total, `${total} documents`, 40_000);
  await sleep(500);
  assertCreatedOnce(es, total);
  assert.equal(new Set(userIds(documents(), 'bp')).size, total);
});
