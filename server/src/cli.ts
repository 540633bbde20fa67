/** mattermost-audit-elastic: the forwarder's command line. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { runTransform, transformSettings } from './commands/transform.js';
import { ConfigError } from './config/load.js';
import { VERSION } from './package-info.js';
import { deadLetterLimit } from './queue/dead-letters.js';
import { StartupError } from './startup-failure.js';

const NAME = 'mattermost-audit-elastic';

const program = new Command(NAME)
  .description('Forward Mattermost audit records to Elasticsearch as ECS documents (Elastic Mattermost integration compatible)')
  .version(VERSION)
  // Commander's own refusals (unknown option, bad number) as one line like ours.
  .configureOutput({ outputError: (text, write) => write(`${NAME}: ${text.replace(/^error: /, '')}`) });

program
  .command('transform')
  .description('Turn audit records (NDJSON: legacy, modern or REST format, mixed) into ECS documents on stdout, one per input line')
  .argument('[file]', 'input file; stdin when absent')
  .option('--keep-original', 'keep each record as event.original (tag preserve_original_event); KEEP_ORIGINAL')
  .option('--namespace <namespace>', 'data stream namespace; DATA_STREAM_NAMESPACE, "default" when neither is set')
  .addOption(new Option('--geoip-city-db <path>', 'MaxMind City .mmdb for source.geo; GEOIP_CITY_DB'))
  .addOption(new Option('--geoip-asn-db <path>', 'MaxMind ASN .mmdb for source.as; GEOIP_ASN_DB'))
  .option('--max-record-depth <levels>', 'records nesting deeper become pipeline_error documents; MAX_RECORD_DEPTH, 64 when neither is set')
  .action(async (file: string | undefined, options) => {
    process.exitCode = await runTransform(file, transformSettings(options));
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

function limitOption(value: string): number {
  const parsed = deadLetterLimit.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(parsed.error.issues[0]?.message ?? 'expected a number');
  return parsed.data;
}

const deadLetters = program.command('dead-letters').description('Records Elasticsearch refused for good (kept in Redis)');
deadLetters
  .command('list')
  .description('List dead letters with the reason each was refused')
  .option('--limit <n>', 'how many to show, 1 to 1000', limitOption, 20)
  .option('--json', 'print them as one JSON array ([] when there are none)', false)
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
  // A command that cannot start says why in one line and exits, even with connections or
  // timers still open (a half-started forwarder would otherwise keep running).
  process.stderr.write(`${NAME}: ${failureLine(error)}\n`);
  process.exit(error instanceof ConfigError ? 2 : 1);
}

function failureLine(error: unknown): string {
  if (error instanceof ConfigError) return `configuration error: ${error.message}`;
  if (error instanceof StartupError) return error.message;
  // Not a failure we foresaw: a bug. Its stack is for whoever debugs it, on request.
  if (/^(debug|trace)$/.test(process.env.LOG_LEVEL ?? '')) return (error as Error).stack ?? String(error);
  return `${error instanceof Error ? error.message : String(error)} (unexpected: LOG_LEVEL=debug shows where)`;
}
