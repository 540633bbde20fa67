/**
 * A running parity oracle: Elastic's own Elasticsearch 7.10.2 with its ingest modules
 * (oracle-distribution.ts), single node on free loopback ports, as a system user when we are root
 * (Elasticsearch refuses root), on Java 17 (7.10 needs a Java with a SecurityManager: ≤ 17 here).
 * Or, with ORACLE_ELASTICSEARCH_URL, any Elasticsearch that has the ingest modules (a user's full
 * distribution): nothing is started then.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { writeGeoLite2Databases } from './geoip-fixtures.js';
import { OracleSetupError, oracleDistribution } from './oracle-distribution.js';
import { freePort } from './redis-server.js';

const run = promisify(execFile);
const SYSTEM_USER = 'mae-oracle';
const JAVA_HOMES = ['/usr/lib/jvm/java-17-openjdk-amd64', '/usr/lib/jvm/java-17-openjdk-arm64'];

export interface OracleNode {
  /** The node's address, without credentials. */
  url: string;
  /** The node's version, e.g. "7.10.2". */
  version: string;
  /** The ingest processors the node has (uri_parts is 7.12+, convert to ip 7.13+). */
  processors: Set<string>;
  /** A JSON request to the node; an error status throws. */
  request(path: string, method?: string, body?: unknown): Promise<unknown>;
  /** The server JVM's pid, for its CPU time (undefined for a node named by ORACLE_ELASTICSEARCH_URL). */
  serverPid(): number | undefined;
  stop(): Promise<void>;
}

export interface OracleOptions {
  /** The JVM heap, default 512 MB (the bench gives it what it gives the newer node). */
  heapMb?: number;
}

/** A Java 17 (7.10 needs the SecurityManager, gone after 23; its launcher wants ≤ 17 to be quiet). */
export function oracleJavaHome(): string {
  const javaHome = process.env.ORACLE_JAVA_HOME ?? JAVA_HOMES.find((dir) => existsSync(join(dir, 'bin', 'java')));
  if (!javaHome) throw new OracleSetupError('no Java 17 for the parity oracle: apt-get install openjdk-17-jdk-headless, or set ORACLE_JAVA_HOME');
  return javaHome;
}

