/** `setup`: puts the index template and creates the data stream, then says what it did. */
import { ConfigError, loadSettings } from '../config/load.js';
import { dataStreamName } from '../sinks/index-template.js';
import { createSink } from '../sinks/sink-provider.js';
import { ElasticsearchSink } from '../sinks/elasticsearch.js';
import { SinkUnavailableError } from '../sinks/types.js';

export async function runSetup(): Promise<number> {
  const settings = loadSettings();
  if (!settings.ELASTICSEARCH_URL) throw new ConfigError('ELASTICSEARCH_URL: required by setup (without it the forwarder writes to a file)');
  const sink = createSink(settings, '');
  if (!(sink instanceof ElasticsearchSink)) throw new ConfigError('ELASTICSEARCH_URL: required by setup');
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
