/**
 * A real Elasticsearch node for tests and benchmarks: Elastic's integ-test distribution from Maven
 * Central (see elasticsearch/distribution.ts), single-node on loopback, free ports, a 512 MB heap,
 * its own folder (config, data, logs), run as an unprivileged user when the tests run as root.
 *
 *   const es = await ElasticsearchNode.start({ version: '9.5.4', settings: { 'http.max_content_length': '200kb' } });
 *   es.url               // http://127.0.0.1:<port>
 *   await es.kill9();     // as a crash: SIGKILL, data kept
 *   await es.restart();   // again on the same data and port, resolves at yellow
 *   await es.stop();      // clean stop, folder removed
 *
 * Versions: `esVersions()` (ES_VERSIONS=8.19.21,9.5.4, else DEFAULT_ES_VERSION); `ensureDistribution`
 * fetches one ahead of time (`make es-fetch`). What cannot work (no java, no mvn, no download) throws
 * ElasticsearchSetupError with one line, so the tests fail rather than skip.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { chown, cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAlive, killGroup, trackNodeGroup, untrackNodeGroup } from './elasticsearch/cleanup.js';
import { DEFAULT_ES_VERSION, ensureDistribution, type Distribution } from './elasticsearch/distribution.js';
import { javaFor, type JavaHome } from './elasticsearch/java.js';
import { nodeUser, type RunAs } from './elasticsearch/system-user.js';
import { freePort } from './redis-server.js';

export { DEFAULT_ES_VERSION, ElasticsearchSetupError, ensureDistribution, esVersions, PINNED_ES_VERSIONS } from './elasticsearch/distribution.js';

export interface ElasticsearchNodeOptions {
  /** Default DEFAULT_ES_VERSION. */
  version?: string;
  /** Extra node settings, passed as `-E name=value`. */
  settings?: Record<string, string | number | boolean>;
  /** Files written into the node's config folder (path relative to it → content), e.g. `jvm.options.d/x.options`. */
  configFiles?: Record<string, string>;
  /** Default 512. */
  heapMb?: number;
  /**
   * Default true: the JVM compiles with C1 only (`-XX:TieredStopAtLevel=1`), which starts a node in
   * about half the time and indexes more slowly; benchmarks pass false for the full JIT.
   */
  quickStart?: boolean;
  /** How long start and restart wait for yellow; default 180 s (a loaded 2-core machine). */
  startTimeoutMs?: number;
}

export interface EsAnswer<T = any> {
  status: number;
  body: T;
}

const START_ATTEMPTS = 3;

