/** The sink the current settings ask for, rebuilt when a pushed config changes them. */
import type { EffectiveConfig, RuntimeConfigStore } from '../config/runtime-store.js';
import type { Settings } from '../config/schema.js';
import { ElasticsearchSink } from './elasticsearch.js';
import { FileSink } from './file.js';
import type { Sink } from './types.js';

export function createSink(settings: Settings, fileSinkPath: string): Sink {
  return elasticsearchSinkFor(settings)
    ?? new FileSink({ path: fileSinkPath, format: settings.FILE_SINK_FORMAT, maxBytes: settings.FILE_SINK_MAX_BYTES, maxFiles: settings.FILE_SINK_MAX_FILES });
}

/** The Elasticsearch sink the settings describe; undefined without ELASTICSEARCH_URL. */
export function elasticsearchSinkFor(settings: Settings): ElasticsearchSink | undefined {
  if (!settings.ELASTICSEARCH_URL) return undefined;
  return new ElasticsearchSink({
    url: settings.ELASTICSEARCH_URL,
    apiKey: settings.ELASTICSEARCH_API_KEY,
    username: settings.ELASTICSEARCH_USERNAME,
    password: settings.ELASTICSEARCH_PASSWORD,
    ca: settings.ELASTICSEARCH_CA,
    caFingerprint: settings.ELASTICSEARCH_CA_FINGERPRINT,
    pipeline: settings.ELASTICSEARCH_PIPELINE,
  });
}

// Requests of an old sink finish within the client's request timeout; close it after that.
const RETIRE_AFTER_MS = 35_000;

export class SinkProvider {
  private active: { version: number; sink: Sink } | undefined;
  private readonly retiring = new Set<Sink>();

  constructor(private readonly store: RuntimeConfigStore, private readonly fileSinkPath: string) {}

  async current(): Promise<{ sink: Sink; config: EffectiveConfig }> {
    const config = await this.store.effective();
    if (!this.active || this.active.version !== config.version) {
      const previous = this.active?.sink;
      this.active = { version: config.version, sink: createSink(config.settings, this.fileSinkPath) };
      if (previous) this.retire(previous);
    }
    return { sink: this.active.sink, config };
  }

  private retire(sink: Sink): void {
    this.retiring.add(sink);
    setTimeout(() => {
      this.retiring.delete(sink);
      void sink.close();
    }, RETIRE_AFTER_MS).unref();
  }

  async close(): Promise<void> {
    const sinks = [...this.retiring, ...(this.active ? [this.active.sink] : [])];
    this.retiring.clear();
    this.active = undefined;
    await Promise.all(sinks.map((sink) => sink.close()));
  }
}
