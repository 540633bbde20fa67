/**
 * A Redis Cluster on free ports: three masters with a replica each (AOF on), made with
 * `redis-cli --cluster create … --cluster-replicas 1`, cluster-node-timeout 1000 ms so that a
 * master's replica takes over within seconds.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { eventually } from './eventually.js';
import { RedisServer } from './redis-server.js';

const NODE_TIMEOUT_MS = 1000;

export class RedisClusterSetup {
  private constructor(readonly nodes: RedisServer[]) {}

  static async start(): Promise<RedisClusterSetup> {
    const nodes = await Promise.all(Array.from({ length: 6 }, () => RedisServer.start({
      args: (dir) => ['--cluster-enabled', 'yes', '--cluster-config-file', `${dir}/nodes.conf`, '--cluster-node-timeout', String(NODE_TIMEOUT_MS)],
    })));
    const setup = new RedisClusterSetup(nodes);
    const create = spawn('redis-cli', ['--cluster', 'create', ...nodes.map((node) => node.address), '--cluster-replicas', '1', '--cluster-yes'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    create.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    create.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const [code] = (await once(create, 'exit')) as [number | null];
    if (code !== 0) {
      await setup.stop();
      throw new Error(`redis-cli --cluster create failed (${code}): ${output}`);
    }
    await setup.waitUntilHealthy();
    return setup;
  }

  /** REDIS_CLUSTER_NODES for the forwarder. */
  get nodesSetting(): string {
    return this.nodes.map((node) => node.address).join(',');
  }

  /** The running node that serves `key`'s slot as master now. */
  async masterOf(key: string): Promise<RedisServer> {
    for (const node of this.nodes.filter((n) => n.running)) {
      const client = node.client();
      try {
        const slot = (await client.call('CLUSTER', 'KEYSLOT', key)) as number;
        const shards = (await client.call('CLUSTER', 'SLOTS')) as Array<[number, number, [string, number, ...unknown[]], ...unknown[]]>;
        const shard = shards.find(([from, to]) => slot >= from && slot <= to);
        const master = shard && this.nodes.find((n) => n.port === Number(shard[2][1]));
        if (master?.running) return master;
      } catch {
        // ask another node
      } finally {
        client.disconnect();
      }
    }
    throw new Error(`no running master serves the slot of ${key}`);
  }

  /** Waits until another node than `old` serves `key`'s slot and the cluster is ok again. */
  async waitForFailover(key: string, old: RedisServer, timeoutMs = 30_000): Promise<RedisServer> {
    let current = old;
    await eventually(async () => {
      current = await this.masterOf(key).catch(() => old);
      return current !== old && (await this.healthy());
    }, `a failover of ${key}'s slot away from port ${old.port}`, timeoutMs);
    return current;
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.stop('SIGKILL')));
  }

  /** cluster_state:ok everywhere, and (at the start) every master with a replica in sync. */
  private async healthy(replicasInSync = false): Promise<boolean> {
    const states = await Promise.all(this.nodes.filter((n) => n.running).map(async (node) => {
      const client = node.client();
      try {
        if (!/cluster_state:ok/.test((await client.call('CLUSTER', 'INFO')) as string)) return false;
        const replication = await client.info('replication');
        return !replicasInSync || !replication.includes('role:master') || /state=online/.test(replication);
      } catch {
        return false;
      } finally {
        client.disconnect();
      }
    }));
    return states.every(Boolean);
  }

  private async waitUntilHealthy(timeoutMs = 30_000): Promise<void> {
    try {
      await eventually(() => this.healthy(true), 'the cluster to reach cluster_state:ok', timeoutMs, 200);
    } catch (error) {
      await this.stop();
      throw error;
    }
  }
}
