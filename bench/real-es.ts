/**
 * The real Elasticsearch nodes of `make bench`, behind one interface so that each figure says
 * which node it ran on and where the CPU went:
 * - `current`: Elastic's 8.19.21 integ-test distribution (test/support/elasticsearch-node.ts),
 *   full JIT (quickStart: false), BENCH_ES_HEAP_MB heap (1024);
 * - `oracle`: Elastic's 7.10.2 with its ingest modules (test/support/oracle-node.ts), the only node
 *   here that can run Elastic's ingest pipeline, with the same heap; the forwarder reaches it
 *   through bench/es7-compat-proxy.ts.
 * A node that cannot start here (no JDK, no mvn, no download) ends the figure with one line.
 */
import { ElasticsearchNode, ElasticsearchSetupError, requestNode, type EsAnswer } from '../test/support/elasticsearch-node.js';
import { countOf } from '../test/support/elasticsearch-queries.js';
import { OracleSetupError } from '../test/support/oracle-distribution.js';
import { startOracle, type OracleNode } from '../test/support/oracle-node.js';
import { startEs7CompatProxy } from './es7-compat-proxy.js';
import { cpuSeconds } from './process-usage.js';

export type NodeKind = 'current' | 'oracle';

export const BENCH_ES_VERSION = '8.19.21';
const HEAP_MB = Number(process.env.BENCH_ES_HEAP_MB || 1024);
if (!Number.isInteger(HEAP_MB) || HEAP_MB < 256) throw new Error(`BENCH_ES_HEAP_MB must be an integer ≥ 256 (got ${JSON.stringify(process.env.BENCH_ES_HEAP_MB)})`);

export interface BenchNode {
  kind: NodeKind;
  /** The node itself: for rsyslog and our raw bulk clients. */
  url: string;
  port: number;
  /** What the forwarder is given as ELASTICSEARCH_URL: the node, or on 7.10.2 the compatibility proxy. */
  forwarderUrl: string;
  /** On 7.10.2: the forwarder's bulk requests as the proxy saw them (how many, the most at once). */
  forwarderBulkStats?: () => { requests: number; peakInFlight: number };
  version: string;
  /** Version, heap, JVM and settings, for the figure's details. */
  details: Record<string, unknown>;
  /** CPU seconds of the server JVM so far (all its threads). */
  cpuSeconds(): number;
  /** Documents indexed into `target` so far, from the indexing stats (no refresh): cheap to poll. */
  indexed(target: string): Promise<number>;
  /** Documents searchable in `target` (matching `query`) after a refresh: what a figure counts. */
  count(target: string, query?: unknown): Promise<number>;
  request<T = any>(method: string, path: string, body?: unknown): Promise<EsAnswer<T>>;
  /** The 7.10.2 node as the parity code knows it (its processors: for installing Elastic's pipeline). */
  oracle?: OracleNode;
  stop(): Promise<void>;
}

/**
 * Interrupted (make bench's SIGTERM, Ctrl-C): the same clean-up as a normal end. The nodes run in
 * process groups of their own, which the bench's group kill does not reach: they must be stopped.
 */
export function cleanUpOnSignal(cleanUp: () => Promise<void>): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void cleanUp().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143)));
  }
}

