/**
 * Bounded memory under a flood: 8 parallel webhook bodies of 15 MB and 200 TCP clients that each
 * send 1.5 MB without a newline and close. Without a budget these end in "Reached heap limit";
 * with MAX_IN_FLIGHT_BYTES the webhook answers 503 + Retry-After to what does not fit, the TCP
 * connections wait their turn, and the forwarder (the built bundle, as operators run it, heap
 * capped by its launcher) stays below 350 MB of RSS (about 280–320 MB measured; without the budget
 * it died at its heap limit, 588 MB with four bodies), up, and delivers everything it accepted.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { auditLine } from './support/audit-records.js';
import { eventually, ForwarderProcess } from './support/forwarder-process.js';
import { freePort, RedisServer } from './support/redis-server.js';

// Bounded, with room for the run-to-run spread of RSS: the flood itself would take gigabytes.
const RSS_LIMIT_BYTES = 350 * 1024 * 1024;
let redis: RedisServer;
let dir: string;
let forwarder: ForwarderProcess;
let tcpPort: number;

before(async () => {
  redis = await RedisServer.start();
  dir = await mkdtemp(join(tmpdir(), 'mae-memory-'));
  tcpPort = await freePort();
  forwarder = await ForwarderProcess.start({ REDIS_URL: redis.url, DATA_DIR: dir, TCP_LISTEN: `127.0.0.1:${tcpPort}` }, join(dir, 'forwarder.log'), { built: true });
});

after(async () => {
  await forwarder?.stop();
  await redis?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The process's peak resident set so far (VmHWM): no sample can miss the peak. */
function peakRss(pid: number): number {
  const kilobytes = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kilobytes) * 1024;
}

async function delivered(): Promise<number> {
  return ((await (await forwarder.admin('/v1/status')).json()) as { sink: { delivered: number } }).sink.delivered;
}

/** About 15 MB of NDJSON: 7,000 records of 2 KB, distinct per body. */
function body(n: number): string {
  const pad = 'p'.repeat(1700);
  return Array.from({ length: 7000 }, (_, i) => auditLine(n * 10_000 + i, `mem${n}`).replace('"sess"', `"${pad}"`)).join('\n');
}

/** POSTs a body until it is accepted, as a client honouring Retry-After does; the 503s it got. */
async function postUntilAccepted(text: string): Promise<{ refusals: number; accepted: number }> {
  for (let refusals = 0; ; refusals++) {
    const response = await forwarder.post(text).catch((error: Error) => error);
    if (!(response instanceof Error) && response.status === 202) return { refusals, accepted: ((await response.json()) as { accepted: number }).accepted };
    if (!(response instanceof Error)) {
      const text = await response.text();
      assert.equal(response.status, 503, text);
      assert.ok(Number(response.headers.get('retry-after')) > 0, 'a 503 says when to come back');
    }
    // A refused upload may also end in a closed connection before the client has read the 503.
    await sleep(500);
  }
}

test('8 parallel 15 MB bodies and 200 clients with 1.5 MB partial lines: RSS below 350 MB, nothing lost, still up', async () => {
  const pid = forwarder.pid!;
  const bodies = Array.from({ length: 8 }, (_, n) => body(n));
  const tcp = Array.from({ length: 200 }, async (_, n) => {
    const socket = connect(tcpPort, '127.0.0.1');
    socket.on('error', () => undefined);
    await once(socket, 'connect');
    const line = Buffer.alloc(1_500_000, 0x61 + (n % 26));
    socket.end(line);
    await once(socket, 'close');
  });
  const posts = await Promise.all(bodies.map((text) => postUntilAccepted(text)));
  await Promise.all(tcp);
  assert.ok(posts.some((post) => post.refusals > 0), 'some bodies waited for room (503 + Retry-After)');
  assert.deepEqual(posts.map((post) => post.accepted), bodies.map(() => 7000));
  // Every body record and every TCP line (truncated to MAX_RECORD_BYTES) becomes one document.
  await eventually(async () => (await delivered()) >= 8 * 7000 + 200, 'every record in the file sink', 180_000);
  assert.equal(await delivered(), 8 * 7000 + 200);
  assert.equal((await fetch(`${forwarder.url}/healthz`)).status, 200);
  const peak = peakRss(pid);
  assert.ok(peak < RSS_LIMIT_BYTES, `peak RSS ${Math.round(peak / 1024 / 1024)} MB`);
  console.log(`peak RSS ${Math.round(peak / 1024 / 1024)} MB; 503s before acceptance: ${posts.map((post) => post.refusals).join(', ')}`);
  assert.doesNotMatch(readFileSync(join(dir, 'forwarder.log'), 'utf8'), /heap limit|FATAL/);
});
