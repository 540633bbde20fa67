/**
 * The differential test's engine: the same legacy lines through Elastic's pipeline in the oracle
 * node (`_simulate`, each line as `{message, tags: [preserve_original_event]}`) and through our
 * toEcs with keep-original, compared field by field by the parity rule.
 */
import { toEcs } from '../../server/src/transform/index.js';
import { testGeoLookup } from './geoip-fixtures.js';
import type { OracleNode } from './oracle-node.js';
import { installElasticPipeline, simulate, type InstalledPipeline } from './oracle-pipeline.js';
import { fieldDifferences, flatten, type FieldDifference } from './parity.js';

export interface LineDifference {
  line: number;
  text: string;
  differences: FieldDifference[];
}

export interface DifferentialResult {
  lines: number;
  identical: number;
  /** Per field: in how many lines it appeared (on either side) and in how many of those it agreed. */
  fields: Map<string, { seen: number; agreed: number }>;
  differing: LineDifference[];
  pipeline: InstalledPipeline;
}

/** `unjudged`: more prefixes to leave out, e.g. source.geo on a node without our GeoIP databases. */
export async function runDifferential(node: OracleNode, lines: readonly string[], unjudged: readonly string[] = []): Promise<DifferentialResult> {
  const pipeline = await installElasticPipeline(node, 'mattermost-audit-parity');
  pipeline.unjudged.push(...unjudged);
  const simulated = await simulate(node, pipeline.id, lines.map((message) => ({ message, tags: ['preserve_original_event'] })));
  const geo = await testGeoLookup();
  const fields = new Map<string, { seen: number; agreed: number }>();
  const differing: LineDifference[] = [];
  for (const [i, text] of lines.entries()) {
    const expected = simulated[i]!.source ?? { simulate_error: simulated[i]!.error };
    const ours = toEcs(text, { keepOriginal: true, geo });
    const differences = fieldDifferences(expected, ours, { unjudged: pipeline.unjudged });
    const wrong = new Set(differences.map((d) => d.field));
    // The fields Elastic wrote, and those only we wrote (envelope fields aside).
    const judged = [...flatten(expected).keys(), ...differences.filter((d) => d.kind === 'extra').map((d) => d.field)];
    for (const field of new Set(judged)) {
      if (pipeline.unjudged.some((p) => field === p || field.startsWith(`${p}.`))) continue;
      const entry = fields.get(field) ?? { seen: 0, agreed: 0 };
      entry.seen++;
      if (!wrong.has(field)) entry.agreed++;
      fields.set(field, entry);
    }
    if (differences.length > 0) differing.push({ line: i + 1, text, differences });
  }
  return { lines: lines.length, identical: lines.length - differing.length, fields, differing, pipeline };
}
