/**
 * Live input switches: INPUT_TCP, INPUT_WEBHOOK and INPUT_FILE pushed off and on with
 * PUT /v1/config take effect within seconds in every process on the Redis, with no restart: the
 * TCP port closes and opens again, the webhook answers 503 and then 202, the file tail pauses
 * and resumes. An input switched on without its settings says so in /v1/status.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { appendFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { startEsEmulator, type EsEmulator } from './es-emulator/index.js';
import { auditLine } from './support/audit-records.js';
import { eventually, ForwarderProcess } from './support/forwarder-process.js';
import { freePort, RedisServer } from './support/redis-server.js';
import { acceptsConnections } from './support/tcp-port.js';

const DATA_STREAM = 'logs-mattermost.audit-default';
let redis: RedisServer;
let es: EsEmulator;
let dir: string;
let main: ForwarderProcess;
let api: ForwarderProcess;
let tcpPort: number;
let apiTcpPort: number;
let logPath: string;

before(async () => {
  [redis, es] = await Promise.all([RedisServer.start(), startEsEmulator()]);
  dir = await mkdtemp(join(tmpdir(), 'mae-switches-'));
  [tcpPort, apiTcpPort] = [await freePort(), await freePort()];
  logPath = join(dir, 'audit.log');
  writeFileSync(logPath, '');
  const shared = { REDIS_URL: redis.url, ELASTICSEARCH_URL: es.url, QUEUE_PREFIX: '{switches}', BATCH_SIZE: '100' };
  main = await ForwarderProcess.start({ ...shared, DATA_DIR: join(dir, 'main'), TCP_LISTEN: `127.0.0.1:${tcpPort}` }, join(dir, 'main.log'));
  // A second process of the same deployment: HTTP and inputs only, the main one delivers.
  api = await ForwarderProcess.start({
    ...shared, ROLE: 'api', DATA_DIR: join(dir, 'api'), TCP_LISTEN: `127.0.0.1:${apiTcpPort}`, AUDIT_LOG_PATHS: logPath, HOST_NAME: 'api-host',
  }, join(dir, 'api.log'));
});

after(async () => {
  await Promise.all([main?.stop(), api?.stop()]);
  await Promise.all([es?.close(), redis?.stop()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});


async function send(port: number, text: string): Promise<void> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.end(text);
  await once(socket, 'close');
}

async function inputs(forwarder: ForwarderProcess): Promise<Record<string, any>> {
  return ((await (await forwarder.reader('/v1/status')).json()) as any).inputs;
}

function users(tag: string): string[] {
  return es.documents(DATA_STREAM).map((d) => (d._source.user as { id?: string } | undefined)?.id ?? '').filter((id) => id.startsWith(`${tag}-`));
}

test('every input starts as its settings say, and the status tells each one\'s switch and state', async () => {
  const status = await inputs(main);
  assert.deepEqual([status.tcp.enabled, status.tcp.state, status.tcp.problem], [true, 'running', null]);
  assert.deepEqual([status.http.enabled, status.http.state], [true, 'running']);
  assert.deepEqual([status.file.enabled, status.file.state], [false, 'off'], 'no AUDIT_LOG_PATHS: automatic means off');
  assert.deepEqual([status.rest.enabled, status.rest.state], [false, 'off']);
  assert.equal((await inputs(api)).file.state, 'running');
  assert.ok(await acceptsConnections(tcpPort));
});

test('INPUT_TCP pushed off closes the port in every process, pushed on opens it again, and a record sent then arrives', async () => {
  await main.putConfig({ INPUT_TCP: false });
  await eventually(async () => !(await acceptsConnections(tcpPort)) && !(await acceptsConnections(apiTcpPort)), 'both TCP ports closed', 15_000);
  const off = await inputs(api);
  assert.deepEqual([off.tcp.enabled, off.tcp.state], [false, 'off'], 'the ROLE=api process took the switch from Redis');
  await main.putConfig({ INPUT_TCP: true });
  await eventually(async () => (await acceptsConnections(tcpPort)) && (await acceptsConnections(apiTcpPort)), 'both TCP ports open again', 15_000);
  await send(tcpPort, `${auditLine(1, 'reopened')}\n`);
  await send(apiTcpPort, `${auditLine(2, 'reopened')}\n`);
  await eventually(() => users('reopened').length === 2, 'the records sent over the reopened inputs');
  assert.equal((await inputs(main)).tcp.state, 'running');
});

test('INPUT_WEBHOOK pushed off answers 503 with a body that says so; pushed on takes records again', async () => {
  await main.putConfig({ INPUT_WEBHOOK: false });
  for (const forwarder of [main, api]) {
    const refused = await forwarder.post(auditLine(3, 'hook'));
    assert.equal(refused.status, 503);
    assert.match(((await refused.json()) as any).error, /webhook input is switched off \(INPUT_WEBHOOK=false\)/);
  }
  assert.equal((await inputs(main)).http.state, 'off');
  await main.putConfig({ INPUT_WEBHOOK: true });
  assert.equal((await main.post(auditLine(4, 'hook'))).status, 202);
  assert.equal((await api.post(auditLine(5, 'hook'))).status, 202);
  await eventually(() => users('hook').length === 2, 'the records posted after switching on');
  assert.deepEqual(users('hook').sort(), ['hook-4', 'hook-5'], 'nothing of what was refused');
});

test('INPUT_FILE pushed off stops the tail, which resumes at its checkpoint when pushed on', async () => {
  appendFileSync(logPath, `${auditLine(0, 'tail')}\n`);
  await eventually(() => users('tail').length === 1, 'the first line');
  await main.putConfig({ INPUT_FILE: false });
  await eventually(async () => (await inputs(api)).file.state === 'off', 'the file input off');
  appendFileSync(logPath, `${auditLine(1, 'tail')}\n${auditLine(2, 'tail')}\n`);
  await sleep(1500);
  assert.equal(users('tail').length, 1, 'a switched-off tail reads nothing');
  await main.putConfig({ INPUT_FILE: null });
  await eventually(() => users('tail').length === 3, 'the lines written while it was off');
  assert.deepEqual(users('tail').sort(), ['tail-0', 'tail-1', 'tail-2']);
});

test('an input switched on without its settings says what it lacks instead of pretending', async () => {
  await main.putConfig({ INPUT_FILE: true, INPUT_REST: true });
  await eventually(async () => (await inputs(main)).rest.state === 'unconfigured', 'the REST input reported');
  const status = await inputs(main);
  assert.equal(status.file.state, 'unconfigured');
  assert.match(status.file.problem, /^switched on, but AUDIT_LOG_PATHS is not set/);
  assert.match(status.rest.problem, /^switched on, but MATTERMOST_URL and MATTERMOST_TOKEN are not set/);
  assert.equal((await inputs(api)).file.state, 'running', 'the process that has the settings runs it');
  await main.putConfig({ INPUT_FILE: null, INPUT_REST: null });
});

test('a TCP input switched on while its port is taken reports the failure and starts once the port is free', async () => {
  await main.putConfig({ INPUT_TCP: false });
  await eventually(async () => !(await acceptsConnections(tcpPort)), 'the port closed');
  const squatter = createServer((socket) => socket.destroy()).listen(tcpPort, '127.0.0.1');
  await once(squatter, 'listening');
  try {
    await main.putConfig({ INPUT_TCP: true });
    await eventually(async () => (await inputs(main)).tcp.state === 'failed', 'the failed start reported');
    assert.match((await inputs(main)).tcp.problem, /cannot start: .*EADDRINUSE/);
  } finally {
    await new Promise((resolve) => squatter.close(resolve));
  }
  await eventually(async () => (await inputs(main)).tcp.state === 'running', 'started on a later try', 20_000);
  await send(tcpPort, `${auditLine(6, 'retried')}\n`);
  await eventually(() => users('retried').length === 1, 'a record over the input started late');
});
