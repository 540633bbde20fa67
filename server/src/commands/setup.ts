/** `setup`: puts the index template and creates the data stream, then says what it did. */
import { ConfigError, loadSettings } from '../config/load.js';
import { dataStreamName, TEMPLATE_NAME } from '../sinks/index-template.js';
import { elasticsearchSinkFor } from '../sinks/sink-provider.js';
import { describeLeftOut } from '../sinks/template-fit.js';
import { SinkUnavailableError } from '../sinks/types.js';

export async function runSetup(): Promise<number> {
  const settings = loadSettings();
  const sink = elasticsearchSinkFor(settings);
  if (!sink) throw new ConfigError('ELASTICSEARCH_URL: required by setup (without it the forwarder writes to a file)');
  try {
    const { version, leftOut, notes } = await sink.prepare();
    const name = dataStreamName(settings.DATA_STREAM_NAMESPACE);
    const dataStream = await sink.ensureDataStream(name);
    const how = dataStream === 'created by a first write' ? 'created (by a first write that stored nothing: this cluster has no data stream API)' : dataStream;
    process.stdout.write(`Elasticsearch ${version}: index template ${TEMPLATE_NAME} in place; data stream ${name} ${how}\n`);
    if (leftOut.length > 0) process.stdout.write(`this cluster lacks mapper types the template uses: ${describeLeftOut(leftOut)}\n`);
    for (const note of notes) process.stdout.write(`note: ${note}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof SinkUnavailableError)) throw error;
    process.stderr.write(`mattermost-audit-elastic setup: ${error.message}\n`);
    return 1;
  } finally {
    await sink.close();
  }
}
