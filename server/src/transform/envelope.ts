/**
 * The fields Elastic Agent adds around its pipeline's output: data stream, dataset, module,
 * input, log file and offset, host, tags. Parity allows these beside the pipeline's fields.
 */
import { JsonWriter } from './json-writer.js';
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
const EVENT_ENVELOPE_JSON = new TextEncoder().encode(`,"dataset":"${DATASET}","module":"mattermost"`);
const DATA_STREAM_JSON = `,"data_stream":{"type":"logs","dataset":"${DATASET}","namespace":`;

/**
 * The same fields as JSON text, for a writer of a document's text (legacy-fast-json.ts): those
 * inside `event`, written last in it…
 */
export function writeEventEnvelope(out: JsonWriter, meta: TransformMeta): void {
  out.bytes(EVENT_ENVELOPE_JSON);
  if (meta.ingestedAt === undefined) return;
  out.key('ingested');
  out.string(meta.ingestedAt);
}

/**
 * …and those after the document's own, where addEnvelope adds them; `@timestamp` is the writer's.
 * Their text is the same for all the documents of a batch but for the file offset: it is made once
 * and copied, some 200 bytes that a byte loop writes at about 5 ns each.
 */
export function writeEnvelope(out: JsonWriter, meta: TransformMeta, extraTags: readonly string[]): void {
  const text = envelopeTextOf(meta, extraTags);
  out.bytes(text.beforeOffset);
  const offset = meta.source?.offset;
  if (text.afterOffset !== undefined) {
    if (offset !== undefined) {
      out.key('offset');
      out.value(offset);
    }
    out.bytes(text.afterOffset);
  }
}

/** The envelope's text for one meta: before the file offset, and after it when there is a file. */
interface EnvelopeText {
  namespace: string;
  tags: readonly string[] | undefined;
  extraTags: readonly string[];
  input: string | undefined;
  path: string | undefined;
  host: string | undefined;
  beforeOffset: Uint8Array;
  afterOffset: Uint8Array | undefined;
}

/** The last one made: a batch's records share all of it but their offsets. */
let lastEnvelope: EnvelopeText | undefined;

function envelopeTextOf(meta: TransformMeta, extraTags: readonly string[]): EnvelopeText {
  const source = meta.source;
  const namespace = meta.namespace ?? 'default';
  const last = lastEnvelope;
  if (last !== undefined && last.namespace === namespace && last.extraTags === extraTags && sameTags(last.tags, meta.tags)
    && last.input === source?.input && last.path === source?.path && last.host === source?.host) return last;
  const scratch = new JsonWriter(new Uint8Array(256));
  writeEnvelopeBeforeOffset(scratch, namespace, tagsOf(meta.tags, extraTags), source);
  const beforeOffset = scratch.written().slice();
  let afterOffset: Uint8Array | undefined;
  if (source?.path !== undefined) {
    scratch.reset();
    scratch.ascii('}');
    writeHost(scratch, source.host);
    afterOffset = scratch.written().slice();
  }
  lastEnvelope = {
    namespace, tags: meta.tags?.slice(), extraTags, input: source?.input, path: source?.path, host: source?.host, beforeOffset, afterOffset,
  };
  return lastEnvelope;
}

function sameTags(kept: readonly string[] | undefined, tags: readonly string[] | undefined): boolean {
  if (kept === undefined || tags === undefined) return kept === tags;
  return kept.length === tags.length && kept.every((tag, i) => tag === tags[i]);
}

/** Up to the file's offset: the offset and the rest follow (writeEnvelope); without a file, all of it. */
function writeEnvelopeBeforeOffset(out: JsonWriter, namespace: string, tags: readonly string[], source: TransformMeta['source']): void {
  out.ascii(DATA_STREAM_JSON);
  out.string(namespace);
  out.ascii('},"tags":');
  out.stringList(tags);
  if (!source) return;
  const inputType = INPUT_TYPES[source.input];
  if (inputType) {
    out.ascii(',"input":{"type":');
    out.string(inputType);
    out.ascii('}');
  }
  if (source.path === undefined) {
    writeHost(out, source.host);
    return;
  }
  out.ascii(',"log":{"file":{"path":');
  out.string(source.path);
  out.ascii('}');
}

function writeHost(out: JsonWriter, host: string | undefined): void {
  if (host === undefined) return;
  out.ascii(',"host":{"name":');
  out.string(host);
  out.ascii('}');
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
