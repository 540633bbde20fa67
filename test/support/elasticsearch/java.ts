/**
 * The JDK a distribution needs, found by looking: the integ-test zip bundles none. The Java it
 * needs is read from its own server jar (the class file version), then the first JDK that is new
 * enough among ES_JAVA_HOME, JAVA_HOME, the `java` on PATH and the JDKs under /usr/lib/jvm.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ElasticsearchSetupError, onPath, type Distribution } from './distribution.js';

const JVM_DIR = '/usr/lib/jvm';

export interface JavaHome {
  home: string;
  major: number;
}

/** The lowest Java major version the distribution's server classes run on (class file major − 44). */
export async function requiredJavaMajor(distribution: Distribution): Promise<number> {
  const jar = join(distribution.home, 'lib', `elasticsearch-${distribution.version}.jar`);
  const unzip = onPath('unzip');
  const header = existsSync(jar) && unzip ? await stdoutOf(unzip, ['-p', jar, 'org/elasticsearch/Build.class']) : Buffer.alloc(0);
  if (header.length >= 8 && header.readUInt32BE(0) === 0xcafebabe) return header.readUInt16BE(6) - 44;
  // What Elastic documents, should the jar ever move: 8.x on Java 17, 9.x on Java 21.
  return Number(distribution.version.split('.')[0]) >= 9 ? 21 : 17;
}

/** `env` and `jvmDir` are the machine's unless a test stands in for them. */
export async function javaFor(distribution: Distribution, env: NodeJS.ProcessEnv = process.env, jvmDir = JVM_DIR): Promise<JavaHome> {
  const needed = await requiredJavaMajor(distribution);
  const seen: JavaHome[] = [];
  for (const home of candidateHomes(env, jvmDir)) {
    const major = javaMajor(home);
    if (major === undefined) continue;
    if (major >= needed) return { home, major };
    seen.push({ home, major });
  }
  const found = seen.length > 0 ? `found only ${seen.map((j) => `Java ${j.major} (${j.home})`).join(', ')}` : 'found no JDK';
  throw new ElasticsearchSetupError(`Elasticsearch ${distribution.version} needs Java ${needed} or later: ${found} in ES_JAVA_HOME, JAVA_HOME, PATH or ${jvmDir}; install one or set ES_JAVA_HOME`);
}

function candidateHomes(env: NodeJS.ProcessEnv, jvmDir: string): string[] {
  const homes: string[] = [];
  if (env.ES_JAVA_HOME) homes.push(env.ES_JAVA_HOME);
  if (env.JAVA_HOME) homes.push(env.JAVA_HOME);
  const java = onPath('java', env.PATH);
  if (java) homes.push(dirname(dirname(realpathSync(java))));
  if (existsSync(jvmDir)) {
    // Oldest first past the defaults: the lowest version that is new enough is the least surprising.
    const installed = readdirSync(jvmDir).map((name) => join(jvmDir, name)).filter((home) => existsSync(join(home, 'bin', 'java')));
    homes.push(...installed.sort((a, b) => (javaMajor(a) ?? 0) - (javaMajor(b) ?? 0)));
  }
  return [...new Set(homes.map((home) => (existsSync(home) ? realpathSync(home) : home)))];
}

/** From the JDK's `release` file (JAVA_VERSION="17.0.15", "1.8.0_402"). */
function javaMajor(home: string): number | undefined {
  if (!existsSync(join(home, 'bin', 'java'))) return undefined;
  try {
    const version = /^JAVA_VERSION="([^"]+)"/m.exec(readFileSync(join(home, 'release'), 'utf8'))?.[1];
    if (!version) return undefined;
    const [first = '0', second = '0'] = version.split('.');
    return first === '1' ? Number(second) : Number(first);
  } catch {
    return undefined;
  }
}

function stdoutOf(command: string, args: string[]): Promise<Buffer> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', () => resolve(Buffer.alloc(0)));
    child.on('close', () => resolve(Buffer.concat(chunks)));
  });
}
