/**
 * Elastic's two geoip processors (and the renames after them), as its pipeline configures them,
 * reading our test City and ASN databases in the oracle node, against our maxmind lookup of the
 * same databases: source.geo.* and source.as.* for each address.
 */
import type { OracleNode } from './oracle-node.js';
import { installGeoIpPipeline, simulate } from './oracle-pipeline.js';
import { testGeoLookup } from './geoip-fixtures.js';
import { flatten } from './parity.js';

export interface GeoIpAgreement {
  addresses: number;
  identical: number;
  differing: Array<{ ip: string; elastic: unknown; ours: unknown }>;
}

export async function geoIpAgreement(node: OracleNode, addresses: readonly string[]): Promise<GeoIpAgreement> {
  await installGeoIpPipeline(node, 'mattermost-audit-parity-geoip');
  const docs = await simulate(node, 'mattermost-audit-parity-geoip', addresses.map((ip) => ({ source: { ip } })));
  const lookup = await testGeoLookup();
  const differing: GeoIpAgreement['differing'] = [];
  for (const [i, ip] of addresses.entries()) {
    const source = (docs[i]!.source as { source?: Record<string, unknown> } | undefined)?.source ?? { error: docs[i]!.error };
    const elastic = { geo: source.geo, as: source.as, error: source.error };
    const found = lookup(ip);
    const ours = { geo: found?.geo, as: found?.as, error: undefined };
    if (JSON.stringify([...flatten(elastic)].filter(([, v]) => v !== undefined).sort()) !== JSON.stringify([...flatten(ours)].filter(([, v]) => v !== undefined).sort())) {
      differing.push({ ip, elastic, ours });
    }
  }
  return { addresses: addresses.length, identical: addresses.length - differing.length, differing };
}
