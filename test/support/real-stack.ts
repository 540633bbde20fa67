/**
 * A real Elasticsearch node, a real Redis and the forwarder (`serve`) writing to the node, for the
 * tests of one `describe` block: started in its `before` hook, everything stopped in its `after`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { ElasticsearchNode, type ElasticsearchNodeOptions } from './elasticsearch-node.js';
import { ForwarderProcess } from './forwarder-process.js';
import { RedisServer } from './redis-server.js';

export interface RealStack {
  es: ElasticsearchNode;
  redis: RedisServer;
  dir: string;
  forwarder: ForwarderProcess;
  /** GET /v1/status of the forwarder. */
  status(): Promise<any>;
}

/** `node`: the node's options; `env`: the forwarder's settings beyond Redis, Elasticsearch and DATA_DIR. */
export function realStack(node: ElasticsearchNodeOptions, env: Record<string, string> = {}): RealStack {
  const stack = { status: async () => (await stack.forwarder.admin('/v1/status')).json() } as RealStack;
  before(async () => {
    [stack.es, stack.redis] = await Promise.all([ElasticsearchNode.start(node), RedisServer.start()]);
    stack.dir = await mkdtemp(join(tmpdir(), 'mae-real-stack-'));
    stack.forwarder = await ForwarderProcess.start({ REDIS_URL: stack.redis.url, ELASTICSEARCH_URL: stack.es.url, DATA_DIR: stack.dir, ...env }, join(stack.dir, 'forwarder.log'));
  });
  after(async () => {
    await stack.forwarder?.stop();
    await Promise.all([stack.es?.stop(), stack.redis?.stop()]);
    if (stack.dir) await rm(stack.dir, { recursive: true, force: true });
  });
  return stack;
}