/** The node named by ORACLE_ELASTICSEARCH_URL, or our own 7.10.2 started for the caller. */
export async function startOracle(options: OracleOptions = {}): Promise<OracleNode> {
  const external = process.env.ORACLE_ELASTICSEARCH_URL;
  if (external) {
    // Node's fetch refuses credentials inside a URL: they travel as a header.
    const parsed = new URL(external);
    const auth = parsed.username ? `Basic ${Buffer.from(`${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`).toString('base64')}` : undefined;
    parsed.username = '';
    parsed.password = '';
    return describe(parsed.toString().replace(/\/+$/, ''), auth, async () => undefined, () => undefined);
  }
  const home = await oracleDistribution();
  // Written at each start, so that the node reads the records geoip-fixtures.ts has now.
  await writeGeoLite2Databases(join(home, 'modules', 'ingest-geoip'));
  const javaHome = oracleJavaHome();
  const dir = await mkdtemp(join(tmpdir(), 'mae-oracle-node-'));
  const [httpPort, transportPort] = [await freePort(), await freePort()];
  await writeNodeConfig(home, dir);
  const asRoot = process.getuid?.() === 0;
  if (asRoot) await ensureSystemUser(dir);
  const args = [
    join(home, 'bin', 'elasticsearch'), '-E', 'discovery.type=single-node', '-E', 'network.host=127.0.0.1',
    '-E', `http.port=${httpPort}`, '-E', `transport.port=${transportPort}`, '-E', `path.data=${join(dir, 'data')}`,
    '-E', `path.logs=${join(dir, 'logs')}`, '-E', 'cluster.routing.allocation.disk.threshold_enabled=false',
    '-p', join(dir, 'node.pid'),
  ];
  const heap = options.heapMb ?? 512;
  const env = { ...process.env, JAVA_HOME: javaHome, ES_PATH_CONF: join(dir, 'config'), ES_JAVA_OPTS: `-Xms${heap}m -Xmx${heap}m` };
  const command = asRoot ? 'runuser' : args[0]!;
  const commandArgs = asRoot ? ['-u', SYSTEM_USER, '--', ...args] : args.slice(1);
  // Its own process group, so stop() ends the launcher script and the JVM it starts, and nothing else.
  const child = spawn(command, commandArgs, { env, cwd: dir, detached: true, stdio: 'ignore' });
  const url = `http://127.0.0.1:${httpPort}`;
  const stop = async () => {
    await halt(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(url, child, dir);
    return await describe(url, undefined, stop, () => readPid(join(dir, 'node.pid')));
  } catch (error) {
    await stop();
    throw error;
  }
}

async function writeNodeConfig(home: string, dir: string): Promise<void> {
  const config = join(dir, 'config');
  await mkdir(config, { recursive: true });
  await mkdir(join(dir, 'data'));
  await mkdir(join(dir, 'logs'));
  await copyFile(join(home, 'config', 'log4j2.properties'), join(config, 'log4j2.properties'));
  await writeFile(join(config, 'elasticsearch.yml'), '# the parity oracle: settings come as -E options\n');
  // The distribution's jvm.options write GC logs relative to the working folder; the heap is set by ES_JAVA_OPTS.
  await writeFile(join(config, 'jvm.options'), '-XX:+UseG1GC\n-Djava.io.tmpdir=${ES_TMPDIR}\n');
}

async function ensureSystemUser(dir: string): Promise<void> {
  try {
    await run('id', ['-u', SYSTEM_USER]);
  } catch {
    await run('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', SYSTEM_USER]);
  }
  await run('chown', ['-R', `${SYSTEM_USER}:`, dir]);
  await run('chmod', ['755', dir]);
}

async function waitForHealth(url: string, child: ChildProcess, dir: string): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    try {
      const response = await fetch(`${url}/_cluster/health?wait_for_status=yellow&timeout=1s`);
      if (response.ok) return;
    } catch {
      // Connection refused until the node listens.
    }
    await sleep(500);
  }
  throw new OracleSetupError(`the oracle node did not start: ${await logTail(dir)}`);
}

async function logTail(dir: string): Promise<string> {
  try {
    const log = await readFile(join(dir, 'logs', 'elasticsearch.log'), 'utf8');
    return log.trim().split('\n').filter((l) => /ERROR|Exception|WARN/.test(l)).slice(-3).join(' | ') || 'no errors logged';
  } catch {
    return 'no log written';
  }
}

async function halt(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-child.pid, 'SIGTERM');
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }, 15_000);
  await exited;
  clearTimeout(timer);
}

function readPid(file: string): number | undefined {
  try {
    return Number(readFileSync(file, 'utf8').trim()) || undefined;
  } catch {
    return undefined;
  }
}

async function describe(url: string, authorization: string | undefined, stop: () => Promise<void>, serverPid: () => number | undefined): Promise<OracleNode> {
  const request = async (path: string, method = 'GET', body?: unknown): Promise<unknown> => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (authorization) headers.authorization = authorization;
    const response = await fetch(`${url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    if (!response.ok) throw new OracleSetupError(`${method} ${path}: ${response.status} ${text.slice(0, 500)}`);
    return JSON.parse(text);
  };
  const nodes = await request('/_nodes/_local/ingest?filter_path=nodes.*.version,nodes.*.ingest.processors') as {
    nodes: Record<string, { version: string; ingest: { processors: Array<{ type: string }> } }>;
  };
  const node = Object.values(nodes.nodes)[0]!;
  const processors = new Set(node.ingest.processors.map((p) => p.type));
  for (const needed of ['user_agent', 'geoip', 'script', 'json', 'date', 'rename']) {
    if (!processors.has(needed)) throw new OracleSetupError(`the Elasticsearch at ${url} has no ${needed} processor: it cannot be the oracle`);
  }
  return { url, version: node.version, processors, request, serverPid, stop };
}
