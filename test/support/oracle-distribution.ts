/**
 * The parity oracle's Elasticsearch: Elastic's 7.10.2 integ-test-zip (the last Apache-2.0 release;
 * Maven Central's zips of 8.x and 9.x hold no ingest modules) with Elastic's own ingest modules of
 * the same release, as codelibs republished them on Maven Central (plain jars). A module folder
 * needs a plugin descriptor, which the jars do not carry: it is written here. The ingest-geoip
 * module of 7.10 refuses to start without its three GeoLite2 databases; ours are the test
 * databases of geoip-fixtures.ts under those names, so both sides read the same records.
 *
 * Everything is fetched with `mvn` (Maven's own cache makes later runs quick) into one folder of
 * the machine's temporary directory, assembled once and reused.
 */
import { execFile } from 'node:child_process';
import { chmod, copyFile, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { writeGeoLite2Databases } from './geoip-fixtures.js';

const run = promisify(execFile);

export const ORACLE_VERSION = '7.10.2';
/** Raised when the assembly changes, so that a cached distribution of an older one is rebuilt. */
const ASSEMBLY_REVISION = '3';
const MODULE_GROUP = 'org.codelibs.elasticsearch.module';

interface ModuleSpec {
  classname: string;
  extendedPlugins?: string;
  /** Maven coordinates (group:artifact:version) of the module's jar and the libraries it bundles. */
  jars: string[];
  policy?: string;
}

// Which libraries each module bundles, and the permissions it asks for, as Elastic's own 7.10.2
// modules do; a library that the server already has (jackson-core, log4j) must not be repeated.
const MODULES: Record<string, ModuleSpec> = {
  'lang-painless': {
    classname: 'org.elasticsearch.painless.PainlessPlugin',
    jars: [
      `${MODULE_GROUP}:lang-painless:${ORACLE_VERSION}`, `${MODULE_GROUP}:scripting-painless-spi:${ORACLE_VERSION}`,
      'org.antlr:antlr4-runtime:4.5.3', 'org.ow2.asm:asm:7.2', 'org.ow2.asm:asm-analysis:7.2',
      'org.ow2.asm:asm-commons:7.2', 'org.ow2.asm:asm-tree:7.2', 'org.ow2.asm:asm-util:7.2',
    ],
    policy: 'permission java.lang.RuntimePermission "createClassLoader";\n  permission java.lang.RuntimePermission "getClassLoader";',
  },
  'lang-mustache': {
    classname: 'org.elasticsearch.script.mustache.MustachePlugin',
    jars: [`${MODULE_GROUP}:lang-mustache:${ORACLE_VERSION}`, 'com.github.spullara.mustache.java:compiler:0.9.6'],
    policy: 'permission java.lang.reflect.ReflectPermission "suppressAccessChecks";',
  },
  'ingest-common': {
    classname: 'org.elasticsearch.ingest.common.IngestCommonPlugin',
    extendedPlugins: 'lang-painless',
    jars: [
      `${MODULE_GROUP}:ingest-common:${ORACLE_VERSION}`, `org.codelibs.elasticsearch.lib:dissect:${ORACLE_VERSION}`,
      `org.codelibs.elasticsearch.lib:grok:${ORACLE_VERSION}`, 'org.jruby.jcodings:jcodings:1.0.44', 'org.jruby.joni:joni:2.1.29',
    ],
  },
  'ingest-user-agent': {
    classname: 'org.elasticsearch.ingest.useragent.IngestUserAgentPlugin',
    jars: [`${MODULE_GROUP}:ingest-user-agent:${ORACLE_VERSION}`],
  },
  'ingest-geoip': {
    classname: 'org.elasticsearch.ingest.geoip.IngestGeoIpPlugin',
    jars: [
      `${MODULE_GROUP}:ingest-geoip:${ORACLE_VERSION}`, 'com.maxmind.geoip2:geoip2:2.13.1', 'com.maxmind.db:maxmind-db:1.3.1',
      'com.fasterxml.jackson.core:jackson-annotations:2.10.4', 'com.fasterxml.jackson.core:jackson-databind:2.10.4',
    ],
    // jackson-databind reads MaxMind's response classes by reflection.
    policy: 'permission java.lang.RuntimePermission "accessDeclaredMembers";\n  permission java.lang.reflect.ReflectPermission "suppressAccessChecks";',
  },
};

export class OracleSetupError extends Error {
  override readonly name = 'OracleSetupError';
}

/** The assembled distribution's home folder (fetched and built on first use). */
export async function oracleDistribution(): Promise<string> {
  const base = process.env.ORACLE_CACHE_DIR ?? join(tmpdir(), 'mattermost-audit-elastic-oracle');
  const home = join(base, `elasticsearch-${ORACLE_VERSION}`);
  if (await assembledRevision(home) === ASSEMBLY_REVISION) return home;
  await mkdir(base, { recursive: true });
  const work = await makeWorkDir(base);
  try {
    await fetchArtifacts(work);
    await run('unzip', ['-q', '-o', join(work, `elasticsearch-${ORACLE_VERSION}.zip`), '-d', work]);
    const unpacked = join(work, `elasticsearch-${ORACLE_VERSION}`);
    for (const [name, spec] of Object.entries(MODULES)) await addModule(unpacked, work, name, spec);
    await writeGeoLite2Databases(join(unpacked, 'modules', 'ingest-geoip'));
    await writeFile(join(unpacked, '.assembled'), `${ASSEMBLY_REVISION}\n`);
    // Another user runs the node: every file readable, every folder enterable.
    await run('chmod', ['-R', 'a+rX', unpacked]);
    await rm(home, { recursive: true, force: true });
    await rename(unpacked, home);
    await chmod(base, 0o755);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return home;
}

async function assembledRevision(home: string): Promise<string | undefined> {
  try {
    return (await readFile(join(home, '.assembled'), 'utf8')).trim();
  } catch {
    return undefined;
  }
}

async function makeWorkDir(base: string): Promise<string> {
  const work = join(base, `assembling-${process.pid}`);
  await rm(work, { recursive: true, force: true });
  await mkdir(join(work, 'jars'), { recursive: true });
  return work;
}

/** One `mvn` run: the zip and every module jar, without their transitive dependencies. */
async function fetchArtifacts(work: string): Promise<void> {
  const coordinates = Object.values(MODULES).flatMap((m) => m.jars);
  const dependency = (coordinate: string, type = 'jar'): string => {
    const [group, artifact, version] = coordinate.split(':');
    return `<dependency><groupId>${group}</groupId><artifactId>${artifact}</artifactId><version>${version}</version>`
      + `<type>${type}</type><exclusions><exclusion><groupId>*</groupId><artifactId>*</artifactId></exclusion></exclusions></dependency>`;
  };
  const pom = `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>local</groupId><artifactId>parity-oracle</artifactId><version>1</version><dependencies>
${dependency(`org.elasticsearch.distribution.integ-test-zip:elasticsearch:${ORACLE_VERSION}`, 'zip')}
${coordinates.map((c) => dependency(c)).join('\n')}
</dependencies></project>\n`;
  await writeFile(join(work, 'pom.xml'), pom);
  try {
    await run('mvn', ['-q', '-B', '-f', join(work, 'pom.xml'), 'dependency:copy-dependencies', `-DoutputDirectory=${join(work, 'jars')}`],
      { maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const output = (error as { stdout?: string; stderr?: string }).stdout ?? '';
    throw new OracleSetupError(`mvn could not fetch the oracle's Elasticsearch ${ORACLE_VERSION} and modules: ${lastLines(output)}`);
  }
  await rename(join(work, 'jars', `elasticsearch-${ORACLE_VERSION}.zip`), join(work, `elasticsearch-${ORACLE_VERSION}.zip`));
}

async function addModule(home: string, work: string, name: string, spec: ModuleSpec): Promise<void> {
  const dir = join(home, 'modules', name);
  await mkdir(dir, { recursive: true });
  const fetched = await readdir(join(work, 'jars'));
  for (const coordinate of spec.jars) {
    const [, artifact, version] = coordinate.split(':');
    const file = `${artifact}-${version}.jar`;
    if (!fetched.includes(file)) throw new OracleSetupError(`mvn did not fetch ${coordinate}`);
    await copyFile(join(work, 'jars', file), join(dir, file));
  }
  await writeFile(join(dir, 'plugin-descriptor.properties'), [
    `description=Elastic's ${name} module ${ORACLE_VERSION} (jars republished by codelibs)`,
    `version=${ORACLE_VERSION}`, `name=${name}`, `classname=${spec.classname}`, 'java.version=1.8',
    `elasticsearch.version=${ORACLE_VERSION}`, `extended.plugins=${spec.extendedPlugins ?? ''}`, 'has.native.controller=false', '',
  ].join('\n'));
  if (spec.policy) await writeFile(join(dir, 'plugin-security.policy'), `grant {\n  ${spec.policy}\n};\n`);
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' | ') || 'no output';
}
