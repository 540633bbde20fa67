/** GET /metrics: Prometheus gauges read from the same sources as /v1/status at scrape time. */
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { StatusReader } from './status-report.js';

export function createMetricsRegistry(status: StatusReader): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'mattermost_audit_elastic_' });
  const gauge = (name: string, help: string, read: (s: Awaited<ReturnType<StatusReader['counters']>>) => number, labelNames: string[] = []) =>
    new Gauge({
      name: `mattermost_audit_elastic_${name}`, help, registers: [registry], labelNames,
      async collect() { this.set(read(await status.counters())); },
    });
  gauge('queue_pending_records', 'Records accepted and not yet delivered', (s) => s.queue.pendingRecords);
  gauge('queue_waiting_jobs', 'Batches waiting for a worker', (s) => s.queue.waiting);
  gauge('queue_failed_jobs', 'Batches in the failed set', (s) => s.queue.failed);
  gauge('dead_letters', 'Records kept as dead letters', (s) => s.queue.deadLetters);
  gauge('delivered_records', 'Records delivered to the sink since the counters began', (s) => s.sink.delivered);
  gauge('enrichment_requests', 'Requests sent to Mattermost to name ids', (s) => s.enrichment.requests);
  gauge('enrichment_failures', 'Requests to Mattermost that failed (refused token, down, slow, 5xx)', (s) => s.enrichment.failures);
  gauge('enrichment_documents_without_names', 'Documents sent on with ids unnamed because Mattermost could not answer in time', (s) => s.enrichment.documentsWithoutNames);
  new Gauge({
    name: 'mattermost_audit_elastic_input_records', help: 'Records read per input', labelNames: ['input'], registers: [registry],
    async collect() {
      for (const [input, activity] of Object.entries((await status.counters()).inputs)) this.set({ input }, activity.records);
    },
  });
  return registry;
}
