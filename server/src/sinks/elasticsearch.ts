/**
 * Bulk-indexes into the data stream with `create` and the stable `_id`: 201 stored, 409 already
 * stored (a retry), 429/5xx retried item by item with backoff, other 4xx refused for good; a
 * bulk request refused as a whole with 400 is the batch's problem (BatchRefusedError), one refused
 * as too long (413) is sent again in parts (bulk-requests.ts).
 * The bulk body comes as bytes from the transform thread (DocumentBatch); a retry sends the
 * slices of the items it retries. Before the first write it puts our index template, fitted to
 * what the cluster can map (template-fit.ts).
 */
import { Client, errors } from '@elastic/elasticsearch';
import { setTimeout as sleep } from 'node:timers/promises';
import { BulkRequests, itemReason } from './bulk-requests.js';
import { inspectDataStream, writeIndexOf, type DataStreamReport } from './data-stream-check.js';
import type { DocumentBatch } from './document-batch.js';
import { clientOptions, describeError, unavailable, type ElasticsearchConnection } from './elasticsearch-client.js';
import { ClusterFacts, isMissingEndpoint, lifecycleSupported } from './elasticsearch-cluster.js';
import { indexTemplate, TEMPLATE_NAME } from './index-template.js';
import { fitTemplate, leftOutOf, refusedMapperType, typesMissingFrom, type LeftOut } from './template-fit.js';
import { SinkUnavailableError, type RejectedDocument, type Sink, type SinkHealth } from './types.js';
import { urlWithoutCredentials } from '../url-credentials.js';

export { describeError } from './elasticsearch-client.js';

export interface ElasticsearchSinkOptions extends ElasticsearchConnection {
  /** Ingest pipeline for bulk requests; `_none` keeps an installed integration's pipeline off our documents. */
  pipeline?: string;
  itemRetries?: number;
  retentionDays?: number;
  /** The data stream the current settings write to: check() reports whether it is mapped as we map it. */
  dataStream?: string;
}

/** What putting the template found out. */
export interface PreparedCluster {
  version: string;
  leftOut: LeftOut[];
  notes: string[];
}

export type DataStreamSetup = 'created' | 'already there' | 'created by a first write';

export class ElasticsearchSink implements Sink {
  readonly kind = 'elasticsearch' as const;
  private clientInstance: Client | undefined;
  private prepared: Promise<PreparedCluster> | undefined;
  private readonly bulk: BulkRequests;
  private factsInstance: ClusterFacts | undefined;

  constructor(private readonly options: ElasticsearchSinkOptions) {
    this.bulk = new BulkRequests(() => this.client, options.pipeline ?? '_none');
  }

  /**
   * Built on first use: a bad setting (an unreadable CA file) then surfaces as "unavailable",
   * which pauses the queue, rather than as an error that would use up the batches' attempts.
   */
  private get client(): Client {
    this.clientInstance ??= new Client(clientOptions(this.options));
    return this.clientInstance;
  }

  private get facts(): ClusterFacts {
    this.factsInstance ??= new ClusterFacts(this.client);
    return this.factsInstance;
  }

  /** Connects, learns the version and puts our index template; once per sink. */
  prepare(): Promise<PreparedCluster> {
    this.prepared ??= this.putTemplate().catch((error: unknown) => {
      this.prepared = undefined;
      throw unavailable('cannot prepare Elasticsearch', error);
    });
    return this.prepared;
  }

  /**
   * Types the module list says are missing are fitted first; a refusal naming another unknown
   * mapper type (credentials that may not list modules, a module we do not know) fits that too.
   */
  private async putTemplate(): Promise<PreparedCluster> {
    const version = await this.facts.version();
    const modules = await this.facts.modules();
    const missing = modules ? typesMissingFrom(modules) : new Map<string, string>();
    const notes: string[] = [];
    let lifecycle: { data_retention?: string } | undefined;
    if (lifecycleSupported(version)) {
      lifecycle = this.options.retentionDays ? { data_retention: `${this.options.retentionDays}d` } : {};
      if (modules && !modules.includes('data-streams')) notes.push('the cluster has no data-streams module: the data stream lifecycle is in the template but nothing applies it');
    }
    for (;;) {
      const { template, leftOut } = fitTemplate(indexTemplate({ lifecycle, notes }), missing);
      try {
        await this.client.transport.request({ method: 'PUT', path: `/_index_template/${TEMPLATE_NAME}`, body: template });
        return { version, leftOut, notes };
      } catch (error) {
        const type = error instanceof errors.ResponseError && error.statusCode === 400 ? refusedMapperType(error.body) : undefined;
        if (type === undefined || missing.has(type)) throw error;
        missing.set(type, `Elasticsearch refused it (the mapper type [${type}] does not exist there)`);
      }
    }
  }

