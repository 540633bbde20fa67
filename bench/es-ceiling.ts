/**
 * `es_ceiling`: the 8.19.21 node alone taking our documents, the physical limit for them here.
 * The documents are made beforehand by the forwarder's own path (toDocumentBatch: toEcs, the
 * stable id, the bulk body bytes) from the same legacy lines as tail_es (BENCH_TAIL_LINES,
 * 300,000), in batches of the forwarder's default BATCH_SIZE (1000), into the data stream under
 * our template as the forwarder fits and puts it; then one serial client posts them, body after
 * body, timed from the first request to the last answer, and the data stream is counted.
 * A single shard takes one bulk request on one write thread: the serial client keeps one core of
 * the node busy, where the forwarder's concurrent requests can use more. BENCH_ES_CEILING_CLIENTS
 * (1) posts with that many clients side by side instead, to see the node's limit on all cores. A
 * warm-up of BENCH_WARMUP_LINES documents into another namespace comes first (bench/backlog.ts
 * says why). Prints {"bench":"es_ceiling","value":N,"unit":"records/s",...}.
 */
import { ElasticsearchSink } from '../server/src/sinks/elasticsearch.js';
import { toDocumentBatch } from '../server/src/queue/to-document-batch.js';
import { countSettled, WARMUP_LINES } from './backlog.js';
import { ownCpuSeconds } from './process-usage.js';
import { cleanUpOnSignal, startBenchNode, type BenchNode } from './real-es.js';
import { legacyLines } from './record-mix.js';

const LINES = Number(process.env.BENCH_TAIL_LINES || 300_000);
const BATCH = 1000;
const CLIENTS = Number(process.env.BENCH_ES_CEILING_CLIENTS || 1);

/** The bulk bodies of `count` legacy lines, as the forwarder's file input would make them. */
function bodies(count: number, namespace: string): Buffer[] {
  const lines = legacyLines(count);
  const now = new Date().toISOString();
  const source = { input: 'file' as const, identity: `bench-ceiling-${namespace}`, path: '/var/log/mattermost/audit.log', host: 'bench' };
  const out: Buffer[] = [];
  let offset = 0;
  for (let from = 0; from < count; from += BATCH) {
    const records = lines.slice(from, from + BATCH).map((text) => {
      const record = { text, offset };
      offset += Buffer.byteLength(text) + 1;
      return record;
    });
    const batch = toDocumentBatch({ records, source, receivedAt: now }, { namespace, receivedAt: now, ingestedAt: now });
    out.push(Buffer.from(batch.bytes.buffer, batch.bytes.byteOffset, batch.bytes.byteLength));
  }
  return out;
}

/** Posts the bodies, each client one after another; every item must be created. */
async function post(node: BenchNode, all: readonly Buffer[]): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: CLIENTS }, () => postSerially(node, () => all[next++])));
}

async function postSerially(node: BenchNode, take: () => Buffer | undefined): Promise<void> {
  for (let body = take(); body; body = take()) {
    const response = await fetch(`${node.url}/_bulk?pipeline=_none&filter_path=errors,items.*.error.type,items.*.error.reason`, {
      method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: body as unknown as BodyInit,
    });
    const answer = (await response.json()) as { errors?: boolean; items?: unknown[] };
    if (!response.ok || answer.errors) throw new Error(`bulk answered ${response.status}: ${JSON.stringify(answer).slice(0, 500)}`);
  }
}

const node = await startBenchNode('current');
cleanUpOnSignal(() => node.stop());
try {
  const sink = new ElasticsearchSink({ url: node.url });
  await sink.prepare();
  await sink.close();
  const warmup = bodies(WARMUP_LINES, 'warmup');
  const measured = bodies(LINES, 'default');
  const mb = measured.reduce((sum, b) => sum + b.length, 0) / 1e6;
  await post(node, warmup);
  const cpuAtStart = { elasticsearch: node.cpuSeconds(), client: ownCpuSeconds() };
  const started = performance.now();
  await post(node, measured);
  const seconds = (performance.now() - started) / 1000;
  const cpu = { elasticsearch: node.cpuSeconds() - cpuAtStart.elasticsearch, client: ownCpuSeconds() - cpuAtStart.client };
  const counted = await countSettled(node, 'logs-mattermost.audit-default', LINES);
  if (counted !== LINES) throw new Error(`expected ${LINES} documents, counted ${counted}`);
  console.log(JSON.stringify({
    bench: 'es_ceiling', value: Math.round(LINES / seconds), unit: 'records/s', lines: LINES, warmup_lines: WARMUP_LINES, counted,
    docs_per_bulk: BATCH, clients: CLIENTS, client: `${CLIENTS === 1 ? 'serial' : `${CLIENTS} side by side`}, prepared bodies (toDocumentBatch)`, bulk_mb: Math.round(mb), seconds: Number(seconds.toFixed(3)),
    elasticsearch_cpu_seconds: Number(cpu.elasticsearch.toFixed(2)), client_cpu_seconds: Number(cpu.client.toFixed(2)),
    elasticsearch_cpu_us_per_record: Number(((cpu.elasticsearch / LINES) * 1e6).toFixed(1)),
    ...node.details,
  }));
} finally {
  await node.stop();
}
