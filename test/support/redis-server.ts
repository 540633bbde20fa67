/** A real Debian redis-server on a free port in a temporary folder, AOF on, for one test file. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export class RedisServer {
  private process: ChildProcess | undefined;

  private constructor(readonly port: number, readonly dir: string) {}

  static async start(): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), await mkdtemp(join(tmpdir(), 'mae-redis-')));
    await server.launch();
    return server;
  }

  get pid(): number | undefined {
    return this.process?.pid;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  private async launch(): Promise<void> {
    this.process = spawn('redis-server', [
      '--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--appendonly', 'yes',
      '--appendfsync', 'always', '--save', '', '--maxmemory-policy', 'noeviction',
    ], { stdio: 'ignore' });
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
    await this.halt('SIGKILL');
    await this.launch();
  }

  /** Stops Redis and removes its data folder. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await this.halt(signal);
    await rm(this.dir, { recursive: true, force: true });
  }

  private async halt(signal: NodeJS.Signals): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill(signal);
    // Redis may refuse a SIGTERM (e.g. while it writes an AOF); a test run must not hang on it.
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}
