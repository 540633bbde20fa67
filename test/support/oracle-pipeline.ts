/**
 * Elastic's ingest pipeline for the Mattermost audit data stream, installed in the oracle node and
 * run with `_simulate`. A node older than the pipeline (our 7.10.2) lacks two of its processors;
 * only those are adapted, and the comparison is told what the oracle could not judge:
 * - `uri_parts` (7.12+) is left out: url.* is then not compared (uri_parts runs with
 *   ignore_failure, so nothing after it depends on it).
 * - `convert` to `ip` (7.13+) is replaced by a copy of source.address into source.ip that a geoip
 *   processor then checks with Elastic's own address parser (InetAddresses), removing it when the
 *   address is not one — what convert's ignore_failure leaves.
 */
import { readFileSync } from 'node:fs';
import type { OracleNode } from './oracle-node.js';
import { sharedFixture } from './shared-fixtures.js';

type Processor = Record<string, Record<string, unknown>>;
interface Pipeline {
  description?: string;
  processors: Processor[];
  on_failure?: Processor[];
}

export interface InstalledPipeline {
  id: string;
  /** Fields the oracle cannot judge (dotted prefixes), because a processor had to be left out. */
  unjudged: string[];
  adaptations: string[];
}

export function elasticPipeline(): Pipeline {
  return JSON.parse(readFileSync(sharedFixture('elastic', 'ingest-pipeline-default.json'), 'utf8')) as Pipeline;
}

const CONVERT_IP_SUBSTITUTE: Processor[] = [
  {
    script: {
      tag: 'oracle: convert source.address to ip (copy)',
      if: 'ctx.source?.address != null',
      // As convert does: a list is converted item by item, anything else by its text.
      source: 'def a = ctx.source.address; if (a instanceof List) { def l = new ArrayList(); for (def x : a) { l.add(String.valueOf(x)); } ctx.source.ip = l; } else { ctx.source.ip = String.valueOf(a); }',
    },
  },
  {
    geoip: {
      tag: 'oracle: convert source.address to ip (check)',
      field: 'source.ip',
      target_field: '_oracle_ip_check',
      ignore_missing: true,
      on_failure: [{ remove: { field: 'source.ip' } }],
    },
  },
  { remove: { field: '_oracle_ip_check', ignore_missing: true } },
];

/** Installs Elastic's pipeline under `id`, adapted to what the node lacks. */
export async function installElasticPipeline(node: OracleNode, id: string): Promise<InstalledPipeline> {
  const pipeline = elasticPipeline();
  const unjudged: string[] = [];
  const adaptations: string[] = [];
  const processors: Processor[] = [];
  const convertsToIp = node.processors.has('convert') && versionAtLeast(node.version, 7, 13);
  for (const processor of pipeline.processors) {
    const [type, config] = Object.entries(processor)[0]!;
    if (type === 'uri_parts' && !node.processors.has('uri_parts')) {
      unjudged.push('url');
      adaptations.push('uri_parts left out: url.* not compared');
    } else if (type === 'convert' && config.type === 'ip' && !convertsToIp) {
      processors.push(...CONVERT_IP_SUBSTITUTE);
      adaptations.push("convert to ip replaced by a copy checked with Elastic's address parser (geoip)");
    } else {
      processors.push(processor);
    }
  }
  await node.request(`/_ingest/pipeline/${id}`, 'PUT', { ...pipeline, processors });
  return { id, unjudged, adaptations };
}

/** A pipeline of the user_agent processor alone, as Elastic's pipeline configures it. */
export async function installUserAgentPipeline(node: OracleNode, id: string): Promise<void> {
  await node.request(`/_ingest/pipeline/${id}`, 'PUT', {
    processors: [{ user_agent: { field: 'ua', target_field: 'user_agent', ignore_missing: true } }],
  });
}

/** A pipeline of Elastic's two geoip processors (and the renames after them) alone. */
export async function installGeoIpPipeline(node: OracleNode, id: string): Promise<void> {
  const processors = elasticPipeline().processors.filter((p) => {
    const [type, config] = Object.entries(p)[0]!;
    return type === 'geoip' || (type === 'rename' && String(config.field).startsWith('source.as.'));
  });
  await node.request(`/_ingest/pipeline/${id}`, 'PUT', { processors });
}

export interface SimulatedDoc {
  source?: Record<string, unknown>;
  error?: unknown;
}

/** `_simulate` of many documents, in batches the node takes in one request. */
export async function simulate(node: OracleNode, id: string, sources: object[], batch = 500): Promise<SimulatedDoc[]> {
  const out: SimulatedDoc[] = [];
  for (let i = 0; i < sources.length; i += batch) {
    const docs = sources.slice(i, i + batch).map((source) => ({ _source: source }));
    const answer = await node.request(`/_ingest/pipeline/${id}/_simulate`, 'POST', { docs }) as {
      docs: Array<{ doc?: { _source: Record<string, unknown> }; error?: unknown }>;
    };
    for (const doc of answer.docs) out.push(doc.doc ? { source: doc.doc._source } : { error: doc.error });
  }
  return out;
}

function versionAtLeast(version: string, major: number, minor: number): boolean {
  const [a = 0, b = 0] = version.split('.').map(Number);
  return a > major || (a === major && b >= minor);
}
