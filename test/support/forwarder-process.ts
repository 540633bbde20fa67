/** The forwarder as a real child process (`serve`), as an operator runs it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { reapOnExit } from './child-reaper.js';
import { freePort } from './redis-server.js';
import { PROJECT_ROOT } from './shared-fixtures.js';

export const INGEST_TOKEN = 'ingest-token-0123456789abcdef';
export const ADMIN_TOKEN = 'admin-token-0123456789abcdef';
export const STATUS_TOKEN = 'status-token-0123456789abcdef';

export class ForwarderProcess {
  private child: ChildProcess | undefined;
  readonly url: string;

  private constructor(
    readonly port: number,
    private readonly env: Record<string, string>,
    private readonly logFile: string,
    private readonly built: boolean,
    private readonly until: 'started' | 'listening',
  ) {
    this.url = `${env.HTTP_TLS_CERT ? 'https' : 'http'}://127.0.0.1:${port}`;
  }

  /**
   * Resolves once /healthz says the forwarder has started (Redis reached, inputs up), or with
   * `until: 'listening'` as soon as it answers at all (e.g. while Redis is unreachable).
   * `built`: the bundle of `make build`, as operators run it (its shebang caps the heap), whatever FORWARDER_BUILT says.
   */
  static async start(env: Record<string, string>, logFile: string, options: { built?: boolean; until?: 'started' | 'listening' } = {}): Promise<ForwarderProcess> {
    const port = env.PORT ? Number(env.PORT) : await freePort();
    const built = options.built ?? process.env.FORWARDER_BUILT === '1';
    if (built) assertBundleFresh();
    const forwarder = new ForwarderProcess(port, { INGEST_TOKEN, ADMIN_TOKEN, STATUS_TOKEN, LOG_LEVEL: 'info', ...env, PORT: String(port) }, logFile, built, options.until ?? 'started');
    await forwarder.launch();
    return forwarder;
  }

  /** The process id while it runs (for RSS sampling). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  async launch(): Promise<void> {
    const log = createWriteStream(this.logFile, { flags: 'a' });
    // FORWARDER_BUILT=1 runs the built bin as operators do (its shebang sets node's flags),
    // instead of the sources through tsx. FORWARDER_NODE_ARGS adds node flags to the tsx run that
    // NODE_OPTIONS refuses, e.g. `--cpu-prof --cpu-prof-dir=prof` to profile a bench run.
    const nodeArgs = (process.env.FORWARDER_NODE_ARGS ?? '').split(' ').filter((arg) => arg !== '');
    // With node flags the built bin runs under node as its shebang says (its settings and flags), the added flags last.
    const shebang = this.built && nodeArgs.length > 0 ? builtBinShebang() : undefined;
    const [command, args] = !this.built
      ? [process.execPath, [...nodeArgs, '--import', 'tsx', 'server/src/cli.ts', 'serve']]
      : shebang ? [process.execPath, [...shebang.flags, ...nodeArgs, 'dist/server/cli.js', 'serve']] : ['dist/server/cli.js', ['serve']];
    const child = spawn(command, args, {
      cwd: PROJECT_ROOT, env: { PATH: process.env.PATH ?? '', ...shebang?.env, ...this.env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    reapOnExit(child);
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    this.child = child;
    // It starts once Elasticsearch has its template (or is found unreachable): a while on a loaded machine.
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`forwarder exited with ${child.exitCode}; ${this.logFile} ends:\n${logTail(this.logFile)}`);
      try {
        const health = await this.health();
        if (health.ok && (this.until === 'listening' || health.status === 'ok')) return;
      } catch {
        // not listening yet
      }
      await sleep(50);
    }
    // A forwarder left running would keep the test process (and its servers) alive.
    await this.stop('SIGKILL');
    throw new Error(`forwarder did not answer /healthz as ${this.until} within 60 s; ${this.logFile} ends:\n${logTail(this.logFile)}`);
  }

  /** GET /healthz; over HTTPS (HTTP_TLS_CERT) with that certificate as the only CA. */
  private async health(): Promise<{ ok: boolean; status?: string }> {
    if (!this.env.HTTP_TLS_CERT) {
      const response = await fetch(`${this.url}/healthz`);
      return { ok: response.ok, status: response.ok ? ((await response.json()) as { status?: string }).status : undefined };
    }
    const ca = readFileSync(this.env.HTTP_TLS_CERT);
    return new Promise((resolve, reject) => {
      httpsGet(`${this.url}/healthz`, { ca, servername: 'localhost' }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => { text += chunk; });
        response.on('end', () => {
          const ok = response.statusCode === 200;
          resolve({ ok, status: ok ? (JSON.parse(text) as { status?: string }).status : undefined });
        });
      }).on('error', reject);
    });
  }

  /** Lines of its log that are not ECS JSON (e.g. ioredis' plain "Unhandled error event"): none expected. */
  plainLogLines(): string[] {
    return readFileSync(this.logFile, 'utf8').split('\n').filter((line) => line !== '' && !line.startsWith('{'));
  }

  /** SIGTERM (graceful) or SIGKILL (crash); resolves when the process is gone. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return child?.exitCode ?? null;
    child.kill(signal);
    const [code] = (await once(child, 'exit')) as [number | null];
    return code;
  }

  async post(body: string | Uint8Array, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${this.url}/v1/audit`, {
      method: 'POST', body: body as BodyInit, headers: { authorization: `Bearer ${INGEST_TOKEN}`, 'content-type': 'application/x-ndjson', ...headers },
    });
  }

  async admin(path: string, init: RequestInit = {}): Promise<Response> {
    return this.call(ADMIN_TOKEN, path, init);
  }

  /** With the status token, which reads and may change nothing. */
  async reader(path: string, init: RequestInit = {}): Promise<Response> {
    return this.call(STATUS_TOKEN, path, init);
  }

  /** PUT /v1/config with the admin token; throws unless the forwarder took it. */
  async putConfig(settings: Record<string, unknown>): Promise<{ version: number; settings: Record<string, unknown> }> {
    const response = await this.admin('/v1/config', { method: 'PUT', body: JSON.stringify(settings) });
    if (!response.ok) throw new Error(`PUT /v1/config answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as { version: number; settings: Record<string, unknown> };
  }

  private async call(token: string, path: string, init: RequestInit): Promise<Response> {
    return fetch(`${this.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });
  }
}

