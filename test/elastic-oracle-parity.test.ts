/**
 * Parity against Elastic itself: its ingest pipeline, user_agent and geoip processors running in a
 * real Elasticsearch (the parity oracle, test/support/oracle-node.ts: Elastic's 7.10.2 with its own
 * ingest modules, or ORACLE_ELASTICSEARCH_URL), against our transform. `make parity` runs the same
 * comparisons on more lines and prints the figures.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pruneEmpty } from '../server/src/transform/prune-empty.js';
import { urlParts } from '../server/src/transform/url-parts.js';
import { geoIpAgreement } from './support/geoip-agreement.js';
import { GEOIP_TEST_ADDRESSES } from './support/geoip-fixtures.js';
import { runDifferential } from './support/legacy-differential.js';
import { API_PATHS, generateLegacyLines } from './support/legacy-line-generator.js';
import { oracleJavaHome, startOracle, type OracleNode } from './support/oracle-node.js';
import { describeDifference } from './support/parity.js';
import { PROJECT_ROOT } from './support/shared-fixtures.js';
import { uapCoreTestStrings, UA_FIELDS, userAgentAgreement } from './support/user-agent-agreement.js';
import { MATTERMOST_CLIENT_AGENTS } from './support/user-agent-samples.js';

let node: OracleNode;
before(async () => {
  node = await startOracle();
});
after(async () => {
  await node?.stop();
});

test("2,000 generated legacy lines give Elastic's own documents, field for field", async () => {
  const result = await runDifferential(node, generateLegacyLines(2_000, 20_211_204));
  const first = result.differing.slice(0, 5).map((d) => `line ${d.line} ${d.text}\n  ${d.differences.map(describeDifference).join('\n  ')}`);
  assert.equal(result.identical, result.lines, `${result.lines - result.identical} lines differ; the first:\n${first.join('\n')}`);
  // The generator reaches every key of the pipeline: the fields it writes all appeared.
  for (const field of ['user.target.roles', 'user.changes.name', 'group.id', 'user.target.group.name', 'mattermost.audit.patch.name',
    'mattermost.audit.post.channel.id', 'mattermost.audit.related.team', 'mattermost.audit.error.message', 'http.response.status_code',
    'error.code', 'source.geo.city_name', 'source.as.number', 'mattermost.audit.device.id', 'user_agent.os.full']) {
    assert.ok(result.fields.has(field), `no generated line produced ${field}`);
  }
});

test("Mattermost's own clients get the user_agent.* of Elastic's user_agent processor, every field", async () => {
  const result = await userAgentAgreement(node, MATTERMOST_CLIENT_AGENTS);
  assert.deepEqual(result.differing, []);
  assert.equal(result.identical, MATTERMOST_CLIENT_AGENTS.length);
});

test("uap-core's test strings get the user_agent.* of Elastic's processor on at least 99.5% per field", async () => {
  // Every third string (about 5,900) keeps the test under a minute; `make parity` runs all of them.
  const strings = uapCoreTestStrings().filter((_, i) => i % 3 === 0);
  assert.ok(strings.length > 5_000);
  const result = await userAgentAgreement(node, strings);
  for (const field of UA_FIELDS) {
    const share = result.perField[field] / result.strings;
    assert.ok(share >= 0.995, `${field}: ${(share * 100).toFixed(2)}%; e.g. ${JSON.stringify(result.differing.find((d) => d.field === field))}`);
  }
});

test("source.geo and source.as from our lookup are what Elastic's geoip processor reads in the same databases", async () => {
  const result = await geoIpAgreement(node, GEOIP_TEST_ADDRESSES);
  assert.deepEqual(result.differing, []);
});

test('url.* is what uri_parts takes from java.net.URI (asked in Java itself: the 7.10 oracle has no uri_parts)', () => {
  const inputs = [...API_PATHS, 'file.txt', 'a%zz', '/a[1]', '/q?a=[1]', 'mailto:x@y', 'HTTP://Example.COM/A', 'https://u:p@h.example/x',
    '//host/p', ':x', '1.2.3.4:80/x', '/a#b#c', '/%E2%82%AC', '/%FF', 'https://x:443/', '/a/../b', '/x.', '/a\u00a0b', 'ftp://[::1]/f'];
  const java = join(oracleJavaHome(), 'bin', 'java');
  const output = execFileSync(java, [join(PROJECT_ROOT, 'test/support/java/UriParts.java')], {
    input: `${inputs.map((s) => JSON.stringify(s)).join('\n')}\n`,
  }).toString().trim().split('\n');
  const sorted = (o: object | null) => (o && Object.keys(o).length > 0 ? Object.fromEntries(Object.entries(o).sort()) : null);
  for (const [i, input] of inputs.entries()) {
    const ours = urlParts(input);
    assert.deepEqual(sorted(ours ? pruneEmpty(ours) : null), sorted(JSON.parse(output[i]!)), JSON.stringify(input));
  }
});
