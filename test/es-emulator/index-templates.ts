/** Composable index templates: validation at PUT, the GET rendering, and which template a new name gets. */
import { hasMapperType, type Flavor } from './distribution.js';
import { badRequest, EsError, cause } from './es-errors.js';
import { isRecord, mappingsProblem } from './mapping.js';
import { wildcardMatcher } from './wildcard.js';

export interface TemplateView {
  name: string;
  patterns: string[];
  priority: number;
  dataStream: boolean;
  mappings: unknown;
  settings: Record<string, unknown>;
  lifecycle: unknown;
}

const TOP_LEVEL = new Set(['index_patterns', 'template', 'priority', 'version', 'composed_of', '_meta', 'data_stream',
  'allow_auto_create', 'ignore_missing_component_templates', 'deprecated']);
const TEMPLATE_LEVEL = new Set(['settings', 'mappings', 'aliases', 'lifecycle', 'data_stream_options']);

/** Refuses what ES refuses at PUT: unknown fields, missing patterns, unknown field types, same-priority overlap. */
export function validateTemplate(name: string, body: unknown, version: readonly [number, number], existing: ReadonlyMap<string, Record<string, unknown>>, flavor: Flavor = 'default'): Record<string, unknown> {
  if (!isRecord(body)) throw badRequest('parse_exception', 'request body is required');
  for (const key of Object.keys(body)) {
    if (!TOP_LEVEL.has(key)) throw badRequest('x_content_parse_exception', `[1:2] [index_template] unknown field [${key}]`);
  }
  const template = body.template;
  if (template !== undefined) {
    if (!isRecord(template)) throw badRequest('x_content_parse_exception', '[1:2] [index_template] failed to parse field [template]');
    const lifecycleKnown = version[0] > 8 || (version[0] === 8 && version[1] >= 11);
    for (const key of Object.keys(template)) {
      if (!TEMPLATE_LEVEL.has(key) || (key === 'lifecycle' && !lifecycleKnown)) {
        throw badRequest('x_content_parse_exception', `[1:2] [template] unknown field [${key}]`);
      }
    }
    const problem = mappingsProblem(template.mappings, (type) => hasMapperType(flavor, type));
    if (problem) {
      throw badRequest('illegal_argument_exception', `composable template [${name}] template after composition is invalid`, {
        caused_by: cause('illegal_argument_exception', `invalid composite mappings for [${name}]`, {
          caused_by: cause('mapper_parsing_exception', `Failed to parse mapping: ${problem}`, { caused_by: cause('mapper_parsing_exception', problem) }),
        }),
      });
    }
  }
  const view = templateView(name, body);
  if (view.patterns.length === 0) throw badRequest('action_request_validation_exception', 'Validation Failed: 1: index patterns are missing;');
  for (const [otherName, otherBody] of existing) {
    if (otherName === name) continue;
    const other = templateView(otherName, otherBody);
    if (other.priority !== view.priority || !other.patterns.some((p) => view.patterns.some((q) => overlaps(p, q)))) continue;
    throw new EsError(400, cause('illegal_argument_exception', `index template [${name}] has index patterns ${list(view.patterns)} matching patterns from existing templates [${otherName}] with patterns (${otherName} => ${list(other.patterns)}) that have the same priority [${view.priority}], multiple index templates may not match during index creation, please use a different priority`));
  }
  return body;
}

export function templateView(name: string, body: Record<string, unknown>): TemplateView {
  const raw = body.index_patterns;
  const patterns = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw.filter((p): p is string => typeof p === 'string') : [];
  const template = isRecord(body.template) ? body.template : {};
  return {
    name,
    patterns,
    priority: typeof body.priority === 'number' ? body.priority : 0,
    dataStream: isRecord(body.data_stream),
    mappings: template.mappings,
    settings: isRecord(template.settings) ? template.settings : {},
    lifecycle: template.lifecycle,
  };
}

/** The highest-priority template whose patterns match the name: the one ES applies when creating it. */
export function templateFor(templates: ReadonlyMap<string, Record<string, unknown>>, indexName: string): TemplateView | undefined {
  let best: TemplateView | undefined;
  for (const [name, body] of templates) {
    const view = templateView(name, body);
    if (!view.patterns.some((p) => wildcardMatcher(p)(indexName))) continue;
    if (!best || view.priority > best.priority) best = view;
  }
  return best;
}

/** The template as GET returns it: ES fills in the defaults it stores. */
export function renderTemplate(body: Record<string, unknown>): Record<string, unknown> {
  const rendered: Record<string, unknown> = { ...body, composed_of: body.composed_of ?? [] };
  if (typeof body.index_patterns === 'string') rendered.index_patterns = [body.index_patterns];
  if (isRecord(body.data_stream)) rendered.data_stream = { hidden: false, allow_custom_routing: false, ...body.data_stream };
  const template = body.template;
  if (isRecord(template) && isRecord(template.lifecycle)) rendered.template = { ...template, lifecycle: { enabled: true, ...template.lifecycle } };
  return rendered;
}

/** A setting given flat (`index.mapping.x`), without the `index.` prefix, or nested. */
export function setting(settings: Record<string, unknown>, dotted: string): unknown {
  const candidates = [dotted, dotted.replace(/^index\./, '')];
  for (const key of candidates) {
    if (key in settings) return settings[key];
    let level: unknown = settings;
    for (const part of key.split('.')) level = isRecord(level) ? level[part] : undefined;
    if (level !== undefined) return level;
  }
  return undefined;
}

/** Crude but sufficient: two patterns overlap when one, read as a name, matches the other. */
function overlaps(a: string, b: string): boolean {
  return wildcardMatcher(a)(b) || wildcardMatcher(b)(a);
}

function list(patterns: readonly string[]): string {
  return `[${patterns.join(', ')}]`;
}
