/**
 * The start-up lines that say what a process runs with: its sink (a URL without credentials) and
 * data stream, and where each came from; and a warning for each environment value that a value
 * pushed at runtime overrides, since that one wins after every restart until it is handed back.
 */
import type { EffectiveConfig } from './config/runtime-store.js';
import { SECRET_SETTINGS, type Settings } from './config/schema.js';
import type { Logger } from './logger.js';
import { urlWithoutCredentials } from './url-credentials.js';
import { dataStreamName } from './sinks/index-template.js';

export interface EffectiveConfigLog {
  config: EffectiveConfig;
  /** The settings from the environment alone (and defaults). */
  environment: Settings;
  fromEnvironment: ReadonlySet<string> | undefined;
  fileSinkPath: string;
  /** False for a ROLE=api process: the workers write to the sink, so it names none. */
  writesToSink: boolean;
}

export function logEffectiveConfig(logger: Logger, { config, environment, fromEnvironment, fileSinkPath, writesToSink }: EffectiveConfigLog): void {
  const { settings, origins } = config;
  if (writesToSink) {
    const url = settings.ELASTICSEARCH_URL;
    const sink = url ? { kind: 'elasticsearch', target: urlWithoutCredentials(url) } : { kind: 'file', target: fileSinkPath };
    const sinkFrom = url ? `ELASTICSEARCH_URL from ${origins.ELASTICSEARCH_URL}` : 'no ELASTICSEARCH_URL';
    const dataStream = dataStreamName(settings.DATA_STREAM_NAMESPACE);
    logger.info({
      'config.version': config.version,
      'config.origins': Object.fromEntries(Object.entries(origins).filter(([, origin]) => origin !== 'default')),
      'sink.kind': sink.kind,
      'sink.target': sink.target,
      'data_stream.namespace': settings.DATA_STREAM_NAMESPACE,
    }, `sink: ${sink.kind} ${sink.target} (${sinkFrom}); data stream ${dataStream} (DATA_STREAM_NAMESPACE from ${origins.DATA_STREAM_NAMESPACE})`);
  }

  for (const [name, origin] of Object.entries(origins)) {
    if (origin !== 'runtime' || !fromEnvironment?.has(name)) continue;
    const key = name as keyof Settings;
    const values = (SECRET_SETTINGS as readonly string[]).includes(name) ? '' : ` (${shown(name, settings[key])} over ${shown(name, environment[key])})`;
    logger.warn({ 'config.setting': name }, `${name}: the value pushed at runtime overrides the environment's${values}; PUT /v1/config {"${name}": null} hands it back`);
  }
}

function shown(name: string, value: unknown): string {
  return name.endsWith('_URL') && typeof value === 'string' ? urlWithoutCredentials(value) : JSON.stringify(value);
}
