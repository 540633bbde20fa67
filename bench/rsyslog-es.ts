/**
 * rsyslog (Debian's 8.2302: imfile → omelasticsearch, bulk mode) into a real Elasticsearch, from
 * the moment the backlog appears in the followed path (after a warm-up file, bench/backlog.ts)
 * until the node has indexed every line; counted in the node after a refresh.
 * - `rsyslog_es` (default): its bare JSON parsing (mmjsonparse, as bench/rsyslog.ts does into the
 *   emulator) into the 8.19.21 node, a plain index with dynamic mapping: no ECS mapping at all.
 * - `elastic_pipeline` (`--pipeline`): Elastic's own way. Each line raw as {"message": line} with
 *   `pipeline=` Elastic's Mattermost audit ingest pipeline (the shared fixture, adapted to 7.10.2
 *   by test/support/oracle-pipeline.ts), into the 7.10.2 node: the only one here with ingest
 *   processors. Into `logs-mattermost.audit-default` under our own template as the forwarder puts
 *   it there (a plain index: 7.10.2 without x-pack has no data streams), so both ways end in the
 *   same mappings; BENCH_ORACLE_LINES lines (100,000).
 * The same batch size and concurrency as the forwarder's file input: bulk requests of up to 1000
 * documents (BATCH_SIZE), up to 12 at once (its 4 reads of 1 MiB in flight, each cut into batches
 * of 1000: tail_es_oracle's peak_bulk_in_flight): rsyslog's batch and worker threads (one
 * connection each), BENCH_RSYSLOG_ES_BATCH and BENCH_RSYSLOG_ES_WORKERS.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ElasticsearchSink } from '../server/src/sinks/elasticsearch.js';
import { installElasticPipeline } from '../test/support/oracle-pipeline.js';
import { countSettled, prepareBacklog } from './backlog.js';
import { ownCpuSeconds } from './process-usage.js';
import { cleanUpOnSignal, startBenchNode } from './real-es.js';
import { ensureRsyslog } from './rsyslog/install.js';
import { shipWithRsyslog, Skip } from './rsyslog/ship.js';
import type { Rsyslogd } from './rsyslog/daemon.js';

const viaPipeline = process.argv.includes('--pipeline');
const name = viaPipeline ? 'elastic_pipeline' : 'rsyslog_es';
const LINES = Number((viaPipeline ? process.env.BENCH_ORACLE_LINES : process.env.BENCH_RSYSLOG_LINES) || (viaPipeline ? 100_000 : 300_000));
const BATCH = Number(process.env.BENCH_RSYSLOG_ES_BATCH || 1000);
const WORKERS = Number(process.env.BENCH_RSYSLOG_ES_WORKERS || 12);
const INDEX = viaPipeline ? 'logs-mattermost.audit-default' : 'rsyslog-bench';
const PIPELINE = 'logs-mattermost.audit-elastic';
const TIMEOUT_MS = 600_000;

const found = ensureRsyslog();
if ('skip' in found) {
  process.stderr.write(`${name}: skipped: ${found.skip}\n`);
  process.exit(0);
}

const dir = await mkdtemp(join(tmpdir(), `mae-bench-${name}-`));
const node = await startBenchNode(viaPipeline ? 'oracle' : 'current');
let daemon: Rsyslogd | undefined;
const cleanUp = async () => {
  await daemon?.stop();
  await node.stop();
  await rm(dir, { recursive: true, force: true });
};
cleanUpOnSignal(cleanUp);

try {
  let adaptations: string[] = [];
  if (viaPipeline) {
    // Our template, as the forwarder fits and puts it (through the proxy that drops data_stream).
    const sink = new ElasticsearchSink({ url: node.forwarderUrl });
    await sink.prepare();
    await sink.close();
    adaptations = (await installElasticPipeline(node.oracle!, PIPELINE)).adaptations;
  }
  const backlog = await prepareBacklog(dir, LINES);
  const cpu = { elasticsearch: 0, bench: 0 };
  const run = await shipWithRsyslog({
    rsyslog: found, dir, config: viaPipeline ? 'pipeline.conf' : 'bench.conf', esPort: node.port, index: INDEX, batch: BATCH, workers: WORKERS,
    ...(viaPipeline ? { pipeline: PIPELINE } : {}), backlog, indexed: () => node.indexed(INDEX), timeoutMs: TIMEOUT_MS,
    atStart: () => Object.assign(cpu, { elasticsearch: -node.cpuSeconds(), bench: -ownCpuSeconds() }),
    atEnd: () => Object.assign(cpu, { elasticsearch: cpu.elasticsearch + node.cpuSeconds(), bench: cpu.bench + ownCpuSeconds() }),
  }, (started) => { daemon = started; });
  await daemon?.stop();
  const total = backlog.warmupLines + LINES;
  const counted = await countSettled(node, INDEX, total);
  if (counted !== total) throw new Error(`expected ${total} documents in ${INDEX} (${backlog.warmupLines} of them the warm-up), counted ${counted}`);
  // Every document must be what the figure claims: mapped by the pipeline, or parsed by mmjsonparse.
  const wrong = viaPipeline
    ? await node.count(INDEX, { bool: { should: [{ exists: { field: 'error.message' } }, { bool: { must_not: { exists: { field: 'event.action' } } } }] } })
    : await node.count(INDEX, { bool: { must_not: { exists: { field: 'event' } } } });
  if (wrong > 0) throw new Error(`${wrong} documents are not ${viaPipeline ? 'mapped by the pipeline (error.message, or no event.action)' : 'the parsed record'}; rsyslogd:\n${run.daemon.log()}`);
  const round = (n: number) => Number(n.toFixed(2));
  console.log(JSON.stringify({
    bench: name, value: Math.round(LINES / run.seconds), unit: 'records/s', lines: LINES, warmup_lines: backlog.warmupLines, counted,
    seconds: Number(run.seconds.toFixed(3)), mb_per_s: Number((backlog.bytes / 1e6 / run.seconds).toFixed(1)),
    rsyslogd_cpu_seconds: round(run.rsyslogdCpuSeconds), elasticsearch_cpu_seconds: round(cpu.elasticsearch), bench_cpu_seconds: round(cpu.bench),
    rsyslogd_peak_rss_mb: Math.round(run.rsyslogdPeakRssMb), rsyslog_version: found.version, batch: BATCH, workers: WORKERS,
    ...(viaPipeline
      ? { shipped: '{"message": line}, bulk index with pipeline=', pipeline: "Elastic's Mattermost audit pipeline (shared fixture)", pipeline_adaptations: adaptations, target: `plain index ${INDEX}, our template` }
      : { shipped: 'the record as mmjsonparse parsed it', target: `plain index ${INDEX}, dynamic mapping` }),
    ...node.details,
  }));
} catch (error) {
  if (!(error instanceof Skip)) throw error;
  process.stderr.write(`${name}: skipped: ${error.message}\n`);
} finally {
  await cleanUp();
}
