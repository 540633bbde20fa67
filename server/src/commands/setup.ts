/** `setup`: puts the index template and creates the data stream, then says what it did. */
import { ConfigError, loadSettings } from '../config/load.js';
import { dataStreamName } from '../sinks/index-template.js';
import { elasticsearchSinkFor } from '../sinks/sink-provider.js';
import { SinkUnavailableError } from '../sinks/types.js';

export async function runSetup(): Promise<number> {
  const settings = loadSettings();
  const sink = elasticsearchSinkFor(settings);
  if (!sink) throw new ConfigError('ELASTICSEARCH_URL: required by setup (without it the forwarder writes to a file)');
  try {
    const version = await sink.prepare();
    const name = dataStreamName(settings.DATA_STREAM_NAMESPACE);
    const created = await sink.ensureDataStream(name);
    process.stdout.write(`Elasticsearch ${version}: index template mattermost-audit-elastic in place; data stream ${name} ${created ? 'created' : 'already there'}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof SinkUnavailableError)) throw error;
    process.stderr.write(`mattermost-audit-elastic setup: ${error.message}\n`);
    return 1;
  } finally {
    await sink.close();
  }
}
