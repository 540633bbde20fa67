/**
 * A Redis Sentinel setup on free ports: a master, a replica (both AOF on) and three sentinels,
 * tuned to fail over within seconds (down-after-milliseconds 1000). The replica reads the master
 * through a TcpProxy (`replicaLink`), so a test can make it lag behind. start() returns once every
 * sentinel knows the replica and the two other sentinels (so a failover can be voted for) and
 * the replica is in sync.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { eventually } from './eventually.js';
import { RedisServer } from './redis-server.js';
import { TcpProxy } from './tcp-proxy.js';

const DOWN_AFTER_MS = 1000;

/** Data nodes get a config file: a promoted replica's CONFIG REWRITE needs one. */
const dataNodeConfig = async (dir: string) => {
  const path = join(dir, 'redis.conf');
  await writeFile(path, '');
  return path;
};

export class RedisSentinelSetup {
  private constructor(readonly name: string, readonly nodes: RedisServer[], readonly sentinels: RedisServer[], readonly replicaLink: TcpProxy) {}

  static async start(name = 'mymaster'): Promise<RedisSentinelSetup> {
    const master = await RedisServer.start({ configFile: dataNodeConfig });
    const replicaLink = await TcpProxy.start(master.port);
    const replica = await RedisServer.start({ configFile: dataNodeConfig, args: () => ['--replicaof', '127.0.0.1', String(replicaLink.port)] });
    const sentinels: RedisServer[] = [];
    for (let i = 0; i < 3; i++) {
      sentinels.push(await RedisServer.start({
        sentinel: true,
        configFile: async (dir) => {
          const path = join(dir, 'sentinel.conf');
          await writeFile(path, [
            `sentinel monitor ${name} 127.0.0.1 ${master.port} 2`,
            `sentinel down-after-milliseconds ${name} ${DOWN_AFTER_MS}`,
            // Also how long sentinels leave a replica following another address than the master's
            // (here: the proxy) before they "fix" it: long enough for a test to use the proxy.
            `sentinel failover-timeout ${name} 180000`,
            `sentinel parallel-syncs ${name} 1`,
            '',
          ].join('\n'));
          return path;
        },
      }));
    }
    const setup = new RedisSentinelSetup(name, [master, replica], sentinels, replicaLink);
    await setup.waitUntilMonitored();
    return setup;
  }

  /** REDIS_SENTINELS for the forwarder. */
  get sentinelsSetting(): string {
    return this.sentinels.map((sentinel) => sentinel.address).join(',');
  }

  /** The data node the sentinels name as master now. */
  async master(): Promise<RedisServer> {
    for (const sentinel of this.sentinels.filter((s) => s.running)) {
      const client = sentinel.client();
      try {
        const [, port] = (await client.call('SENTINEL', 'get-master-addr-by-name', this.name)) as [string, string];
        const node = this.nodes.find((n) => n.port === Number(port));
        if (node) return node;
      } catch {
        // ask the next sentinel
      } finally {
        client.disconnect();
      }
    }
    throw new Error('no sentinel names a master');
  }

  /** Waits until the sentinels have promoted another node than `old`, and it answers as master. */
  async waitForFailover(old: RedisServer, timeoutMs = 30_000): Promise<RedisServer> {
    let current = old;
    await eventually(async () => {
      current = await this.master().catch(() => old);
      return current !== old && (await role(current)) === 'master';
    }, `a failover away from port ${old.port}`, timeoutMs);
    return current;
  }

  /**
   * Starts a killed node again as a replica of the current master (as an operator does; the
   * sentinels would convert it themselves, but only after several of their periods) and waits
   * until it is in sync.
   */
  async rejoinAsReplica(node: RedisServer, timeoutMs = 30_000): Promise<void> {
    await node.launch();
    const master = await this.master();
    const client = node.client();
    try {
      await client.call('REPLICAOF', '127.0.0.1', String(master.port));
    } finally {
      client.disconnect();
    }
    await eventually(
      async () => (await info(node)).includes('master_link_status:up') && (await this.everySentinelSeesReplica(node)),
      `port ${node.port} as an in-sync replica known to the sentinels`, timeoutMs, 200,
    );
  }

  /** SENTINEL FAILOVER: a switch on purpose, the old master still up (it is demoted). */
  async failover(): Promise<void> {
    const client = this.sentinels[0]!.client();
    try {
      await client.call('SENTINEL', 'FAILOVER', this.name);
    } finally {
      client.disconnect();
    }
  }

  async stop(): Promise<void> {
    await Promise.all([...this.sentinels, ...this.nodes].map((server) => server.stop('SIGKILL')));
    await this.replicaLink.close();
  }

  /** Every sentinel lists `node` as a replica it could promote (up, link to its master ok). */
  private async everySentinelSeesReplica(node: RedisServer): Promise<boolean> {
    const seen = await Promise.all(this.sentinels.map(async (sentinel) => {
      const client = sentinel.client();
      try {
        const replicas = await Promise.all(((await client.call('SENTINEL', 'REPLICAS', this.name)) as unknown[]).map(fields));
        const entry = replicas.find((replica) => replica.get('port') === String(node.port));
        return entry !== undefined && entry.get('flags') === 'slave' && entry.get('master-link-status') === 'ok';
      } catch {
        return false;
      } finally {
        client.disconnect();
      }
    }));
    return seen.every(Boolean);
  }

  private async waitUntilMonitored(timeoutMs = 30_000): Promise<void> {
    await eventually(async () => {
      const views = await Promise.all(this.sentinels.map(async (sentinel) => {
        const client = sentinel.client();
        try {
          return await fields(await client.call('SENTINEL', 'master', this.name));
        } catch {
          return new Map<string, string>();
        } finally {
          client.disconnect();
        }
      }));
      const synced = /state=online/.test(await info(this.nodes[0]!));
      return synced && views.every((view) => view.get('num-slaves') === '1' && view.get('num-other-sentinels') === '2');
    }, 'the sentinels to find the replica and each other', timeoutMs, 200);
  }
}

async function fields(reply: unknown): Promise<Map<string, string>> {
  const list = reply as string[];
  const view = new Map<string, string>();
  for (let i = 0; i + 1 < list.length; i += 2) view.set(list[i]!, list[i + 1]!);
  return view;
}

async function info(node: RedisServer): Promise<string> {
  const client = node.client();
  try {
    return await client.info('replication');
  } catch {
    return '';
  } finally {
    client.disconnect();
  }
}

async function role(node: RedisServer): Promise<string | undefined> {
  return /role:(\w+)/.exec(await info(node))?.[1];
}
