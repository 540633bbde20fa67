/** The REST routes the emulator answers, each turning a decoded request into an ES-shaped reply. */
import type { FaultPlan } from './contract.js';
import { runBulk } from './bulk.js';
import { clusterHealth, clusterInfo, nodesInfo } from './cluster-info.js';
import type { EmulatedCluster, IndexTarget } from './cluster.js';
import { missingHandler } from './distribution.js';
import { badRequest, cause, EsError, indexNotFound } from './es-errors.js';
import { countDocs, searchDocs } from './search.js';
import { hasWildcard } from './wildcard.js';

export interface EsRequest {
  method: string;
  /** Decoded path segments: `/logs-x/_bulk` → ['logs-x', '_bulk']. */
  segments: string[];
  params: URLSearchParams;
  body: Buffer;
}

export interface EsReply {
  status: number;
  body: unknown;
}

type Handler = (request: EsRequest, args: Record<string, string>) => EsReply;

interface Route {
  pattern: readonly string[];
  methods: Readonly<Record<string, Handler>>;
}

const ACKNOWLEDGED = { acknowledged: true };

export function createRouter(cluster: EmulatedCluster, plan: () => FaultPlan): (request: EsRequest) => EsReply {
  const integTest = cluster.flavor === 'integ-test';
  const major = cluster.versionParts[0];
  const uriOf = (request: EsRequest) => `/${request.segments.map(encodeURIComponent).join('/')}`;
  /** A route whose module the integ-test distribution lacks (rest-root, data-streams). */
  const module = (allowed: string | undefined, handler: Handler): Handler => (integTest ? (request) => { throw missingHandler(request.method, uriOf(request), allowed); } : handler);
  const info: Handler = module('DELETE', () => ok(clusterInfo(cluster)));
  const dataStreamAllowed = major >= 9 ? undefined : 'POST';
  const nodes: Handler = (_request, { metric }) => ok(nodesInfo(cluster, metric));
  const health: Handler = () => ok(clusterHealth(cluster, cluster.resolve(undefined, false).length));
  const bulk: Handler = (request, { target }) => {
    cluster.recordPipeline(request.params.get('pipeline'));
    return ok(runBulk(cluster, request.body.toString('utf8'), target, plan()));
  };
  const count: Handler = (request, { target }) => ok(countDocs(cluster.resolve(target, true), jsonBody(request), request.params));
  const search: Handler = (request, { target }) => ok(searchDocs(cluster.resolve(target, true), jsonBody(request), request.params));
  const refresh: Handler = (_request, { target }) => {
    const targets = cluster.resolve(target, true);
    return ok({ _shards: { total: targets.length * 2, successful: targets.length, failed: 0 } });
  };

  const routes: Route[] = [
    { pattern: [], methods: { GET: info, HEAD: info } },
    { pattern: ['_cluster', 'health'], methods: { GET: health } },
    { pattern: ['_cluster', 'health', ':target'], methods: { GET: health } },
    { pattern: ['_index_template'], methods: { GET: () => ok({ index_templates: cluster.getTemplates() }) } },
    {
      pattern: ['_index_template', ':name'],
      methods: {
        PUT: putTemplate, POST: putTemplate,
        GET: (_request, { name }) => ok({ index_templates: cluster.getTemplates(name) }),
        HEAD: (_request, { name }) => ok({ index_templates: cluster.getTemplates(name) }),
        DELETE: (_request, { name = '' }) => deleteTemplate(name),
      },
    },
    {
      pattern: ['_data_stream'],
      methods: {
        GET: integTest
          ? () => { throw badRequest('invalid_index_name_exception', "Invalid index name [_data_stream], must not start with '_'.", { index_uuid: '_na_', index: '_data_stream' }); }
          : () => ok({ data_streams: cluster.dataStreams().map(renderDataStream) }),
      },
    },
    {
      pattern: ['_data_stream', ':name'],
      methods: {
        PUT: module(dataStreamAllowed, (_request, { name = '' }) => (cluster.createDataStream(name), ok(ACKNOWLEDGED))),
        GET: module(dataStreamAllowed, (_request, { name = '' }) => getDataStreams(name)),
        DELETE: module(dataStreamAllowed, (_request, { name = '' }) => (cluster.deleteDataStream(name), ok(ACKNOWLEDGED))),
      },
    },
    { pattern: ['_nodes'], methods: { GET: nodes } },
    { pattern: ['_nodes', 'plugins'], methods: { GET: (request) => nodes(request, { metric: 'plugins' }) } },
    { pattern: ['_nodes', ':node'], methods: { GET: nodes } },
    { pattern: ['_nodes', ':node', ':metric'], methods: { GET: nodes } },
    { pattern: ['_nodes', '_local'], methods: { GET: nodes } },
    { pattern: ['_nodes', '_local', ':metric'], methods: { GET: nodes } },
    { pattern: ['_resolve', 'index', ':name'], methods: { GET: (_request, { name = '' }) => ok(resolveIndex(name)) } },
    { pattern: [':target', '_mapping'], methods: { GET: (_request, { target = '' }) => ok(getMappings(target)) } },
    { pattern: ['_bulk'], methods: { POST: bulk, PUT: bulk } },
    { pattern: [':target', '_bulk'], methods: { POST: bulk, PUT: bulk } },
    { pattern: ['_count'], methods: { GET: count, POST: count } },
    { pattern: [':target', '_count'], methods: { GET: count, POST: count } },
    { pattern: ['_search'], methods: { GET: search, POST: search } },
    { pattern: [':target', '_search'], methods: { GET: search, POST: search } },
    { pattern: ['_refresh'], methods: { GET: refresh, POST: refresh } },
    { pattern: [':target', '_refresh'], methods: { GET: refresh, POST: refresh } },
  ];

  function putTemplate(request: EsRequest, { name = '' }: Record<string, string>): EsReply {
    cluster.putTemplate(name, jsonBody(request), request.params.get('create') === 'true');
    return ok(ACKNOWLEDGED);
  }

  function deleteTemplate(name: string): EsReply {
    const found = cluster.getTemplates(name);
    for (const { name: templateName } of found) {
      const users = cluster.dataStreams().filter((ds) => ds.templateName === templateName).map((ds) => ds.name);
      if (users.length > 0) {
        throw badRequest('illegal_argument_exception', `unable to remove composable templates [${templateName}] as they are in use by a data streams [${users.join(', ')}]`);
      }
    }
    for (const { name: templateName } of found) cluster.templates.delete(templateName);
    return ok(ACKNOWLEDGED);
  }

  function resolveIndex(expression: string): Record<string, unknown> {
    const targets = cluster.resolve(expression, true);
    return {
      indices: targets.filter((t) => t.kind === 'index').map((t) => ({ name: t.name, attributes: ['open'] })),
      aliases: [],
      data_streams: targets.filter((t) => t.kind === 'data_stream').map((t) => ({ name: t.name, backing_indices: [t.indexName], timestamp_field: '@timestamp' })),
    };
  }

  /** The mappings a target was created with (the emulator learns no dynamic fields), by backing index. */
  function getMappings(expression: string): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    for (const target of cluster.resolve(expression, true)) {
      const mappings = (target.mappings ?? {}) as Record<string, unknown>;
      result[target.indexName] = { mappings: target.kind === 'data_stream' ? { _data_stream_timestamp: { enabled: true }, ...mappings } : mappings };
    }
    return result;
  }

  function getDataStreams(name: string): EsReply {
    const found = cluster.dataStreams(name);
    if (found.length === 0 && !hasWildcard(name)) throw indexNotFound(name);
    return ok({ data_streams: found.map(renderDataStream) });
  }

  return (request) => {
    let allowed: string[] | undefined;
    for (const route of routes) {
      const args = match(route.pattern, request.segments);
      if (!args) continue;
      const handler = route.methods[request.method];
      if (handler) return handler(request, args);
      allowed ??= Object.keys(route.methods);
    }
    const uri = `/${request.segments.map(encodeURIComponent).join('/')}`;
    if (allowed) {
      throw new EsError(405, cause('illegal_argument_exception', `Incorrect HTTP method for uri [${uri}] and method [${request.method}], allowed: [${allowed.join(', ')}]`));
    }
    throw badRequest('illegal_argument_exception', `no handler found for uri [${uri}] and method [${request.method}] (not emulated)`);
  };
}

