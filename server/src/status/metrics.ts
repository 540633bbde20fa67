/**
 * GET /metrics: read from the same Redis counters as /v1/status at scrape time, named as
 * Prometheus wants: what only grows is a counter ending in `_total` (records in, delivered), what
 * goes up and down a gauge (queue, dead letters). The counters add up every process on the Redis.
 */
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { StatusReader } from './status-report.js';

const PREFIX = 'mattermost_audit_elastic_';
/** One read of the counters serves every metric of a scrape. */
const SCRAPE_READ_MS = 1000;

type Counters = Awaited<ReturnType<StatusReader['counters']>>;

export function createMetricsRegistry(status: StatusReader): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: PREFIX });
  let last: { at: number; value: Promise<Counters> } | undefined;
  const counters = (): Promise<Counters> => {
    if (!last || Date.now() - last.at > SCRAPE_READ_MS) last = { at: Date.now(), value: status.counters() };
    return last.value;
  };

  const gauge = (name: string, help: string, read: (c: Counters) => number) => new Gauge({
    name: `${PREFIX}${name}`, help, registers: [registry],
    async collect() { this.set(read(await counters())); },
  });
  gauge('queue_pending_records', 'Records accepted and not yet delivered', (c) => c.queue.pendingRecords);
  gauge('queue_waiting_jobs', 'Batches waiting for a worker', (c) => c.queue.waiting);
  gauge('queue_active_jobs', 'Batches a worker is delivering now', (c) => c.queue.active);
  gauge('queue_delayed_jobs', 'Batches waiting to be retried', (c) => c.queue.delayed);
  gauge('queue_failed_jobs', 'Batches in the failed set', (c) => c.queue.failed);
  gauge('dead_letters', 'Records kept as dead letters (down again once replayed)', (c) => c.queue.deadLetters);

  // Counters whose totals live in Redis: each scrape sets the total it reads.
  const total = (name: string, help: string, read: (c: Counters) => number) => new Counter({
    name: `${PREFIX}${name}`, help, registers: [registry],
    async collect() {
      const value = read(await counters());
      this.reset();
      this.inc(value);
    },
  });
  total('delivered_records_total', 'Records delivered to the sink (stored or already there)', (c) => c.sink.delivered);
  total('enrichment_requests_total', 'Requests sent to Mattermost to name ids', (c) => c.enrichment.requests);
  total('enrichment_failures_total', 'Requests to Mattermost that failed (refused token, down, slow, 5xx)', (c) => c.enrichment.failures);
  total('enrichment_documents_without_names_total', 'Documents sent on with ids unnamed because Mattermost could not answer in time', (c) => c.enrichment.documentsWithoutNames);
  const perInput = (name: string, help: string, read: (activity: Counters['inputs'][string]) => number) => new Counter({
    name: `${PREFIX}${name}`, help, labelNames: ['input'], registers: [registry],
    async collect() {
      const inputs = (await counters()).inputs;
      this.reset();
      for (const [input, activity] of Object.entries(inputs)) this.inc({ input }, read(activity));
    },
  });
  perInput('input_records_total', 'Records taken in, per input', (activity) => activity.records);
  perInput('input_bytes_total', 'Bytes of records taken in, per input', (activity) => activity.bytes);
  return registry;
}
