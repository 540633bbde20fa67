/**
 * The index template for `logs-mattermost.audit-*`: Elastic's field definitions (generated into
 * fixture-fields.generated.ts) plus the fields our transform adds for modern and REST records.
 * Priority 250 sits above the built-in `logs` template (100) and Fleet's integration (200).
 */
import { FIXTURE_FIELDS } from './fixture-fields.generated.js';

export const TEMPLATE_NAME = 'mattermost-audit-elastic';
export const INDEX_PATTERN = 'logs-mattermost.audit-*';
export const TEMPLATE_PRIORITY = 250;

const keyword = { type: 'keyword', ignore_above: 1024 };
const flattened = { type: 'flattened', ignore_above: 1024, depth_limit: 20 };

/** Fields beyond Elastic's definitions: the ones its pipeline writes undeclared, and ours. */
const ADDED_FIELDS: Record<string, Record<string, unknown>> = {
  'event.action': keyword,
  'event.category': keyword,
  'event.type': keyword,
  'event.kind': keyword,
  'event.outcome': keyword,
  'event.id': keyword,
  'event.ingested': { type: 'date' },
  // Kept for forensics, not for search: as ECS maps it.
  'event.original': { type: 'keyword', index: false, doc_values: false },
  'error.message': { type: 'match_only_text' },
  'mattermost.audit.device.id': keyword,
  'mattermost.audit.extra_info': keyword,
  'mattermost.audit.meta': flattened,
  'mattermost.audit.event.object_type': keyword,
  'mattermost.audit.event.parameters': flattened,
  'mattermost.audit.event.prior_state': flattened,
  'mattermost.audit.event.resulting_state': flattened,
  'user.target.email': keyword,
  // Names from the record (a login name) or from Mattermost's API (enrichment), e-mail only on request.
  'user.name': { type: 'keyword', fields: { text: { type: 'match_only_text' } } },
  'user.email': keyword,
  'mattermost.audit.team.display_name': keyword,
  'mattermost.audit.channel.display_name': keyword,
  'network.forwarded_ip': { type: 'ip' },
  'url.query': keyword,
  'url.fragment': keyword,
  'url.extension': keyword,
  'url.scheme': keyword,
  'url.domain': keyword,
  'url.port': { type: 'long' },
  'url.username': keyword,
  'input.type': keyword,
  'log.file.path': keyword,
  'log.offset': { type: 'long' },
  'host.name': keyword,
  // A failed legacy line keeps what the pipeline had not moved yet under `json`, as Elastic's
  // documents do; any shape, never indexed, so it can never refuse a document.
  json: { type: 'object', enabled: false },
  // The forwarder's own records of its config changes (transform/forwarder-event.ts).
  'event.provider': keyword,
  message: { type: 'match_only_text' },
  'client.ip': { type: 'ip' },
  'service.name': keyword,
  'service.version': keyword,
  'mattermost.audit.forwarder.config_version': { type: 'long' },
  'mattermost.audit.forwarder.settings_changed': keyword,
  'mattermost.audit.forwarder.changes': flattened,
  'mattermost.audit.forwarder.actor.token': keyword,
  'mattermost.audit.forwarder.actor.address': keyword,
};

type Properties = Record<string, Record<string, unknown>>;

/** Dotted field names → nested `properties` objects, as Elasticsearch stores mappings. */
export function nestProperties(fields: Readonly<Record<string, Readonly<Record<string, unknown>>>>): Properties {
  const root: Properties = {};
  for (const [name, mapping] of Object.entries(fields)) {
    const keys = name.split('.');
    let level = root;
    for (const key of keys.slice(0, -1)) {
      const node = (level[key] ??= { properties: {} }) as { properties: Properties };
      level = node.properties;
    }
    level[keys[keys.length - 1]!] = { ...mapping };
  }
  return root;
}

export function templateFields(): Record<string, Readonly<Record<string, unknown>>> {
  return { ...FIXTURE_FIELDS, ...ADDED_FIELDS };
}

export interface TemplateOptions {
  /** Data stream lifecycle (ES 8.11+): retention such as "90d", or undefined for no lifecycle block. */
  lifecycle?: { data_retention?: string };
  /** Kept in `_meta.notes`: what about this cluster an admin should know (status shows it). */
  notes?: string[];
}

export function indexTemplate(options: TemplateOptions = {}): Record<string, unknown> {
  return {
    index_patterns: [INDEX_PATTERN],
    priority: TEMPLATE_PRIORITY,
    data_stream: {},
    _meta: {
      managed_by: 'mattermost-audit-elastic',
      description: 'Mattermost audit records as ECS (Elastic Mattermost integration compatible)',
      ...(options.notes?.length ? { notes: options.notes } : {}),
    },
    template: {
      settings: { 'index.mapping.total_fields.limit': 2000 },
      mappings: {
        dynamic: true,
        // Legacy records carry free-form objects (patch, team, channel): map their strings as keyword.
        dynamic_templates: [{ strings_as_keyword: { match_mapping_type: 'string', mapping: keyword } }],
        properties: nestProperties(templateFields()),
      },
      ...(options.lifecycle ? { lifecycle: options.lifecycle } : {}),
    },
  };
}

export function dataStreamName(namespace: string): string {
  return `logs-mattermost.audit-${namespace}`;
}