/** Placeholders take any segment but the reserved `_name`s, so `/_bulk` never reads as an index. */
function match(pattern: readonly string[], segments: readonly string[]): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  const args: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const want = pattern[i]!;
    const got = segments[i]!;
    if (want.startsWith(':')) {
      if (got.startsWith('_') && got !== '_all') return undefined;
      args[want.slice(1)] = got;
    } else if (want !== got) {
      return undefined;
    }
  }
  return args;
}

function renderDataStream(target: IndexTarget): Record<string, unknown> {
  const lifecycle = target.lifecycle && typeof target.lifecycle === 'object' ? { enabled: true, ...target.lifecycle } : undefined;
  const managedBy = lifecycle ? 'Data stream lifecycle' : 'Unmanaged';
  return {
    name: target.name,
    timestamp_field: { name: '@timestamp' },
    indices: [{ index_name: target.indexName, index_uuid: target.uuid, prefer_ilm: true, managed_by: managedBy }],
    generation: 1,
    status: 'GREEN',
    template: target.templateName,
    hidden: false,
    system: false,
    allow_custom_routing: false,
    replicated: false,
    rollover_on_write: false,
    next_generation_managed_by: managedBy,
    prefer_ilm: true,
    ...(lifecycle ? { lifecycle } : {}),
  };
}

function jsonBody(request: EsRequest): unknown {
  if (request.body.length === 0) return undefined;
  try {
    return JSON.parse(request.body.toString('utf8'));
  } catch (error) {
    throw badRequest('x_content_parse_exception', `[1:1] ${(error as Error).message}`);
  }
}

function ok(body: unknown): EsReply {
  return { status: 200, body };
}
