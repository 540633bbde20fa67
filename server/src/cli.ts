/** mattermost-audit-elastic: the forwarder's command line. */
import { Command, Option } from 'commander';
import { runTransform } from './commands/transform.js';
import { VERSION } from './version.js';

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

await program.parseAsync();