/** A node that cannot start here: one line on stderr, exit 1 (run.ts shows it as the reason). */
export async function startBenchNode(kind: NodeKind): Promise<BenchNode> {
  try {
    return kind === 'current' ? await startCurrent() : await startOracleNode();
  } catch (error) {
    if (error instanceof ElasticsearchSetupError || error instanceof OracleSetupError) {
      process.stderr.write(`${error.name}: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

async function startCurrent(): Promise<BenchNode> {
  const node = await ElasticsearchNode.start({ version: process.env.BENCH_ES_VERSION || BENCH_ES_VERSION, heapMb: HEAP_MB, quickStart: false });
  const request = <T>(method: string, path: string, body?: unknown) => node.request<T>(method, path, body);
  return {
    kind: 'current', url: node.url, port: Number(new URL(node.url).port), forwarderUrl: node.url, version: node.version,
    details: await describeNode(request, {
      distribution: `Elastic's integ-test zip ${node.version} (modules: ${node.distribution.modules.join(', ')})`,
      settings: 'single-node, loopback, security off, disk thresholds off, full JIT (C2), everything else default',
    }),
    cpuSeconds: () => cpuSeconds(node.serverPid),
    indexed: (target) => indexedDocuments(request, target),
    count: (target, query) => countOf(node, target, query),
    request,
    stop: () => node.stop(),
  };
}

async function startOracleNode(): Promise<BenchNode> {
  const oracle = await startOracle({ heapMb: HEAP_MB });
  // Its JVM runs in a process group of its own, which neither make bench's group kill nor the
  // forwarder harness's exit on SIGTERM reaches: it goes when this process goes, however it goes.
  const killOnExit = () => {
    try {
      const pid = oracle.serverPid();
      if (pid !== undefined) process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.once('exit', killOnExit);
  const proxy = await startEs7CompatProxy(oracle.url);
  const request: Request = (method, path, body) => requestNode(oracle.url, method, path, body);
  return {
    kind: 'oracle', url: oracle.url, port: Number(new URL(oracle.url).port), forwarderUrl: proxy.url, version: oracle.version,
    forwarderBulkStats: () => proxy.bulkStats(),
    oracle,
    details: await describeNode(request, {
      distribution: `Elastic's integ-test zip ${oracle.version} with its ingest-common, ingest-user-agent, ingest-geoip, lang-painless, lang-mustache modules (codelibs' jars)`,
      settings: 'single-node, loopback, disk thresholds off, no x-pack (no data streams: plain indices), everything else default',
      why: 'the only node here that can run Elastic\'s ingest pipeline: Maven Central\'s 8.x/9.x zips have no ingest processors',
    }),
    cpuSeconds: () => cpuSeconds(oracle.serverPid()),
    indexed: (target) => indexedDocuments(request, target),
    count: async (target, query) => {
      await request('POST', `/${target}/_refresh?ignore_unavailable=true`);
      const answer = await request('POST', `/${target}/_count?ignore_unavailable=true`, query ? { query } : undefined);
      if (answer.status !== 200) throw new Error(`_count ${target}: HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
      return answer.body.count as number;
    },
    request,
    stop: async () => {
      await proxy.close();
      await oracle.stop();
      process.off('exit', killOnExit);
    },
  };
}

type Request = <T = any>(method: string, path: string, body?: unknown) => Promise<EsAnswer<T>>;

async function describeNode(request: Request, about: Record<string, string>): Promise<Record<string, unknown>> {
  const answer = await request('GET', '/_nodes/_local/jvm,os?filter_path=nodes.*.version,nodes.*.jvm.version,nodes.*.jvm.mem.heap_max_in_bytes,nodes.*.os.allocated_processors');
  const node = Object.values(answer.body.nodes as Record<string, any>)[0];
  return {
    es_version: node.version, es_heap_mb: Math.round(node.jvm.mem.heap_max_in_bytes / 2 ** 20), es_jvm: node.jvm.version,
    es_processors: node.os.allocated_processors, es_distribution: about.distribution, es_settings: about.settings, ...(about.why ? { es_why: about.why } : {}),
  };
}

async function indexedDocuments(request: Request, target: string): Promise<number> {
  const answer = await request('GET', `/${target}/_stats/indexing?ignore_unavailable=true&filter_path=_all.primaries.indexing.index_total`);
  if (answer.status === 404) return 0;
  if (answer.status !== 200) throw new Error(`_stats ${target}: HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
  return (answer.body?._all?.primaries?.indexing?.index_total as number | undefined) ?? 0;
}
