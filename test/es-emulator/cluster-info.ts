/** The bodies of `GET /` and `GET /_cluster/health`, with version details that fit the emulated version. */
import type { EmulatedCluster } from './cluster.js';
import { modulesOf } from './distribution.js';

/** Lucene versions of a few ES minors; between them the nearest lower entry is close enough. */
const LUCENE: ReadonlyArray<[string, string]> = [
  ['9.1', '10.2.1'], ['9.0', '10.1.0'], ['8.18', '9.12.1'], ['8.15', '9.11.1'], ['8.12', '9.9.2'],
  ['8.8', '9.6.0'], ['8.0', '9.0.0'], ['7.0', '8.0.0'],
];

export function clusterInfo(cluster: EmulatedCluster): Record<string, unknown> {
  const [major, minor] = cluster.versionParts;
  const lucene = LUCENE.find(([at]) => {
    const [m = 0, n = 0] = at.split('.').map(Number);
    return major > m || (major === m && minor >= n);
  })?.[1] ?? '9.0.0';
  return {
    name: cluster.name,
    cluster_name: cluster.clusterName,
    cluster_uuid: cluster.uuid,
    version: {
      number: cluster.version,
      build_flavor: 'default',
      build_type: 'docker',
      build_hash: '0000000000000000000000000000000000000000',
      build_date: '2024-01-01T00:00:00.000000000Z',
      build_snapshot: false,
      lucene_version: lucene,
      minimum_wire_compatibility_version: major >= 9 ? '8.18.0' : '7.17.0',
      minimum_index_compatibility_version: major >= 9 ? '8.0.0' : '7.0.0',
    },
    tagline: 'You Know, for Search',
  };
}

/**
 * A single node: yellow once it holds an index, whose replica (one by default) it cannot place,
 * as a real single node answers; green before. Red clusters are out of scope.
 */
export function clusterHealth(cluster: EmulatedCluster, shards: number): Record<string, unknown> {
  return {
    cluster_name: cluster.clusterName,
    status: shards > 0 ? 'yellow' : 'green',
    timed_out: false,
    number_of_nodes: 1,
    number_of_data_nodes: 1,
    active_primary_shards: shards,
    active_shards: shards,
    relocating_shards: 0,
    initializing_shards: 0,
    unassigned_shards: shards,
    unassigned_primary_shards: 0,
    delayed_unassigned_shards: 0,
    number_of_pending_tasks: 0,
    number_of_in_flight_fetch: 0,
    task_max_waiting_in_queue_millis: 0,
    active_shards_percent_as_number: shards > 0 ? 50.0 : 100.0,
  };
}

/** `GET _nodes[/_local][/plugins]`: the one node, with its modules when asked for plugins (or everything). */
export function nodesInfo(cluster: EmulatedCluster, metric: string | undefined): Record<string, unknown> {
  const node: Record<string, unknown> = {
    name: cluster.name, transport_address: '127.0.0.1:9300', host: '127.0.0.1', ip: '127.0.0.1',
    version: cluster.version, build_flavor: 'default', build_type: 'tar', roles: ['data', 'ingest', 'master'],
  };
  if (metric === undefined || metric === 'plugins' || metric === '_all') {
    node.plugins = [];
    node.modules = modulesOf(cluster.flavor).map((name) => ({ name, version: cluster.version, description: name, classname: name }));
  }
  return { _nodes: { total: 1, successful: 1, failed: 0 }, cluster_name: cluster.clusterName, nodes: { [cluster.nodeId]: node } };
}
