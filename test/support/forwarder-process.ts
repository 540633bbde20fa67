/** The forwarder as a real child process (`serve`), as an operator runs it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { reapOnExit } from './child-reaper.js';
import { freePort } from './redis-server.js';
import { PROJECT_ROOT } from './shared-fixtures.js';

export const INGEST_TOKEN = 'ingest-token-0123456789abcdef';
export const ADMIN_TOKEN = 'admin-token-0123456789abcdef';

export class ForwarderProcess {
  private child: ChildProcess | undefined;
  readonly url: string;

  private constructor(
    readonly port: number,
    private readonly env: Record<string, string>,
    private readonly logFile: string,
    private readonly until: 'started' | 'listening',
  ) {
    this.url = `http://127.0.0.1:${port}`;
  }

  /**
   * Resolves once /healthz says the forwarder has started (Redis reached, inputs up), or with
   * `until: 'listening'` as soon as it answers at all (e.g. while Redis is unreachable).
   */
  static async start(env: Record<string, string>, logFile: string, options: { until?: 'started' | 'listening' } = {}): Promise<ForwarderProcess> {
    const port = env.PORT ? Number(env.PORT) : await freePort();
    const forwarder = new ForwarderProcess(port, { INGEST_TOKEN, ADMIN_TOKEN, LOG_LEVEL: 'info', ...env, PORT: String(port) }, logFile, options.until ?? 'started');
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
    const [command, args] = process.env.FORWARDER_BUILT === '1'
      ? ['dist/server/cli.js', ['serve']]
      : [process.execPath, [...nodeArgs, '--import', 'tsx', 'server/src/cli.ts', 'serve']];
    const child = spawn(command, args, {
      cwd: PROJECT_ROOT, env: { PATH: process.env.PATH ?? '', ...this.env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    reapOnExit(child);
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    this.child = child;
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`forwarder exited with ${child.exitCode}; see ${this.logFile}`);
      try {
        const health = await fetch(`${this.url}/healthz`);
        if (health.ok && (this.until === 'listening' || ((await health.json()) as { status?: string }).status === 'ok')) return;
      } catch {
        // not listening yet
      }
      await sleep(50);
    }
    // A forwarder left running would keep the test process (and its servers) alive.
    await this.stop('SIGKILL');
    throw new Error(`forwarder did not answer /healthz as started within 20 s; see ${this.logFile}`);
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
    return fetch(`${this.url}${path}`, { ...init, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });
  }
}

/** Polls until `check` is true; fails with `what` after the timeout. */
export async function eventually(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}
