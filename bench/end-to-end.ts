/**
 * Records/s sustained from HTTP POST (several concurrent clients, 1000-record batches) through
 * Redis and the worker into the Elasticsearch emulator, counted in the emulator; and the peak RSS
 * of the forwarder meanwhile. Starts and stops everything it needs.
 * Prints {"bench":"end_to_end",...} and {"bench":"memory",...}.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startEsEmulator } from '../test/es-emulator/index.js';
import { ForwarderProcess } from '../test/support/forwarder-process.js';
import { RedisServer } from '../test/support/redis-server.js';
import { forwarderTuning } from './forwarder-tuning.js';
import { rssMb } from './process-usage.js';
import { recordMix } from './record-mix.js';

const TOTAL = Number(process.env.BENCH_E2E_RECORDS ?? 200_000);
const BATCH = 1000;
const CLIENTS = Number(process.env.BENCH_E2E_CLIENTS ?? 4);
const WORKERS = Number(process.env.BENCH_E2E_WORKER_PROCESSES ?? 0);

const redis = await RedisServer.start();
const es = await startEsEmulator();
const dir = await mkdtemp(join(tmpdir(), 'mae-bench-'));
const env: Record<string, string> = { REDIS_URL: redis.url, ELASTICSEARCH_URL: es.url, DATA_DIR: dir, LOG_LEVEL: 'warn', BATCH_SIZE: String(BATCH), ...forwarderTuning() };
const processes: ForwarderProcess[] = [];
try {
  processes.push(await ForwarderProcess.start(WORKERS > 0 ? { ...env, ROLE: 'api' } : env, join(dir, 'api.log')));
  for (let i = 0; i < WORKERS; i++) processes.push(await ForwarderProcess.start({ ...env, ROLE: 'worker' }, join(dir, `worker-${i}.log`)));
  const api = processes[0]!;
  // Distinct records: a repeated line would share its _id with its twin and be counted once.
  const bodies: string[] = [];
  const mix = recordMix(TOTAL);
  for (let i = 0; i < TOTAL; i += BATCH) bodies.push(mix.slice(i, i + BATCH).join('\n'));

  let peakRss = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, processes.reduce((sum, p) => sum + rssMb(p.pid), 0));
  }, 100);
  const started = Date.now();
  let next = 0;
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      for (;;) {
        const response = await api.post(body);
        await response.arrayBuffer();
        if (response.status === 202) break;
        if (response.status !== 503) throw new Error(`POST answered ${response.status}`);
        await sleep(200);
      }
    }
  }));
  const posted = Date.now();
  while (es.count('logs-mattermost.audit-*') < TOTAL) {
    if (Date.now() - started > 600_000) throw new Error(`only ${es.count('logs-mattermost.audit-*')} of ${TOTAL} indexed after 10 minutes`);
    await sleep(20);
  }
  const seconds = (Date.now() - started) / 1000;
  clearInterval(sampler);
  const stats = es.stats();
  const indexed = es.count('logs-mattermost.audit-*');
  console.log(JSON.stringify({
    bench: 'end_to_end', value: Math.round(TOTAL / seconds), unit: 'records/s', records: TOTAL, indexed,
    duplicates_refused: stats.conflicts, clients: CLIENTS, worker_processes: WORKERS || 1, post_seconds: (posted - started) / 1000, seconds,
  }));
  console.log(JSON.stringify({ bench: 'memory', value: Math.round(peakRss), unit: 'MB', processes: processes.length, during: 'end_to_end' }));
  if (indexed !== TOTAL) process.exitCode = 1;
} finally {
  for (const p of processes) await p.stop();
  await es.close();
  await redis.stop();
}
