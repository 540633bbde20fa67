/**
 * `tail_es`: records/s of a BENCH_TAIL_LINES-line legacy audit.log backlog (300,000) through the
 * forwarder (the built bin, ROLE=all, real Redis, the file input) into a real Elasticsearch
 * 8.19.21, from the moment the backlog appears in the followed path (after a warm-up file:
 * bench/backlog.ts) until the node has indexed every line (its indexing stats, polled), then
 * counted in the data stream after a refresh.
 * With it `forwarder_cpu_us_per_record`: the forwarder process's CPU (all its threads, /proc) per
 * record over the same interval.
 * `--node oracle`: the same into the 7.10.2 node (`tail_es_oracle`, BENCH_ORACLE_LINES lines),
 * through the compatibility proxy, with GeoIP databases holding the same records as the node's,
 * so that our documents carry what Elastic's pipeline adds there: the other side of
 * elastic_pipeline_ratio.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTestGeoIpDatabases } from '../test/support/geoip-fixtures.js';
import { ForwarderProcess } from '../test/support/forwarder-process.js';
import { RedisServer } from '../test/support/redis-server.js';
import { forwarderTuning } from './forwarder-tuning.js';
import { cpuSeconds, cpuSecondsByThread, ownCpuSeconds, rssMb, threadCpuDelta } from './process-usage.js';
import { countSettled, prepareBacklog, waitUntilIndexed } from './backlog.js';
import { startBenchNode, type NodeKind } from './real-es.js';

const kind: NodeKind = process.argv.includes('--node') && process.argv[process.argv.indexOf('--node') + 1] === 'oracle' ? 'oracle' : 'current';
const LINES = Number((kind === 'oracle' ? process.env.BENCH_ORACLE_LINES : process.env.BENCH_TAIL_LINES) || (kind === 'oracle' ? 100_000 : 300_000));
const TIMEOUT_MS = 600_000;
const DATA_STREAM = 'logs-mattermost.audit-default';

const dir = await mkdtemp(join(tmpdir(), 'mae-bench-tail-es-'));
const [node, redis] = await Promise.all([startBenchNode(kind), RedisServer.start()]);
let forwarder: ForwarderProcess | undefined;
// Interrupted, the forwarder harness exits at once (child-reaper.ts): what it started, the nodes
// and Redis are killed on exit (their harnesses, bench/real-es.ts), the folder with make bench's TMPDIR.
try {
  const backlog = await prepareBacklog(dir, LINES);
  const geo = kind === 'oracle' ? await mkdir(join(dir, 'geoip')).then(() => writeTestGeoIpDatabases(join(dir, 'geoip'))) : undefined;
  forwarder = await ForwarderProcess.start({
    ...forwarderTuning(), REDIS_URL: redis.url, ELASTICSEARCH_URL: node.forwarderUrl, DATA_DIR: join(dir, 'out'),
    AUDIT_LOG_PATHS: backlog.followed, LOG_LEVEL: 'warn', ...(geo ? { GEOIP_CITY_DB: geo.cityDb, GEOIP_ASN_DB: geo.asnDb } : {}),
  }, join(dir, 'forwarder.log'), { built: true });

  backlog.beginWarmUp();
  await waitUntilIndexed(() => node.indexed(DATA_STREAM), backlog.warmupLines, TIMEOUT_MS, 'warm-up');
  const total = backlog.warmupLines + LINES;
  const threadsAtStart = cpuSecondsByThread(forwarder.pid);
  const cpuAtStart = { forwarder: cpuSeconds(forwarder.pid), elasticsearch: node.cpuSeconds(), redis: cpuSeconds(redis.pid), bench: ownCpuSeconds() };
  const started = performance.now();
  backlog.rotateIn();
  let peakRss = 0;
  const pid = forwarder.pid;
  await waitUntilIndexed(() => node.indexed(DATA_STREAM), total, TIMEOUT_MS, 'the backlog', () => {
    peakRss = Math.max(peakRss, rssMb(pid));
  });
  const seconds = (performance.now() - started) / 1000;
  const forwarderThreads = threadCpuDelta(threadsAtStart, cpuSecondsByThread(forwarder.pid));
  const cpu = {
    forwarder: cpuSeconds(forwarder.pid) - cpuAtStart.forwarder, elasticsearch: node.cpuSeconds() - cpuAtStart.elasticsearch,
    redis: cpuSeconds(redis.pid) - cpuAtStart.redis, bench: ownCpuSeconds() - cpuAtStart.bench,
  };
  const counted = await countSettled(node, DATA_STREAM, total);
  if (counted !== total) throw new Error(`expected ${total} documents in ${DATA_STREAM} (${backlog.warmupLines} of them the warm-up), counted ${counted}`);
  const bulk = node.forwarderBulkStats?.();
  const name = kind === 'oracle' ? 'tail_es_oracle' : 'tail_es';
  const round = (n: number) => Number(n.toFixed(2));
  console.log(JSON.stringify({
    bench: name, value: Math.round(LINES / seconds), unit: 'records/s', lines: LINES, warmup_lines: backlog.warmupLines, counted, mb: Math.round(backlog.bytes / 1e6),
    seconds: Number(seconds.toFixed(3)), forwarder_peak_rss_mb: Math.round(peakRss),
    forwarder_cpu_seconds: round(cpu.forwarder), elasticsearch_cpu_seconds: round(cpu.elasticsearch), redis_cpu_seconds: round(cpu.redis),
    ...(kind === 'oracle' ? { proxy_and_bench_cpu_seconds: round(cpu.bench), geoip: 'the same test databases as the node' } : { bench_cpu_seconds: round(cpu.bench) }),
    ...(bulk ? { bulk_requests: bulk.requests, docs_per_bulk: Math.round(total / bulk.requests), peak_bulk_in_flight: bulk.peakInFlight } : {}),
    ...node.details,
  }));
  if (kind === 'current') {
    console.log(JSON.stringify({
      bench: 'forwarder_cpu_us_per_record', value: round((cpu.forwarder / LINES) * 1e6), unit: 'us/record', lines: LINES,
      forwarder_cpu_seconds: round(cpu.forwarder), forwarder_thread_cpu_seconds: forwarderThreads, during: 'tail_es', what: 'user + system CPU of the forwarder process, all threads (/proc/<pid>/stat)',
    }));
  }
} finally {
  await forwarder?.stop();
  await Promise.all([node.stop(), redis.stop()]);
  await rm(dir, { recursive: true, force: true });
}
