/**
 * The fields Elastic Agent adds around its pipeline's output: data stream, dataset, module,
 * input, log file and offset, host, tags. Parity allows these beside the pipeline's fields.
 */
import type { JsonWriter } from './json-writer.js';
import type { EcsDocument, JsonObject, TransformMeta } from './types.js';

export const DATASET = 'mattermost.audit';
export const ECS_VERSION = '8.11.0';
export const PRESERVE_ORIGINAL_TAG = 'preserve_original_event';
const INTEGRATION_TAG = 'mattermost-audit';

const INPUT_TYPES: Record<string, string> = { file: 'log', tcp: 'tcp', http: 'http_endpoint', rest: 'httpjson' };

export function addEnvelope(doc: EcsDocument, meta: TransformMeta, extraTags: readonly string[]): void {
  doc.data_stream = { type: 'logs', dataset: DATASET, namespace: meta.namespace ?? 'default' };
  const event = doc.event as JsonObject;
  event.dataset = DATASET;
  event.module = 'mattermost';
  if (meta.ingestedAt !== undefined) event.ingested = meta.ingestedAt;
  if (doc['@timestamp'] === undefined && meta.receivedAt !== undefined) doc['@timestamp'] = meta.receivedAt;

  doc.tags = tagsOf(meta.tags, extraTags);

  const source = meta.source;
  if (!source) return;
  const inputType = INPUT_TYPES[source.input];
  if (inputType) doc.input = { type: inputType };
  if (source.path !== undefined) {
    doc.log = source.offset === undefined ? { file: { path: source.path } } : { file: { path: source.path }, offset: source.offset };
  }
  if (source.host !== undefined) doc.host = { name: source.host };
}

// Made once: a template literal is a new string for each call, to be flattened again before it is read.
const EVENT_ENVELOPE_JSON = `,"dataset":"${DATASET}","module":"mattermost"`;
const DATA_STREAM_JSON = `,"data_stream":{"type":"logs","dataset":"${DATASET}","namespace":`;

/**
 * The same fields as JSON text, for a writer of a document's text (legacy-fast-json.ts): those
 * inside `event`, written last in it…
 */
export function writeEventEnvelope(out: JsonWriter, meta: TransformMeta): void {
  out.ascii(EVENT_ENVELOPE_JSON);
  if (meta.ingestedAt === undefined) return;
  out.key('ingested');
  out.string(meta.ingestedAt);
}

/** …and those after the document's own, where addEnvelope adds them; `@timestamp` is the writer's. */
export function writeEnvelope(out: JsonWriter, meta: TransformMeta, extraTags: readonly string[]): void {
  out.ascii(DATA_STREAM_JSON);
  out.string(meta.namespace ?? 'default');
  out.ascii('},"tags":');
  out.stringList(tagsOf(meta.tags, extraTags));
  const source = meta.source;
  if (!source) return;
  const inputType = INPUT_TYPES[source.input];
  if (inputType) {
    out.ascii(',"input":{"type":');
    out.string(inputType);
    out.ascii('}');
  }
  if (source.path !== undefined) {
    out.ascii(',"log":{"file":{"path":');
    out.string(source.path);
    out.ascii('}');
    if (source.offset !== undefined) {
      out.key('offset');
      out.value(source.offset);
    }
    out.ascii('}');
  }
  if (source.host !== undefined) {
    out.ascii(',"host":{"name":');
    out.string(source.host);
    out.ascii('}');
  }
}

/** Our tag first, then the others without duplicates; most documents have no others. */
function tagsOf(metaTags: readonly string[] | undefined, extraTags: readonly string[]): string[] {
  const tags = [INTEGRATION_TAG];
  if (metaTags !== undefined) appendNew(tags, metaTags);
  appendNew(tags, extraTags);
  return tags;
}

function appendNew(tags: string[], more: readonly string[]): void {
  for (const tag of more) if (!tags.includes(tag)) tags.push(tag);
}
