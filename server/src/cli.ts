/** mattermost-audit-elastic: the forwarder's command line. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { runTransform } from './commands/transform.js';
import { ConfigError } from './config/load.js';
import { VERSION } from './package-info.js';

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError('expected a positive integer');
  return number;
}

const program = new Command('mattermost-audit-elastic')
  .description('Forward Mattermost audit records to Elasticsearch as ECS documents (Elastic Mattermost integration compatible)')
  .version(VERSION);

program
  .command('transform')
  .description('Turn audit records (NDJSON: legacy, modern or REST format, mixed) into ECS documents on stdout, one per input line')
  .argument('[file]', 'input file; stdin when absent')
  .option('--keep-original', 'keep each record as event.original (tag preserve_original_event)', false)
  .option('--namespace <namespace>', 'data stream namespace', 'default')
  .addOption(new Option('--geoip-city-db <path>', 'MaxMind City .mmdb for source.geo').env('GEOIP_CITY_DB'))
  .addOption(new Option('--geoip-asn-db <path>', 'MaxMind ASN .mmdb for source.as').env('GEOIP_ASN_DB'))
  .addOption(new Option('--max-record-depth <levels>', 'records nesting deeper become pipeline_error documents').env('MAX_RECORD_DEPTH').argParser(positiveInteger))
  .action(async (file: string | undefined, options) => {
    process.exitCode = await runTransform(file, options);
  });

program
  .command('serve')
  .description('Run the forwarder (settings from the environment; see README)')
  .action(async () => {
    const { runServe } = await import('./commands/serve.js');
    await runServe();
  });

program
  .command('setup')
  .description('Put the index template for logs-mattermost.audit-* and create the data stream in Elasticsearch')
  .action(async () => {
    const { runSetup } = await import('./commands/setup.js');
    process.exitCode = await runSetup();
  });

const deadLetters = program.command('dead-letters').description('Records Elasticsearch refused for good (kept in Redis)');
deadLetters
  .command('list')
  .description('List dead letters with the reason each was refused')
  .option('--limit <n>', 'how many to show', '20')
  .option('--json', 'one JSON object per line', false)
  .action(async (options) => {
    const { listDeadLetters } = await import('./commands/dead-letters.js');
    await listDeadLetters(options);
  });
deadLetters
  .command('replay')
  .description('Queue every dead letter again (after fixing what refused it)')
  .action(async () => {
    const { replayDeadLetters } = await import('./commands/dead-letters.js');
    await replayDeadLetters();
  });

try {
  await program.parseAsync();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`mattermost-audit-elastic: configuration error: ${error.message}\n`);
  process.exitCode = 2;
}