export class ElasticsearchNode {
  private launcher: ChildProcess | undefined;
  private exited: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly distribution: Distribution,
    private readonly java: JavaHome,
    private readonly user: RunAs | undefined,
    /** The node's own folder: config/, data/, logs/, tmp/, console.log. */
    readonly dir: string,
    private httpPort: number,
    private transportPort: number,
    private readonly options: ElasticsearchNodeOptions,
  ) {}

  static async start(options: ElasticsearchNodeOptions = {}): Promise<ElasticsearchNode> {
    const distribution = await ensureDistribution(options.version ?? DEFAULT_ES_VERSION);
    const [java, user] = await Promise.all([javaFor(distribution), nodeUser()]);
    const dir = await mkdtemp(join(tmpdir(), `mae-es-node-${distribution.version}-`));
    const node = new ElasticsearchNode(distribution, java, user, dir, 0, 0, options);
    try {
      await node.prepareFolder();
      for (let attempt = 1; ; attempt++) {
        node.httpPort = await freePort();
        node.transportPort = await freePort();
        try {
          await node.launch();
          return node;
        } catch (error) {
          // A free port taken by someone else before the node bound it: try others.
          if (attempt >= START_ATTEMPTS || !node.lostPortRace()) throw error;
          await node.halt('SIGKILL');
        }
      }
    } catch (error) {
      await node.stop();
      throw error;
    }
  }

  get version(): string {
    return this.distribution.version;
  }

  get url(): string {
    return `http://127.0.0.1:${this.httpPort}`;
  }

  /** The server JVM's pid while it runs. */
  get serverPid(): number | undefined {
    const file = join(this.dir, 'node.pid');
    return this.launcher && existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) || undefined : undefined;
  }

  get running(): boolean {
    return this.launcher !== undefined;
  }

  /** As a crash: the launcher and the server JVM get SIGKILL; the data stays for restart(). */
  async kill9(): Promise<void> {
    await this.halt('SIGKILL');
  }

  /** A clean shutdown (SIGTERM) that keeps the data for restart(). */
  async shutdown(): Promise<void> {
    await this.halt('SIGTERM');
  }

  /** Starts the node again on the same data and port (shutting it down first if it runs). */
  async restart(): Promise<void> {
    if (this.launcher) await this.shutdown();
    await this.launch();
  }

  /** Stops the node cleanly and removes its folder. */
  async stop(): Promise<void> {
    await this.halt('SIGTERM');
    await rm(this.dir, { recursive: true, force: true });
  }

  /** A JSON request; answers the status and the parsed body (the text when it is not JSON). */
  async request<T = any>(method: string, path: string, body?: unknown): Promise<EsAnswer<T>> {
    return requestNode<T>(this.url, method, path, body);
  }

  /** The last lines the node printed (its console: the launcher's and the server's output). */
  logTail(lines = 20): string {
    const file = join(this.dir, 'console.log');
    return existsSync(file) ? readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') : '';
  }

  private async prepareFolder(): Promise<void> {
    const config = join(this.dir, 'config');
    await cp(join(this.distribution.home, 'config'), config, { recursive: true });
    for (const [file, content] of Object.entries(this.options.configFiles ?? {})) {
      await mkdir(dirname(join(config, file)), { recursive: true });
      await writeFile(join(config, file), content);
    }
    for (const sub of ['data', 'logs', 'tmp']) await mkdir(join(this.dir, sub));
    if (this.user) await chownTree(this.dir, this.user);
  }

  private settings(): string[] {
    const has = (module: string) => this.distribution.modules.includes(module);
    const settings: Record<string, string | number | boolean> = {
      'cluster.name': `mae-test-${process.pid}-${this.dir.slice(-6)}`,
      'node.name': 'node-1',
      'discovery.type': 'single-node',
      'network.host': '127.0.0.1',
      'http.port': this.httpPort,
      'transport.port': this.transportPort,
      'path.data': join(this.dir, 'data'),
      'path.logs': join(this.dir, 'logs'),
      // A test machine's nearly full disk must not block indices by itself; and the disk monitor,
      // which lifts every read_only_allow_delete block at each cluster info refresh (every 30 s by
      // default, threshold on or off), must not lift a block a test sets: refreshed hourly then.
      'cluster.routing.allocation.disk.threshold_enabled': false,
      'cluster.info.update.interval': '1h',
      // Only settings of modules the distribution has: an unknown setting stops the node.
      ...(has('x-pack-security') ? { 'xpack.security.enabled': false } : {}),
      ...(has('ingest-geoip') ? { 'ingest.geoip.downloader.enabled': false } : {}),
      ...this.options.settings,
    };
    return Object.entries(settings).flatMap(([name, value]) => ['-E', `${name}=${String(value)}`]);
  }

  private async launch(): Promise<void> {
    const output = createWriteStream(join(this.dir, 'console.log'), { flags: 'a' });
    await once(output, 'open');
    const heap = this.options.heapMb ?? 512;
    const child = spawn(join(this.distribution.home, 'bin', 'elasticsearch'), ['-p', join(this.dir, 'node.pid'), ...this.settings()], {
      cwd: this.dir,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        LANG: 'C.UTF-8',
        HOME: this.dir,
        ES_JAVA_HOME: this.java.home,
        ES_PATH_CONF: join(this.dir, 'config'),
        ES_TMPDIR: join(this.dir, 'tmp'),
        ES_JAVA_OPTS: `-Xms${heap}m -Xmx${heap}m -XX:-HeapDumpOnOutOfMemoryError${this.options.quickStart === false ? '' : ' -XX:TieredStopAtLevel=1'}`,
      },
      // Its own process group: the launcher and the server JVM are killed together.
      detached: true,
      stdio: ['ignore', output, output],
      ...(this.user ? { uid: this.user.uid, gid: this.user.gid } : {}),
    });
    output.close();
    this.launcher = child;
    this.exited = once(child, 'exit').catch(() => undefined);
    trackNodeGroup(child.pid!, this.dir);
    child.once('exit', () => {
      if (this.launcher === child) this.launcher = undefined;
    });
    await this.waitForYellow(child);
  }

  private async waitForYellow(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + (this.options.startTimeoutMs ?? 180_000);
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`Elasticsearch ${this.version} exited while starting (${child.exitCode ?? child.signalCode}); ${this.dir}/console.log ends:\n${this.logTail()}`);
      }
      try {
        const health = await this.request('GET', '/_cluster/health?wait_for_status=yellow&timeout=1s');
        if (health.status === 200 && (health.body.status === 'yellow' || health.body.status === 'green')) return;
      } catch {
        // not listening yet
      }
      await sleep(250);
    }
    throw new Error(`Elasticsearch ${this.version} was not yellow after ${Math.round((this.options.startTimeoutMs ?? 180_000) / 1000)} s; ${this.dir}/console.log ends:\n${this.logTail()}`);
  }

  private lostPortRace(): boolean {
    return /BindHttpException|BindTransportException|Address already in use/.test(this.logTail(200));
  }

  /** Ends the launcher and the server JVM with the signal (SIGKILL after 60 s), data kept. */
  private async halt(signal: NodeJS.Signals): Promise<void> {
    const child = this.launcher;
    if (!child || child.pid === undefined) return;
    const serverPid = this.serverPid;
    // SIGTERM to the launcher: it shuts the server down and waits for it. SIGKILL: the whole group.
    if (signal === 'SIGKILL') killGroup(child.pid, 'SIGKILL');
    else child.kill(signal);
    const timer = setTimeout(() => killGroup(child.pid!, 'SIGKILL'), 60_000);
    await this.exited;
    clearTimeout(timer);
    // The server is gone too before the data can be reused (its node lock).
    for (let i = 0; serverPid !== undefined && isAlive(serverPid) && i < 600; i++) {
      if (i === 100) killGroup(child.pid, 'SIGKILL');
      await sleep(100);
    }
    untrackNodeGroup(child.pid);
    this.launcher = undefined;
    await rm(join(this.dir, 'node.pid'), { force: true });
  }
}

/** A request to the node at `url`: a string body is NDJSON, anything else JSON; plain media types, which every version takes. */
export async function requestNode<T = any>(url: string, method: string, path: string, body?: unknown): Promise<EsAnswer<T>> {
  const ndjson = typeof body === 'string';
  const response = await fetch(`${url}${path.startsWith('/') ? '' : '/'}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': ndjson ? 'application/x-ndjson' : 'application/json' },
    body: body === undefined ? undefined : ndjson ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // keep the text
  }
  return { status: response.status, body: parsed as T };
}

async function chownTree(path: string, user: RunAs): Promise<void> {
  await chown(path, user.uid, user.gid);
  for (const entry of await readdir(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) await chownTree(child, user);
    else await chown(child, user.uid, user.gid);
  }
}
