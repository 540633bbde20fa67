/**
 * Lines/s of the file input over a big backlog: BENCH_TAIL_LINES legacy lines (500k by default)
 * moved into the followed path of a running forwarder (ROLE=all, Redis with AOF, delivering to
 * the Elasticsearch emulator), from the moment the backlog appears until the emulator holds every
 * line: the same measure as bench/rsyslog.ts, on a byte-identical file. The input's own rate (all
 * lines in Redis) and the forwarder's peak RSS come with it. BENCH_ENRICH=1 runs it with names
 * from a Mattermost stand-in (bench/mattermost-stand-in.ts).
 * Prints one JSON line: {"bench":"tail","value":N,"unit":"lines/s",...}.
 */
import { renameSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startEsEmulator } from '../test/es-emulator/index.js';
import { ForwarderProcess } from '../test/support/forwarder-process.js';
import { RedisServer } from '../test/support/redis-server.js';
import { forwarderTuning } from './forwarder-tuning.js';
import { BENCH_ENRICH, startMattermostStandIn } from './mattermost-stand-in.js';
import { cpuSeconds, ownCpuSeconds, rssMb } from './process-usage.js';
import { writeLegacyBacklog } from './record-mix.js';

const LINES = Number(process.env.BENCH_TAIL_LINES ?? 500_000);
const TIMEOUT_MS = 600_000;
const DATA_STREAM = 'logs-mattermost.audit-default';


const dir = await mkdtemp(join(tmpdir(), 'mae-bench-tail-'));
const redis = await RedisServer.start();
const es = await startEsEmulator();
const mattermost = BENCH_ENRICH ? await startMattermostStandIn() : undefined;
let forwarder: ForwarderProcess | undefined;
try {
  const staged = join(dir, 'staged.log');
  const bytes = await writeLegacyBacklog(staged, LINES);
  const logs = join(dir, 'logs');
  await mkdir(logs);
  forwarder = await ForwarderProcess.start({
    ...forwarderTuning(), ...mattermost?.env,
    REDIS_URL: redis.url, ELASTICSEARCH_URL: es.url, DATA_DIR: join(dir, 'out'), AUDIT_LOG_PATHS: join(logs, 'audit.log'), LOG_LEVEL: 'warn',
  }, join(dir, 'forwarder.log'));

  // The backlog appears at once, as a rotated-in file would: from here on it is the forwarder's work.
  const cpuAtStart = { forwarder: cpuSeconds(forwarder.pid), redis: cpuSeconds(redis.pid), emulator: ownCpuSeconds() };
  const started = performance.now();
  renameSync(staged, join(logs, 'audit.log'));
  let queuedAt = 0;
  let peakRss = 0;
  while (es.count(DATA_STREAM) < LINES) {
    await sleep(50);
    peakRss = Math.max(peakRss, rssMb(forwarder.pid));
    if (!queuedAt) {
      const status = (await (await forwarder.admin('/v1/status')).json()) as { inputs: { file?: { records: number } } };
      if ((status.inputs.file?.records ?? 0) >= LINES) queuedAt = performance.now();
    }
    if (performance.now() - started > TIMEOUT_MS) throw new Error(`the backlog took over ${TIMEOUT_MS / 1000} s`);
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = {
    forwarder: cpuSeconds(forwarder.pid) - cpuAtStart.forwarder, redis: cpuSeconds(redis.pid) - cpuAtStart.redis, emulator: ownCpuSeconds() - cpuAtStart.emulator,
  };
  const queuedSeconds = ((queuedAt || performance.now()) - started) / 1000;
  const { created, conflicts } = es.stats();
  if (created !== LINES || conflicts !== 0) throw new Error(`expected ${LINES} documents created once, got ${created} created and ${conflicts} conflicts`);
  console.log(JSON.stringify({
    bench: 'tail', value: Math.round(LINES / seconds), unit: 'lines/s', lines: LINES, mb: Math.round(bytes / 1e6),
    mb_per_s: Number((bytes / 1e6 / seconds).toFixed(1)), queued_lines_per_s: Math.round(LINES / queuedSeconds),
    forwarder_peak_rss_mb: Math.round(peakRss), seconds: Number(seconds.toFixed(3)),
    forwarder_cpu_seconds: Number(cpu.forwarder.toFixed(2)), redis_cpu_seconds: Number(cpu.redis.toFixed(2)), emulator_cpu_seconds: Number(cpu.emulator.toFixed(2)),
    ...(mattermost ? { enrich: true, mattermost_requests: mattermost.directory.requests().length } : {}),
  }));
} finally {
  await forwarder?.stop();
  await mattermost?.directory.close();
  await es.close();
  await redis.stop();
  await rm(dir, { recursive: true, force: true });
}
