/** What GET /v1/status answers: inputs, queue, rates, sink and config, never a secret. */
import type { RuntimeConfigStore } from '../config/runtime-store.js';
import type { AuditQueue } from '../queue/audit-queue.js';
import type { DeadLetters } from '../queue/dead-letters.js';
import type { ReplicaAcks } from '../queue/replica-acks.js';
import type { SinkProvider } from '../sinks/sink-provider.js';
import type { SinkHealth } from '../sinks/types.js';
import { VERSION } from '../package-info.js';
import type { Activity } from './activity.js';

export interface StatusSources {
  role: string;
  highWaterMark: number;
  queue: AuditQueue;
  deadLetters: DeadLetters;
  activity: Activity;
  sinks: SinkProvider;
  config: RuntimeConfigStore;
  /** Inputs of this process: switch, state and what counters don't say (file offsets, listeners). */
  inputDetails?: () => Record<string, Record<string, unknown>>;
  /** Whether this process reads the plugin's settings from Mattermost itself, and how that goes. */
  pluginSettings?: () => Record<string, unknown>;
  /** Whether this process names ids from Mattermost, and where from (or why not). */
  enrichment: { enabled: true; target: string } | { enabled: false; reason: string };
  replicas?: ReplicaAcks;
}

const HEALTH_CACHE_MS = 2000;

export class StatusReader {
  private health: { at: number; version: number; value: Promise<SinkHealth> } | undefined;

  constructor(private readonly sources: StatusSources) {}

  async counters() {
    const [queue, deadLetters, inputs, sink, rate, enrichment] = await Promise.all([
      this.sources.queue.counts(),
      this.sources.deadLetters.count(),
      this.sources.activity.inputs(),
      this.sources.activity.sink(),
      this.sources.activity.rates(),
      this.sources.activity.enrichment(),
    ]);
    return { queue: { ...queue, deadLetters, highWaterMark: this.sources.highWaterMark }, inputs, sink, rate, enrichment };
  }

  /** The sink's reachability, checked at most every 2 s however often the panel polls. */
  async sinkHealth(): Promise<SinkHealth> {
    const { sink, config } = await this.sources.sinks.current();
    const now = Date.now();
    if (!this.health || this.health.version !== config.version || now - this.health.at > HEALTH_CACHE_MS) {
      this.health = { at: now, version: config.version, value: sink.check() };
    }
    return this.health.value;
  }

  async report(): Promise<Record<string, unknown>> {
    const [counters, health, config, replicas] = await Promise.all([
      this.counters(), this.sinkHealth(), this.sources.config.publicView(), this.sources.replicas?.required().catch(() => null) ?? null,
    ]);
    const details = this.sources.inputDetails?.() ?? {};
    const inputs: Record<string, unknown> = {};
    for (const name of new Set([...Object.keys(counters.inputs), ...Object.keys(details)])) {
      inputs[name] = { ...counters.inputs[name], ...details[name] };
    }
    return {
      service: { name: 'mattermost-audit-elastic', version: VERSION, role: this.sources.role, time: new Date().toISOString() },
      config,
      pluginSettings: this.sources.pluginSettings?.() ?? { enabled: false },
      inputs,
      queue: counters.queue,
      rate: counters.rate,
      redis: { replicasRequired: replicas },
      sink: { ...health, ...counters.sink },
      enrichment: { ...this.sources.enrichment, ...counters.enrichment },
    };
  }
}
