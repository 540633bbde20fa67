/**
 * A command that cannot start says why in one line, naming the setting, port, file or server, and
 * exits: no stack, no process left half-started.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { freePort, RedisServer } from './support/redis-server.js';
import { PROJECT_ROOT } from './support/shared-fixtures.js';

let redis: RedisServer;
let dir: string;
let taken: Server;
let takenPort: number;

before(async () => {
  redis = await RedisServer.start();
  dir = await mkdtemp(join(tmpdir(), 'mae-startup-'));
  taken = createServer().listen(0, '127.0.0.1');
  await once(taken, 'listening');
  takenPort = (taken.address() as { port: number }).port;
});

after(async () => {
  taken?.close();
  await redis?.stop();
});

/** Runs the CLI to its end (a command that hangs fails the test) and returns what it printed besides its JSON log lines. */
async function run(args: string[], env: Record<string, string>): Promise<{ status: number | null; lines: string[]; stdout: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/cli.ts', ...args], {
    cwd: PROJECT_ROOT, env: { PATH: process.env.PATH ?? '', DATA_DIR: dir, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const [status] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  assert.notEqual(status, null, `${args.join(' ')} did not exit by itself within 30 s:\n${stderr}`);
  return { status, stdout, lines: stderr.split('\n').filter((line) => line !== '' && !line.startsWith('{"log.level"')) };
}

function assertOneLine(result: { lines: string[] }, pattern: RegExp): void {
  assert.equal(result.lines.length, 1, `one line, got:\n${result.lines.join('\n')}`);
  assert.match(result.lines[0]!, pattern);
}

test('serve on a taken port: one line naming the port, exit 1', async () => {
  const result = await run(['serve'], { REDIS_URL: redis.url, PORT: String(takenPort) });
  assert.equal(result.status, 1);
  assertOneLine(result, new RegExp(`^mattermost-audit-elastic: PORT: port ${takenPort} is already in use on 127\\.0\\.0\\.1 `));
});

test('serve with HOST not an address of this machine: one line naming HOST', async () => {
  // With tokens: beyond loopback without them the start stops earlier, for that reason.
  const result = await run(['serve'], { REDIS_URL: redis.url, PORT: '0', HOST: '192.0.2.1', ADMIN_TOKEN: 'admin-token-0123456789abcdef', INGEST_TOKEN: 'ingest-token-0123456789abcdef' });
  assert.equal(result.status, 1);
  assertOneLine(result, /^mattermost-audit-elastic: HOST: 192\.0\.2\.1 is not an address of this machine$/);
});

test('serve with TCP_LISTEN on a taken port: one line naming TCP_LISTEN and the port', async () => {
  const result = await run(['serve'], { REDIS_URL: redis.url, PORT: '0', TCP_LISTEN: `127.0.0.1:${takenPort}`, QUEUE_PREFIX: '{startup-tcp}' });
  assert.equal(result.status, 1);
  assertOneLine(result, new RegExp(`^mattermost-audit-elastic: TCP_LISTEN: port ${takenPort} is already in use`));
});

test('serve with an unreadable or unusable TLS file for the TCP input: one line naming the setting, and it exits', async () => {
  const missing = await run(['serve'], { REDIS_URL: redis.url, PORT: '0', TCP_LISTEN: '127.0.0.1:0', TCP_TLS_CERT: join(dir, 'none.pem'), TCP_TLS_KEY: join(dir, 'none.key') });
  assert.equal(missing.status, 2);
  assertOneLine(missing, /^mattermost-audit-elastic: configuration error: TCP_TLS_CERT: cannot read .*none\.pem: ENOENT/);
  writeFileSync(join(dir, 'junk.pem'), 'not a certificate\n');
  const junk = await run(['serve'], { REDIS_URL: redis.url, PORT: '0', TCP_LISTEN: '127.0.0.1:0', TCP_TLS_CERT: join(dir, 'junk.pem'), TCP_TLS_KEY: join(dir, 'junk.pem') });
  assert.equal(junk.status, 2);
  assertOneLine(junk, /^mattermost-audit-elastic: configuration error: TCP_TLS_CERT, TCP_TLS_KEY: not a usable certificate and key: /);
});

test('serve and transform with a GeoIP database that cannot be opened: one line naming the setting and the file', async () => {
  for (const args of [['serve'], ['transform']]) {
    const result = await run(args, { REDIS_URL: redis.url, PORT: '0', GEOIP_ASN_DB: join(dir, 'missing-asn.mmdb') });
    assert.equal(result.status, 2, args[0]);
    assertOneLine(result, /^mattermost-audit-elastic: configuration error: GEOIP_ASN_DB: cannot open GeoIP database .*missing-asn\.mmdb: ENOENT/);
  }
});

test('dead-letters with Redis unreachable: one line naming REDIS_URL without its password', async () => {
  const port = await freePort();
  const result = await run(['dead-letters', 'list'], { REDIS_URL: `redis://user:redis-secret@127.0.0.1:${port}` });
  assert.equal(result.status, 1);
  assertOneLine(result, new RegExp(`^mattermost-audit-elastic: cannot reach Redis at redis://127\\.0\\.0\\.1:${port} \\(REDIS_URL\\): connect ECONNREFUSED`));
});

test('dead-letters list --json prints [] when there are none, and --limit takes whole numbers only', async () => {
  const empty = await run(['dead-letters', 'list', '--json'], { REDIS_URL: redis.url, QUEUE_PREFIX: '{startup-empty}' });
  assert.equal(empty.status, 0, empty.lines.join('\n'));
  assert.deepEqual(JSON.parse(empty.stdout), []);
  for (const limit of ['abc', '1.5', '0']) {
    const refused = await run(['dead-letters', 'list', '--limit', limit], { REDIS_URL: redis.url });
    assert.equal(refused.status, 1, limit);
    assertOneLine(refused, new RegExp(`^mattermost-audit-elastic: option '--limit <n>' argument '${limit.replace('.', '\\.')}' is invalid\\. `));
  }
});
