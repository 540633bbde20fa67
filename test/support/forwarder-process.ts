/** The forwarder as a real child process (`serve`), as an operator runs it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './redis-server.js';
import { PROJECT_ROOT } from './shared-fixtures.js';

export const INGEST_TOKEN = 'ingest-token-0123456789abcdef';
export const ADMIN_TOKEN = 'admin-token-0123456789abcdef';
export const STATUS_TOKEN = 'status-token-0123456789abcdef';

export class ForwarderProcess {
  private child: ChildProcess | undefined;
  readonly url: string;

  private constructor(readonly port: number, private readonly env: Record<string, string>, private readonly logFile: string) {
    this.url = `http://127.0.0.1:${port}`;
  }

  static async start(env: Record<string, string>, logFile: string): Promise<ForwarderProcess> {
    const port = env.PORT ? Number(env.PORT) : await freePort();
    const forwarder = new ForwarderProcess(port, { INGEST_TOKEN, ADMIN_TOKEN, STATUS_TOKEN, LOG_LEVEL: 'info', ...env, PORT: String(port) }, logFile);
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
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    this.child = child;
    for (let i = 0; i < 200; i++) {
      if (child.exitCode !== null) throw new Error(`forwarder exited with ${child.exitCode}; see ${this.logFile}`);
      try {
        if ((await fetch(`${this.url}/healthz`)).ok) return;
      } catch {
        // not listening yet
      }
      await sleep(50);
    }
    throw new Error(`forwarder did not answer /healthz; see ${this.logFile}`);
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

/** Polls until `check` is true; fails with `what` after the timeout. */
export async function eventually(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}
