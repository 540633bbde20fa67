/**
 * `make parity`: our transform against Elastic's own pipeline and processors in a real
 * Elasticsearch, with figures. PARITY_LINES generated legacy lines (default 20,000) on PARITY_SEED
 * (default 20211204), uap-core's test strings and Mattermost's clients through the user_agent
 * processor, our GeoIP test addresses through the geoip processors. The oracle is our
 * Elasticsearch 7.10.2 with Elastic's ingest modules, or ORACLE_ELASTICSEARCH_URL (any
 * Elasticsearch with the ingest modules; credentials may be in the URL). Such a node reads its own
 * GeoIP databases, so source.geo, source.as and tags are not compared there unless
 * ORACLE_GEOIP=ours says that our test databases (test/support/geoip-fixtures.ts, as GeoLite2-City,
 * -ASN and -Country) are in its config/ingest-geoip folder. Exits 1 on any difference.
 */
import { geoIpAgreement } from '../test/support/geoip-agreement.js';
import { GEOIP_TEST_ADDRESSES } from '../test/support/geoip-fixtures.js';
import { runDifferential } from '../test/support/legacy-differential.js';
import { generateLegacyLines } from '../test/support/legacy-line-generator.js';
import { startOracle } from '../test/support/oracle-node.js';
import { describeDifference } from '../test/support/parity.js';
import { uapCoreTestStrings, UA_FIELDS, userAgentAgreement, type UserAgentAgreement } from '../test/support/user-agent-agreement.js';
import { MATTERMOST_CLIENT_AGENTS } from '../test/support/user-agent-samples.js';

const lines = Number(process.env.PARITY_LINES ?? 20_000);
const seed = Number(process.env.PARITY_SEED ?? 20_211_204);
const shown = Number(process.env.PARITY_SHOW ?? 10);
const percent = (part: number, whole: number) => `${((100 * part) / Math.max(whole, 1)).toFixed(2)}%`;

const started = Date.now();
process.stderr.write('starting the oracle…\n');
const node = await startOracle();
let differences = 0;
try {
  console.log(`oracle: Elasticsearch ${node.version} at ${node.url}`);

  const ourGeoIp = !process.env.ORACLE_ELASTICSEARCH_URL || process.env.ORACLE_GEOIP === 'ours';
  if (!ourGeoIp) console.log('  the oracle reads its own GeoIP databases: source.geo, source.as and tags not compared (ORACLE_GEOIP=ours if it has ours)');
  const legacy = await runDifferential(node, generateLegacyLines(lines, seed), ourGeoIp ? [] : ['source.geo', 'source.as', 'tags']);
  for (const adaptation of legacy.pipeline.adaptations) console.log(`  pipeline adapted to the oracle: ${adaptation}`);
  console.log(`\nlegacy lines (seed ${seed}): ${legacy.identical} of ${legacy.lines} identical (${percent(legacy.identical, legacy.lines)})`);
  const fields = [...legacy.fields].sort((a, b) => a[1].agreed / a[1].seen - b[1].agreed / b[1].seen || a[0].localeCompare(b[0]));
  console.log('  field                                      lines   agree');
  for (const [field, { seen, agreed }] of fields) console.log(`  ${field.padEnd(42)} ${String(seen).padStart(6)}  ${percent(agreed, seen).padStart(7)}`);
  for (const d of legacy.differing.slice(0, shown)) {
    console.log(`  ✗ line ${d.line}: ${d.text.slice(0, 300)}`);
    for (const difference of d.differences) console.log(`      ${describeDifference(difference)}`);
  }
  differences += legacy.differing.length;

  const report = (label: string, result: UserAgentAgreement) => {
    console.log(`\nuser_agent, ${label}: ${result.identical} of ${result.strings} identical in all six fields (${percent(result.identical, result.strings)})`);
    console.log(`  ${UA_FIELDS.map((f) => `${f} ${percent(result.perField[f], result.strings)}`).join('  ')}`);
    for (const d of result.differing.slice(0, shown)) console.log(`  ✗ ${d.field}: Elastic ${JSON.stringify(d.elastic)}, ours ${JSON.stringify(d.ours)}  ← ${d.ua}`);
    differences += result.differing.length;
  };
  report("Mattermost's clients", await userAgentAgreement(node, MATTERMOST_CLIENT_AGENTS));
  report("uap-core's test suites", await userAgentAgreement(node, uapCoreTestStrings()));

  if (ourGeoIp) {
    const geo = await geoIpAgreement(node, GEOIP_TEST_ADDRESSES);
    console.log(`\nGeoIP (City + ASN test databases): ${geo.identical} of ${geo.addresses} addresses identical in source.geo.* and source.as.*`);
    for (const d of geo.differing.slice(0, shown)) console.log(`  ✗ ${d.ip}: Elastic ${JSON.stringify(d.elastic)}, ours ${JSON.stringify(d.ours)}`);
    differences += geo.differing.length;
  }
  console.log(`\n${differences === 0 ? 'no differences' : `${differences} differences`} (${Math.round((Date.now() - started) / 1000)} s)`);
} finally {
  await node.stop();
}
process.exitCode = differences === 0 ? 0 : 1;
