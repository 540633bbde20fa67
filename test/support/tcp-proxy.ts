/**
 * A TCP proxy on a free port that can hold back what its target sends: a slow network link in a
 * test. Used between a Redis master and its replica, it makes real replication lag: while held,
 * the replica receives nothing new (and so acknowledges nothing new); cut() then drops what was
 * held, as a crash of the master drops what it had not sent yet.
 */
import { once } from 'node:events';
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export class TcpProxy {
  private held = false;
  private readonly links = new Set<{ client: Socket; upstream: Socket; backlog: Buffer[] }>();

  private constructor(private readonly server: Server, readonly port: number) {}

  static async start(targetPort: number): Promise<TcpProxy> {
    let proxy: TcpProxy | undefined;
    const server = createServer((client) => proxy?.link(client, targetPort));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    proxy = new TcpProxy(server, (server.address() as { port: number }).port);
    return proxy;
  }

  /** From now on the target's bytes wait in the proxy instead of reaching the client. */
  hold(): void {
    this.held = true;
  }

  /** Drops every connection and what it held back; new connections pass freely. */
  cut(): void {
    this.held = false;
    for (const link of this.links) {
      link.client.destroy();
      link.upstream.destroy();
    }
    this.links.clear();
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private link(client: Socket, targetPort: number): void {
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    const link = { client, upstream, backlog: [] as Buffer[] };
    this.links.add(link);
    client.on('data', (chunk: Buffer) => upstream.write(chunk));
    upstream.on('data', (chunk: Buffer) => {
      if (this.held) link.backlog.push(chunk);
      else client.write(chunk);
    });
    const end = () => {
      this.links.delete(link);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      socket.on('error', end);
      socket.on('close', end);
    }
  }
}
