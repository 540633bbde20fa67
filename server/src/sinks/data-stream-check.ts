/**
 * Is the data stream we write to mapped as our template says? A `logs-mattermost.audit-<ns>` that
 * existed before our template (made by another template), or whose new backing indices take a
 * higher-priority template, refuses our documents field by field: those become dead letters, and
 * the status says why, and what to do.
 */
import { errors, type Client } from '@elastic/elasticsearch';
import type { DataStreamReport } from '../../../plugin-contract/forwarder-api.js';
import { INDEX_PATTERN, TEMPLATE_NAME, TEMPLATE_PRIORITY } from './index-template.js';

export type { DataStreamReport };

type FieldTypes = Map<string, string>;

/** Types that take the same values: a document that fits one fits the other. */
const FAMILIES: ReadonlyArray<ReadonlySet<string>> = [
  new Set(['keyword', 'constant_keyword', 'wildcard']),
  new Set(['text', 'match_only_text']),
  new Set(['double', 'float', 'half_float', 'scaled_float']),
  new Set(['date', 'date_nanos']),
];

/** `ourMappings`: the mappings of our template as the cluster stores it (after fitting). */
export async function inspectDataStream(client: Client, name: string, ourMappings: unknown): Promise<DataStreamReport> {
  const report: DataStreamReport = { name, exists: false, problems: [] };
  const templates = (await client.transport.request({
    method: 'GET', path: '/_index_template',
    querystring: { filter_path: 'index_templates.name,index_templates.index_template.index_patterns,index_templates.index_template.priority' },
  })) as { index_templates?: Array<{ name: string; index_template: { index_patterns: string[]; priority?: number } }> };
  const winner = (templates.index_templates ?? [])
    .filter((t) => t.index_template.index_patterns.some((pattern) => matches(pattern, name)))
    .sort((a, b) => (b.index_template.priority ?? 0) - (a.index_template.priority ?? 0))[0];
  report.template = winner?.name;
  if (winner && winner.name !== TEMPLATE_NAME) {
    report.problems.push(`new backing indices of ${name} take index template [${winner.name}] (priority ${winner.index_template.priority ?? 0}), not ${TEMPLATE_NAME} (${TEMPLATE_PRIORITY}): give that template a lower priority or a pattern that leaves ${INDEX_PATTERN} to ours`);
  }

  const target = await writeIndexOf(client, name);
  if (!target) return report; // the first write creates it
  const { writeIndex } = target;
  report.exists = true;
  report.writeIndex = writeIndex;
  if (!target.dataStream) report.problems.push(`${name} is a plain index, not a data stream (it was created before a data stream template matched it)`);
  const mapping = (await client.transport.request({ method: 'GET', path: `/${encodeURIComponent(writeIndex)}/_mapping` })) as Record<string, { mappings?: { properties?: unknown } }>;
  const expected = fieldTypes((ourMappings as { properties?: unknown } | undefined)?.properties);
  const conflicts = mappingConflicts(expected, fieldTypes(Object.values(mapping)[0]?.mappings?.properties));
  if (conflicts.length > 0) {
    const shown = conflicts.length > 5 ? `${conflicts.slice(0, 5).join(', ')} and ${conflicts.length - 5} more` : conflicts.join(', ');
    report.problems.push(`the write index ${writeIndex} of ${name} maps ${shown}: documents that do not fit are kept as dead letters. `
      + `Fix the mapping (or the template that made it), roll the data stream over (POST /${name}/_rollover), then replay the dead letters`);
  }
  return report;
}

/** The index documents for `name` go to (a data stream's last backing index), or undefined when there is none. */
export async function writeIndexOf(client: Client, name: string): Promise<{ writeIndex: string; dataStream: boolean } | undefined> {
  let resolved: { indices?: Array<{ name: string }>; data_streams?: Array<{ name: string; backing_indices: string[] }> };
  try {
    resolved = (await client.transport.request({ method: 'GET', path: `/_resolve/index/${encodeURIComponent(name)}` })) as typeof resolved;
  } catch (error) {
    if (error instanceof errors.ResponseError && error.statusCode === 404) return undefined;
    throw error;
  }
  const stream = resolved.data_streams?.find((ds) => ds.name === name);
  if (stream?.backing_indices.length) return { writeIndex: stream.backing_indices.at(-1)!, dataStream: true };
  const index = resolved.indices?.find((entry) => entry.name === name);
  return index ? { writeIndex: index.name, dataStream: false } : undefined;
}

/** Dotted path → mapper type ('object' for objects), multi-fields included as `path.sub`. */
export function fieldTypes(properties: unknown, prefix = '', out: FieldTypes = new Map()): FieldTypes {
  if (typeof properties !== 'object' || properties === null) return out;
  for (const [key, value] of Object.entries(properties as Record<string, Record<string, unknown>>)) {
    const path = prefix ? `${prefix}.${key}` : key;
    const type = typeof value.type === 'string' ? value.type : 'object';
    out.set(path, type);
    if (value.properties) fieldTypes(value.properties, path, out);
    if (value.fields) fieldTypes(value.fields, path, out);
  }
  return out;
}

/**
 * "user.id as long (ours keyword)" for each field the existing mapping types differently; those
 * that refuse documents ours takes (a number, ip or date where ours takes strings, a value where
 * ours takes objects) first.
 */
export function mappingConflicts(expected: FieldTypes, actual: FieldTypes): string[] {
  const conflicts = new Map<string, { theirs: string; ours: string }>();
  for (const [path, type] of expected) {
    const theirs = actual.get(path);
    if (theirs !== undefined) {
      if (!sameFamily(type, theirs)) conflicts.set(path, { theirs, ours: type });
      continue;
    }
    // Unmapped there: fine, unless a parent is a value where ours is an object.
    const parts = path.split('.');
    for (let i = parts.length - 1; i > 0; i--) {
      const parent = parts.slice(0, i).join('.');
      const parentType = actual.get(parent);
      if (parentType === undefined || parentType === 'object' || parentType === 'nested') continue;
      if (parentType !== 'flattened' && expected.get(parent) !== parentType) conflicts.set(parent, { theirs: parentType, ours: expected.get(parent) ?? 'object' });
      break;
    }
  }
  // A string field takes any value of ours but an object; anything else refuses some.
  const refuses = ({ theirs, ours }: { theirs: string; ours: string }) => !STRING_TYPES.has(theirs) || ours === 'object' || ours === 'flattened';
  return [...conflicts].sort(([, a], [, b]) => Number(refuses(b)) - Number(refuses(a))).map(([path, { theirs, ours }]) => `${path} as ${theirs} (ours ${ours})`);
}

const STRING_TYPES: ReadonlySet<string> = new Set(['keyword', 'constant_keyword', 'wildcard', 'text', 'match_only_text']);

function sameFamily(a: string, b: string): boolean {
  return a === b || FAMILIES.some((family) => family.has(a) && family.has(b));
}

function matches(pattern: string, name: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return regex.test(name);
}
