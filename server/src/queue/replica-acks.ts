/**
 * A write the forwarder acknowledges (a 202, a moved checkpoint) must survive the loss of the
 * Redis master. Redis replicates asynchronously, so after the write we ask the master to wait
 * until its replicas hold it (WAIT, bounded by REDIS_WAIT_TIMEOUT_MS) and fail when fewer than
 * required confirm: the caller answers 503 and the client sends again (the same records give the
 * same document ids, so a write that did survive is not indexed twice).
 *
 * Required replicas: REDIS_MIN_REPLICAS, or by default every replica the master reports connected
 * (0 for a lone Redis, where there is nothing to wait for), remembered a while after one drops
 * off (replica-count.ts). A replica still in its first sync counts: until it holds the data,
 * losing the master would lose the record, so the webhook answers 503 meanwhile.
 *
 * WAIT counts the replicas that reached the last write *of its own connection*: sent on another
 * connection (after a reconnect, or to another node after a Cluster failover) it would confirm
 * nothing. So the write and its WAIT must go to the same node over the same socket: we note the
 * node (Cluster: the master of the queue's slot) and its connection generation before the write,
 * and refuse the confirmation if either changed by the time WAIT answers. Callers of one node
 * share WAITs: one sent after a write resolved covers it, so concurrent writes wait together.
 */
import type { Cluster, Redis } from 'ioredis';
import type { RedisClient } from './redis-connection.js';
import { ReplicaCount } from './replica-count.js';

export class ReplicasNotConfirmedError extends Error {
  override readonly name = 'ReplicasNotConfirmedError';
}

export interface ReplicaAcksOptions {
  /** undefined: every replica the master reports connected. */
  minReplicas: number | undefined;
  timeoutMs: number;
  /** A key in the queue's hash slot: on a Cluster, WAIT goes to the master of that slot. */
  slotKey: string;
}

interface Target {
  node: Redis;
  generation: number;
}

interface WaitResult {
  required: number;
  acknowledged: number;
}

export class ReplicaAcks {
  private readonly generations = new WeakMap<Redis, { value: number }>();
  private readonly waits = new WeakMap<Redis, SharedWait>();
  private readonly replicaCount = new ReplicaCount();
  private slot: Promise<number> | undefined;

  constructor(private readonly client: RedisClient, private readonly options: ReplicaAcksOptions) {}

  /** Runs `write` (commands on this client) and resolves once enough replicas hold it. */
  async durably<T>(write: () => Promise<T>): Promise<T> {
    const before = await this.target();
    const result = await write();
    const { required, acknowledged } = await this.sharedWait(before.node).request();
    const after = await this.target();
    if (after.node !== before.node || after.generation !== before.generation) {
      throw new ReplicasNotConfirmedError('the Redis connection changed (reconnect or failover) before the write was confirmed');
    }
    if (acknowledged < required) {
      throw new ReplicasNotConfirmedError(`${acknowledged} of ${required} Redis replicas confirmed the write within ${this.options.timeoutMs} ms`);
    }
    return result;
  }

  /** Replicas a write must reach now, for /v1/status. */
  async required(): Promise<number> {
    const { node } = await this.target();
    return this.options.minReplicas ?? (await this.replicaCount.required(node));
  }

  private async target(): Promise<Target> {
    const node = isCluster(this.client) ? await this.slotMaster(this.client) : this.client;
    return { node, generation: this.generation(node).value };
  }

  private async slotMaster(cluster: Cluster): Promise<Redis> {
    this.slot ??= (cluster.cluster('KEYSLOT', this.options.slotKey) as Promise<number>).catch((error: unknown) => {
      this.slot = undefined;
      throw error;
    });
    const slot = await this.slot;
    // The node commands for the slot go to: the slot map's first entry, among all nodes (a MOVED
    // updates the map before the pool learns the node's new role).
    const find = () => {
      const key = cluster.slots[slot]?.[0];
      return key === undefined ? undefined : cluster.nodes('all').find((n) => `${n.options.host}:${n.options.port}` === key);
    };
    // After a failover the map may name a node the pool has no connection to yet: a keyed read
    // goes through the Cluster's own routing (MOVED included), which connects it.
    const node = find() ?? (await cluster.exists(this.options.slotKey).then(find, () => undefined));
    if (!node) throw new ReplicasNotConfirmedError('no Redis Cluster master is known for the queue\'s slot (failover under way?)');
    return node;
  }

  private generation(node: Redis): { value: number } {
    let generation = this.generations.get(node);
    if (!generation) {
      const counter = { value: 0 };
      node.on('close', () => counter.value++);
      this.generations.set(node, counter);
      generation = counter;
    }
    return generation;
  }

  private sharedWait(node: Redis): SharedWait {
    let shared = this.waits.get(node);
    if (!shared) {
      shared = new SharedWait(async () => {
        const required = this.options.minReplicas ?? (await this.replicaCount.required(node));
        if (required === 0) return { required, acknowledged: 0 };
        return { required, acknowledged: await node.wait(required, this.options.timeoutMs) };
      });
      this.waits.set(node, shared);
    }
    return shared;
  }
}

function isCluster(client: RedisClient): client is Cluster {
  return (client as Cluster).isCluster === true;
}

/** WAITs of one node, shared: a caller is covered by the first WAIT sent after it asked. */
class SharedWait {
  private inFlight: Promise<WaitResult> | undefined;
  private next: Promise<WaitResult> | undefined;

  constructor(private readonly send: () => Promise<WaitResult>) {}

  request(): Promise<WaitResult> {
    if (!this.inFlight) {
      const sent = this.send().finally(() => {
        if (this.inFlight === sent) this.inFlight = undefined;
      });
      this.inFlight = sent;
      return sent;
    }
    this.next ??= this.inFlight.catch(() => undefined).then(() => {
      this.next = undefined;
      return this.request();
    });
    return this.next;
  }
}
