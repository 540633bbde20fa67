/**
 * The real-node harness itself (test/support/elasticsearch-node.ts): what it says when a machine
 * cannot run Elasticsearch, and a node's life: yellow, a crash that keeps its data, a restart on
 * the same port, a stop that leaves nothing behind.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { isAlive } from './support/elasticsearch/cleanup.js';
import { esCacheDir } from './support/elasticsearch/distribution.js';
import { javaFor } from './support/elasticsearch/java.js';
import { DEFAULT_ES_VERSION, ElasticsearchNode, ElasticsearchSetupError, ensureDistribution, esVersions } from './support/elasticsearch-node.js';

const scratch = await mkdtemp(join(tmpdir(), 'mae-es-harness-'));
after(() => rm(scratch, { recursive: true, force: true }));

test('says in one line that Maven is missing, rather than skipping', async () => {
  await assert.rejects(ensureDistribution(DEFAULT_ES_VERSION, { cacheDir: scratch, mvn: 'mvn-not-installed' }), (error: Error) => {
    assert.ok(error instanceof ElasticsearchSetupError);
    assert.equal(error.message, `mvn-not-installed not found on PATH: Elasticsearch ${DEFAULT_ES_VERSION} for the tests is fetched from Maven Central with Maven (Debian: apt-get install maven)`);
    return true;
  });
});

test("says in one line that a version cannot be fetched, with Maven's reason", async () => {
  await assert.rejects(ensureDistribution('9.5.6', { cacheDir: scratch }), (error: Error) => {
    assert.ok(error instanceof ElasticsearchSetupError);
    assert.match(error.message, /^cannot fetch org\.elasticsearch\.distribution\.integ-test-zip:elasticsearch:9\.5\.6:zip from Maven Central: .*(Could not find artifact|Could not resolve|Unable to find)/);
    assert.doesNotMatch(error.message, /\n/);
    return true;
  });
  assert.ok(!existsSync(join(scratch, '9.5.6', 'elasticsearch-9.5.6')), 'nothing half-made is left as the distribution');
});

test('says in one line which Java a version needs when no JDK is new enough', async () => {
  const distribution = await ensureDistribution(DEFAULT_ES_VERSION);
  await assert.rejects(javaFor(distribution, { PATH: '' }, scratch), (error: Error) => {
    assert.ok(error instanceof ElasticsearchSetupError);
    assert.equal(error.message, `Elasticsearch ${DEFAULT_ES_VERSION} needs Java 17 or later: found no JDK in ES_JAVA_HOME, JAVA_HOME, PATH or ${scratch}; install one or set ES_JAVA_HOME`);
    return true;
  });
});

test('caches outside the work tree, where the node user can read it', async () => {
  assert.equal(esCacheDir({ ES_CACHE_DIR: '/srv/es-cache' }), '/srv/es-cache');
  assert.equal(esCacheDir({ XDG_CACHE_HOME: '/tmp/xdg' }), '/tmp/xdg/mattermost-audit-elastic/elasticsearch');
  const privateHome = join(scratch, 'private-home');
  await mkdir(privateHome, { mode: 0o700 });
  const expected = process.getuid?.() === 0 ? '/var/cache/mattermost-audit-elastic/elasticsearch' : join(privateHome, '.cache', 'mattermost-audit-elastic', 'elasticsearch');
  assert.equal(esCacheDir({ HOME: privateHome }), expected, 'as root, not in a home folder the node user cannot enter');
});

test('reads ES_VERSIONS, the default version otherwise', () => {
  assert.deepEqual(esVersions(''), [DEFAULT_ES_VERSION]);
  assert.deepEqual(esVersions('8.19.21, 9.5.4'), ['8.19.21', '9.5.4']);
  assert.throws(() => esVersions('latest'), /ES_VERSIONS: "latest" is not a version/);
});

for (const version of esVersions()) {
  test(`runs Elasticsearch ${version}: yellow, kill -9 keeps the data, restart on the same port, stop removes everything`, async () => {
    const es = await ElasticsearchNode.start({ version, settings: { 'node.attr.purpose': 'harness-test' }, configFiles: { 'jvm.options.d/harness.options': '-Dmae.harness=1\n' } });
    try {
      const nodes = (await es.request('GET', '/_nodes/_local?filter_path=nodes.*.version,nodes.*.attributes,nodes.*.jvm.input_arguments')).body.nodes;
      const node = Object.values(nodes)[0] as { version: string; attributes: Record<string, string>; jvm: { input_arguments: string[] } };
      assert.equal(node.version, version);
      assert.equal(node.attributes.purpose, 'harness-test', 'extra -E settings reach the node');
      assert.ok(node.jvm.input_arguments.includes('-Dmae.harness=1'), 'config files reach the node');
      assert.ok(node.jvm.input_arguments.includes('-Xmx512m'));
      const indexed = await es.request('PUT', '/harness/_doc/1?refresh=true', { kept: true });
      assert.equal(indexed.status, 201);

      const url = es.url;
      const pid = es.serverPid!;
      await es.kill9();
      assert.equal(isAlive(pid), false, 'the server JVM is gone');
      await assert.rejects(fetch(`${url}/`), 'nothing answers while it is down');
      await es.restart();
      assert.equal(es.url, url);
      assert.deepEqual((await es.request('GET', '/harness/_doc/1')).body._source, { kept: true }, 'acknowledged writes survive kill -9');
    } finally {
      const pid = es.serverPid;
      await es.stop();
      assert.equal(pid !== undefined && isAlive(pid), false);
      assert.equal(existsSync(es.dir), false, 'its folder is removed');
    }
  });
}
