/**
 * `make es-fetch`: fetches and unpacks every version of ES_VERSIONS (default: the default version).
 * `make es`: one node to try things by hand: prints its URL, runs until Ctrl-C, then stops it.
 *   node --import tsx test/support/elasticsearch/cli.ts fetch
 *   node --import tsx test/support/elasticsearch/cli.ts run [--version 9.5.4] [-E name=value ...]
 */
import { parseArgs } from 'node:util';
import { ElasticsearchNode } from '../elasticsearch-node.js';
import { ElasticsearchSetupError, ensureDistribution, esVersions } from './distribution.js';
import { javaFor } from './java.js';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { version: { type: 'string' }, E: { type: 'string', short: 'E', multiple: true } },
});

try {
  if (positionals[0] === 'fetch') await fetchAll();
  else if (positionals[0] === 'run') await runOne();
  else throw new ElasticsearchSetupError('usage: cli.ts fetch | run [--version V] [-E name=value ...]');
} catch (error) {
  if (!(error instanceof ElasticsearchSetupError)) throw error;
  process.stderr.write(`elasticsearch: ${error.message}\n`);
  process.exit(1);
}

async function fetchAll(): Promise<void> {
  for (const version of esVersions()) {
    const distribution = await ensureDistribution(version);
    // The JDK is checked here too: CI fails before the tests when a version cannot run.
    const java = await javaFor(distribution);
    process.stdout.write(`Elasticsearch ${version}: ${distribution.home} (Java ${java.major}: ${java.home})\n`);
  }
}

async function runOne(): Promise<void> {
  const settings = Object.fromEntries((values.E ?? []).map((pair) => {
    const at = pair.indexOf('=');
    if (at < 1) throw new ElasticsearchSetupError(`-E ${pair}: expected name=value`);
    return [pair.slice(0, at), pair.slice(at + 1)];
  }));
  const version = values.version ?? esVersions()[0]!;
  process.stderr.write(`starting Elasticsearch ${version}...\n`);
  const node = await ElasticsearchNode.start({ version, settings });
  process.stdout.write(`Elasticsearch ${node.version} at ${node.url} (folder ${node.dir}); Ctrl-C stops it\n`);
  await new Promise<void>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
  });
  process.stderr.write('stopping...\n');
  await node.stop();
  process.stderr.write('stopped\n');
}
