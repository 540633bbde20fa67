/**
 * Our index template, fitted to what the cluster can map. A cluster without some modules (Elastic's
 * integ-test distribution has neither x-pack's constant_keyword and wildcard nor mapper-extras'
 * match_only_text) refuses the whole template for one unknown mapper type; such a type is replaced
 * by the nearest core type, or its field left out, and the template records what it lost in
 * `_meta.left_out` so that every process (and an admin in Kibana) can see it.
 */

import type { LeftOut } from '../../../plugin-contract/forwarder-api.js';

export type { LeftOut };

/** The modules that bring the mapper types of our template that are not in Elasticsearch's core. */
export const TYPE_MODULES: Readonly<Record<string, string>> = {
  constant_keyword: 'constant-keyword',
  wildcard: 'wildcard',
  match_only_text: 'mapper-extras',
  scaled_float: 'mapper-extras',
};

/** Core stand-ins: the same values are kept and searchable, with less efficient or less strict mapping. */
const STAND_INS: Readonly<Record<string, (definition: Record<string, unknown>) => Record<string, unknown>>> = {
  // The value check goes; the value stays a keyword.
  constant_keyword: () => ({ type: 'keyword' }),
  // Long URLs are kept in _source but not indexed beyond 1024 characters (keyword's term limit).
  wildcard: (definition) => ({ type: 'keyword', ignore_above: definition.ignore_above ?? 1024 }),
  // match_only_text is text without scoring: norms off keeps it about as small.
  match_only_text: () => ({ type: 'text', norms: false }),
  scaled_float: () => ({ type: 'double' }),
};

/** The mapper types the cluster lacks, judged from its module list (`GET _nodes/plugins`). */
export function typesMissingFrom(modules: readonly string[]): Map<string, string> {
  const missing = new Map<string, string>();
  for (const [type, module] of Object.entries(TYPE_MODULES)) {
    if (!modules.includes(module)) missing.set(type, `the cluster has no ${module} module`);
  }
  return missing;
}

/** The mapper type named by a refused template put ("The mapper type [x] declared on field [f] does not exist"). */
export function refusedMapperType(errorBody: unknown): string | undefined {
  const text = JSON.stringify(errorBody ?? '');
  return /(?:mapper type|No handler for type) \[([^\]]+)\] declared on field/.exec(text)?.[1];
}

type Properties = Record<string, Record<string, unknown>>;

/** The template with every mapping of a missing type replaced or removed, and the list of what went. */
export function fitTemplate(template: Record<string, unknown>, missing: ReadonlyMap<string, string>): { template: Record<string, unknown>; leftOut: LeftOut[] } {
  const byType = new Map<string, LeftOut>();
  const fitProperties = (properties: Properties, prefix: string): Properties => {
    const fitted: Properties = {};
    for (const [name, definition] of Object.entries(properties)) {
      const path = prefix ? `${prefix}.${name}` : name;
      const result = fitField(definition, path);
      if (result) fitted[name] = result;
    }
    return fitted;
  };
  const fitField = (definition: Record<string, unknown>, path: string): Record<string, unknown> | undefined => {
    const type = typeof definition.type === 'string' ? definition.type : undefined;
    let fitted: Record<string, unknown> = definition;
    if (type && missing.has(type)) {
      const standIn = STAND_INS[type];
      const entry = byType.get(type) ?? { type, ...(standIn ? { replacedBy: String(standIn({}).type) } : {}), fields: [], reason: missing.get(type)! };
      byType.set(type, entry);
      entry.fields.push(path);
      if (!standIn) return undefined;
      fitted = { ...standIn(definition), ...(definition.fields ? { fields: definition.fields } : {}) };
    }
    const out = { ...fitted };
    if (isProperties(fitted.properties)) out.properties = fitProperties(fitted.properties, path);
    // Multi-fields (`url.original.text`) may use a missing type too.
    if (isProperties(fitted.fields)) out.fields = fitProperties(fitted.fields, path);
    return out;
  };

  const inner = (template.template ?? {}) as Record<string, unknown>;
  const mappings = (inner.mappings ?? {}) as Record<string, unknown>;
  const properties = isProperties(mappings.properties) ? fitProperties(mappings.properties, '') : mappings.properties;
  const leftOut = [...byType.values()];
  const meta = { ...(template._meta as Record<string, unknown> | undefined), ...(leftOut.length > 0 ? { left_out: leftOut } : {}) };
  return {
    template: { ...template, _meta: meta, template: { ...inner, mappings: { ...mappings, properties } } },
    leftOut,
  };
}

/** What a stored template says it lost (its `_meta.left_out`), as a LeftOut list. */
export function leftOutOf(storedTemplate: unknown): LeftOut[] {
  const meta = (storedTemplate as { _meta?: { left_out?: unknown } } | undefined)?._meta?.left_out;
  if (!Array.isArray(meta)) return [];
  return meta.filter((entry): entry is LeftOut => typeof entry === 'object' && entry !== null && typeof (entry as LeftOut).type === 'string' && Array.isArray((entry as LeftOut).fields));
}

/** One line per missing type, for logs and `setup`. */
export function describeLeftOut(leftOut: readonly LeftOut[]): string {
  return leftOut.map((entry) => {
    const what = entry.replacedBy ? `${entry.type} → ${entry.replacedBy}` : `${entry.type} left out`;
    const fields = entry.fields.length > 4 ? `${entry.fields.slice(0, 4).join(', ')} and ${entry.fields.length - 4} more` : entry.fields.join(', ');
    return `${what} (${fields}: ${entry.reason})`;
  }).join('; ');
}

function isProperties(value: unknown): value is Properties {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