function logTail(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8').trimEnd().split('\n').slice(-10).join('\n') : '(no log)';
}

/** A bundle older than the sources would test the code as it was. */
function assertBundleFresh(): void {
  const bundle = join(PROJECT_ROOT, 'dist/server/cli.js');
  let builtAt: number;
  try {
    builtAt = statSync(bundle).mtimeMs;
  } catch {
    throw new Error('dist/server/cli.js is missing: run `make build` (make test does)');
  }
  const sources = join(PROJECT_ROOT, 'server/src');
  for (const file of readdirSync(sources, { recursive: true })) {
    if (statSync(join(sources, String(file))).mtimeMs > builtAt) throw new Error(`dist/server/cli.js is older than server/src/${String(file)}: run \`make build\` (make test does)`);
  }
}

export { eventually } from './eventually.js';

/** The settings and node flags of the built bin's shebang (`#!/usr/bin/env -S VAR=… node --flag …`). */
function builtBinShebang(): { env: Record<string, string>; flags: string[] } {
  const words = readFileSync(join(PROJECT_ROOT, 'dist/server/cli.js'), 'utf8').split('\n', 1)[0]!.split(/\s+/);
  const node = words.indexOf('node');
  const settings = words.slice(0, node).filter((word) => /^[A-Z_]+=/.test(word)).map((word) => word.split('=', 2) as [string, string]);
  return { env: Object.fromEntries(settings), flags: words.slice(node + 1) };
}
