/**
 * A real Debian redis-server on a free port in a temporary folder, AOF on, for one test file.
 * Extra arguments make it a replica, a cluster node or (with a config file) a sentinel; see
 * redis-sentinel.ts and redis-cluster.ts. A server still running when the test process ends is
 * killed (child-reaper.ts), so a failed test leaves no Redis behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { reapOnExit } from './child-reaper.js';

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface RedisServerOptions {
  /** More redis-server arguments, e.g. ['--replicaof', '127.0.0.1', '6379'] or cluster settings. */
  args?: (dir: string, port: number) => string[];
  /** A config file written before the start (a sentinel needs one it can rewrite). */
  configFile?: (dir: string, port: number) => Promise<string>;
  /** `redis-server <config> --sentinel`. */
  sentinel?: boolean;
  /** A port chosen beforehand (e.g. one a forwarder was told about before Redis existed). */
  port?: number;
}

export class RedisServer {
  private process: ChildProcess | undefined;

  private constructor(readonly port: number, readonly dir: string, private readonly options: RedisServerOptions) {}

  static async start(options: RedisServerOptions = {}): Promise<RedisServer> {
    const server = new RedisServer(options.port ?? (await freePort()), await mkdtemp(join(tmpdir(), 'mae-redis-')), options);
    await server.launch();
    return server;
  }

  get pid(): number | undefined {
    return this.process?.pid;
  }

  get running(): boolean {
    return this.process !== undefined;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** A client for the test's own checks; the caller quits it. */
  client(): Redis {
    const client = new Redis({ port: this.port, maxRetriesPerRequest: 1, retryStrategy: () => null, lazyConnect: true });
    client.on('error', () => undefined);
    return client;
  }

  /** Starts the server (again, after kill()) on the same port and data. */
  async launch(): Promise<void> {
    const config = this.options.configFile ? [await this.options.configFile(this.dir, this.port)] : [];
    const args = this.options.sentinel
      ? [...config, '--sentinel', '--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir]
      : [
        ...config, '--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--appendonly', 'yes',
        '--appendfsync', 'always', '--save', '', '--maxmemory-policy', 'noeviction',
        // A replica syncs at once (Redis 7 waits 5 s for more replicas to share a diskless sync).
        '--repl-diskless-sync-delay', '0', ...(this.options.args?.(this.dir, this.port) ?? []),
      ];
    const child = spawn('redis-server', args, { stdio: 'ignore' });
    this.process = child;
    reapOnExit(child);
    const client = new Redis({ port: this.port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    // Refused connections are the expected answer until the server is up; connect() reports them.
    client.on('error', () => undefined);
    for (let i = 0; i < 100; i++) {
      try {
        await client.connect();
        await client.ping();
        client.disconnect();
        return;
      } catch {
        client.disconnect();
        await sleep(50);
      }
    }
    throw new Error(`redis-server did not start on port ${this.port}`);
  }

  /** Stops Redis as a crash would (SIGKILL) and starts it again on the same port and data. */
  async restart(): Promise<void> {
    await this.kill();
    await this.launch();
  }

  /** SIGSTOP: the server keeps its connections but answers nothing (a hung host); resume() ends it. */
  pause(): void {
    this.process?.kill('SIGSTOP');
  }

  resume(): void {
    this.process?.kill('SIGCONT');
  }

  /** kill -9, data kept: launch() brings it back. */
  async kill(): Promise<void> {
    await this.halt('SIGKILL');
  }

  /** Stops Redis and removes its data folder. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await this.halt(signal);
    await rm(this.dir, { recursive: true, force: true });
  }

  private async halt(signal: NodeJS.Signals): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGCONT');
    child.kill(signal);
    // Redis may refuse a SIGTERM (e.g. while it writes an AOF); a test run must not hang on it.
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}