  /**
   * Creates the data stream now rather than on the first write. A cluster without the data stream
   * API (the integ-test distribution has no data-streams module) still auto-creates a data stream
   * on a write: a document it must refuse (no @timestamp) creates it and stores nothing.
   */
  async ensureDataStream(name: string): Promise<DataStreamSetup> {
    try {
      await this.client.indices.createDataStream({ name });
      return 'created';
    } catch (error) {
      if (error instanceof errors.ResponseError && error.body?.error?.type === 'resource_already_exists_exception') return 'already there';
      if (!isMissingEndpoint(error)) throw unavailable(`cannot create data stream ${name}`, error);
    }
    try {
      if (await writeIndexOf(this.client, name)) return 'already there';
      const answer = (await this.client.transport.request({
        method: 'POST', path: '/_bulk', querystring: { require_data_stream: 'true', pipeline: '_none', filter_path: 'items.*.status,items.*.error' },
        bulkBody: `${JSON.stringify({ create: { _index: name } })}\n{}\n`,
      })) as { items?: Array<Record<string, { status: number; error?: { reason?: string } }>> };
      const item = Object.values(answer.items?.[0] ?? {})[0];
      if (!(await writeIndexOf(this.client, name))) throw new SinkUnavailableError(`cannot create data stream ${name}: the cluster has no data stream API and a first write did not create it (${item?.status ?? '?'} ${item?.error?.reason ?? ''})`);
      return 'created by a first write';
    } catch (error) {
      throw unavailable(`cannot create data stream ${name}`, error);
    }
  }

  /**
   * Sends the batch, then only its items answered 429/5xx, for as long as each round gets some
   * of them in; after `itemRetries` rounds in a row that get none in, the destination counts as
   * unavailable and the whole batch is retried later (what is stored answers 409 then).
   */
  async write(batch: DocumentBatch): Promise<RejectedDocument[]> {
    await this.prepare();
    const rejected: RejectedDocument[] = [];
    const allowedStalls = this.options.itemRetries ?? 4;
    let pending: number[] | undefined; // undefined: the whole batch, sent as it came
    for (let stalls = 0, round = 0; pending === undefined || pending.length > 0; round++) {
      if (round > 0) await sleep(Math.min(100 * 2 ** stalls, 5000));
      const sent = pending ?? batch.ids.map((_, i) => i);
      const items = await this.bulk.send(batch, pending);
      const retry: number[] = [];
      sent.forEach((index, i) => {
        const item = items[i];
        const status = item?.status ?? 0;
        if (status === 200 || status === 201 || status === 409) return;
        if (status === 429 || status >= 500 || status === 0) retry.push(index);
        else rejected.push({ index, id: batch.ids[index]!, status, reason: itemReason(item) });
      });
      stalls = retry.length === sent.length ? stalls + 1 : 0;
      if (stalls > allowedStalls) {
        throw new SinkUnavailableError(`Elasticsearch kept refusing ${retry.length} of ${batch.ids.length} documents with 429/5xx: ${itemReason(items[sent.indexOf(retry[0]!)])}`, 5000);
      }
      pending = retry;
    }
    return rejected;
  }

  /** Reachability, version and health; with the cluster reached, what our template lost and how the data stream is mapped. */
  async check(): Promise<SinkHealth> {
    const base: SinkHealth = { kind: 'elasticsearch', target: urlWithoutCredentials(this.options.url), reachable: false };
    let version: string;
    try {
      version = await this.facts.version();
    } catch (error) {
      return { ...base, error: describeError(error) };
    }
    const health = await this.client.cluster.health().then((h) => h.status as string, () => undefined);
    const reached: SinkHealth = { ...base, reachable: true, version, health };
    try {
      const stored = await this.storedTemplate();
      const template = stored
        ? { name: TEMPLATE_NAME, complete: leftOutOf(stored).length === 0, leftOut: leftOutOf(stored), notes: notesOf(stored) }
        : { name: TEMPLATE_NAME, complete: false, leftOut: [], notes: ['not put yet: the forwarder puts it before its first write'] };
      const dataStream: DataStreamReport | undefined = this.options.dataStream
        ? await inspectDataStream(this.client, this.options.dataStream, stored?.template?.mappings)
        : undefined;
      return { ...reached, template, ...(dataStream ? { dataStream } : {}) };
    } catch (error) {
      return { ...reached, error: `cannot read the index template or data stream: ${describeError(error)}` };
    }
  }

  private async storedTemplate(): Promise<{ _meta?: unknown; template?: { mappings?: unknown } } | undefined> {
    try {
      const answer = (await this.client.transport.request({
        method: 'GET', path: `/_index_template/${TEMPLATE_NAME}`,
        querystring: { filter_path: 'index_templates.index_template._meta,index_templates.index_template.template.mappings' },
      })) as { index_templates?: Array<{ index_template: { _meta?: unknown; template?: { mappings?: unknown } } }> };
      return answer.index_templates?.[0]?.index_template;
    } catch (error) {
      if (error instanceof errors.ResponseError && error.statusCode === 404) return undefined;
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.clientInstance?.close();
  }
}

function notesOf(stored: { _meta?: unknown }): string[] {
  const notes = (stored._meta as { notes?: unknown } | undefined)?.notes;
  return Array.isArray(notes) ? notes.filter((note): note is string => typeof note === 'string') : [];
}
