/**
 * The peer figure for `tail`: records/s of rsyslog (Debian's 8.2302: imfile → mmjsonparse →
 * omelasticsearch in bulk mode) moving the same legacy audit lines from a file into the
 * Elasticsearch emulator, counted in the emulator, from the moment the backlog appears in the
 * followed path (rsyslog already running, as tail.ts does for the forwarder) until the emulator
 * holds every record.
 * Prints {"bench":"rsyslog","value":N,"unit":"records/s",...}; when rsyslog can't run here it
 * says why on stderr and prints nothing (exit 0): a skipped peer, never an invented figure.
 *   BENCH_RSYSLOG_LINES (300000)  BENCH_RSYSLOG_WORKERS (2)  BENCH_RSYSLOG_BATCH (4096)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEsEmulator, type EsEmulator } from '../test/es-emulator/index.js';
import { prepareBacklog } from './backlog.js';
import type { Rsyslogd } from './rsyslog/daemon.js';
import { ensureRsyslog } from './rsyslog/install.js';
import { shipWithRsyslog, Skip } from './rsyslog/ship.js';

function positiveInteger(name: string, fallback: number): number {
  const text = process.env[name];
  const value = text === undefined || text === '' ? fallback : Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer (got ${JSON.stringify(text)})`);
  return value;
}

const LINES = positiveInteger('BENCH_RSYSLOG_LINES', 300_000);
const WORKERS = positiveInteger('BENCH_RSYSLOG_WORKERS', 2);
const BATCH = positiveInteger('BENCH_RSYSLOG_BATCH', 4096);
const TIMEOUT_MS = positiveInteger('BENCH_RSYSLOG_TIMEOUT_SECONDS', 300) * 1000;
const INDEX = 'rsyslog-bench';

/** Every stored document must be the parsed record, not mmjsonparse's `{"msg": …}` fallback. */
function unparsedDocuments(es: EsEmulator): number {
  return es.documents(INDEX).filter((d) => typeof d._source.timestamp !== 'string' || typeof d._source.event !== 'string').length;
}

const found = ensureRsyslog();
if ('skip' in found) {
  process.stderr.write(`rsyslog: skipped: ${found.skip}\n`);
  process.exit(0);
}

const dir = await mkdtemp(join(tmpdir(), 'mae-bench-rsyslog-'));
const es = await startEsEmulator();
let daemon: Rsyslogd | undefined;

async function cleanUp(): Promise<void> {
  await daemon?.stop();
  await es.close();
  await rm(dir, { recursive: true, force: true });
}

// Interrupted: the same clean-up as a normal end (rsyslogd also dies with us: see Rsyslogd.start).
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void cleanUp().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143)));
}

try {
  // No warm-up: the emulator has no JIT to warm, and this figure has always been measured cold.
  const backlog = await prepareBacklog(dir, LINES, 0);
  // This process is the emulator: its CPU time tells whether the emulator, not rsyslog, set the pace.
  let emulatorCpu = process.cpuUsage();
  const run = await shipWithRsyslog({
    rsyslog: found, dir, config: 'bench.conf', esPort: es.port, index: INDEX, batch: BATCH, workers: WORKERS, backlog,
    indexed: () => es.count(INDEX), timeoutMs: TIMEOUT_MS,
    atStart: () => { emulatorCpu = process.cpuUsage(); },
    atEnd: () => { emulatorCpu = process.cpuUsage(emulatorCpu); },
  }, (started) => { daemon = started; });
  await daemon?.stop();

  const stats = es.stats();
  const unparsed = unparsedDocuments(es);
  if (unparsed > 0) throw new Error(`${unparsed} documents are not the parsed record (mmjsonparse failed); rsyslogd:\n${run.daemon.log()}`);
  console.log(JSON.stringify({
    bench: 'rsyslog', value: Math.round(LINES / run.seconds), unit: 'records/s', lines: LINES, indexed: es.count(INDEX),
    seconds: Number(run.seconds.toFixed(3)), mb_per_s: Math.round(backlog.bytes / 1e6 / run.seconds), bulk_requests: stats.bulkRequests,
    docs_per_bulk: Math.round(stats.itemsReceived / Math.max(1, stats.bulkRequests)),
    rsyslogd_cpu_seconds: Number(run.rsyslogdCpuSeconds.toFixed(2)), rsyslogd_peak_rss_mb: Math.round(run.rsyslogdPeakRssMb),
    emulator_cpu_seconds: Number(((emulatorCpu.user + emulatorCpu.system) / 1e6).toFixed(2)),
    version: found.version, workers: WORKERS, batch: BATCH, target: `plain index ${INDEX}, index operation`,
  }));
} catch (error) {
  if (!(error instanceof Skip)) throw error;
  process.stderr.write(`rsyslog: skipped: ${error.message}\n`);
} finally {
  await cleanUp();
}
