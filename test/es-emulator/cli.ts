/**
 * Runs the emulator standalone, for benchmarks with other producers (rsyslog's omelasticsearch…):
 *   node --import tsx test/es-emulator/cli.ts --port 9200 [--version 9.1.0] [--api-key KEY]
 *     [--username U --password P] [--delay-ms N] [--reject-share 0.1]
 * Prints one JSON line with the URL, then the stats every --stats-every seconds (0: never) and on exit.
 */
import { parseArgs } from 'node:util';
import { startEsEmulator } from './index.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '9200' },
    version: { type: 'string', default: '8.15.0' },
    'api-key': { type: 'string' },
    username: { type: 'string' },
    password: { type: 'string' },
    'delay-ms': { type: 'string' },
    'reject-share': { type: 'string' },
    'stats-every': { type: 'string', default: '0' },
  },
});

const es = await startEsEmulator({
  port: Number(values.port),
  version: values.version,
  auth: values['api-key'] || values.username ? { apiKey: values['api-key'], username: values.username, password: values.password } : undefined,
});
es.setFault({
  delayMs: values['delay-ms'] ? Number(values['delay-ms']) : undefined,
  itemRejectShare: values['reject-share'] ? Number(values['reject-share']) : undefined,
});
console.log(JSON.stringify({ es_emulator: es.url, version: values.version }));

const printStats = (): void => console.log(JSON.stringify({ stats: es.stats(), documents: es.count(), dataStreams: es.dataStreams() }));
const every = Number(values['stats-every']);
const timer = every > 0 ? setInterval(printStats, every * 1000) : undefined;

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (timer) clearInterval(timer);
    printStats();
    void es.close().then(() => process.exit(0));
  });
}
