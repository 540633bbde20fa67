/**
 * A real Elasticsearch node, a real Redis and the forwarder (`serve`) writing to the node, for the
 * tests of one `describe` block: started in its `before` hook, everything stopped in its `after`.
 */
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { PROJECT_ROOT } from './shared-fixtures.js';
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
    // The logs outlive the run in test-artifacts/, for a failure to be read afterwards.
    const artifacts = join(PROJECT_ROOT, 'test-artifacts', `${basename(process.argv[1] ?? 'test')}-${stack.es?.version ?? 'es'}-${basename(stack.dir ?? 'x')}`);
    await mkdir(artifacts, { recursive: true });
    await copyFile(join(stack.dir, 'forwarder.log'), join(artifacts, 'forwarder.log')).catch(() => undefined);
    await copyFile(join(stack.es?.dir ?? '', 'console.log'), join(artifacts, 'elasticsearch.log')).catch(() => undefined);
    await Promise.all([stack.es?.stop(), stack.redis?.stop()]);
    if (stack.dir) await rm(stack.dir, { recursive: true, force: true });
  });
  return stack;
}
