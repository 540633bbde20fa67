/**
 * Bulk-indexes into the data stream with `create` and the stable `_id`: 201 stored, 409 already
 * stored (a retry), 429/5xx retried item by item with backoff, other 4xx refused for good; a
 * bulk request refused as a whole with 400 or 413 is the batch's problem (BatchRefusedError).
 * The bulk body comes as bytes from the transform thread (DocumentBatch); a retry sends the
 * slices of the items it retries.
 */
import { readFileSync } from 'node:fs';
import { Client, errors, type ClientOptions } from '@elastic/elasticsearch';
import { setTimeout as sleep } from 'node:timers/promises';
import { indexTemplate, TEMPLATE_NAME } from './index-template.js';
import { bulkBody, type DocumentBatch } from './document-batch.js';
import { BatchRefusedError, SinkUnavailableError, type RejectedDocument, type Sink, type SinkHealth } from './types.js';
import { scrubUrlCredentials, urlWithoutCredentials } from '../url-credentials.js';

export interface ElasticsearchSinkOptions {
  url: string;
  apiKey?: string;
  username?: string;
  password?: string;
  /** CA certificate: PEM text (as pasted in the plugin's settings) or the path of a PEM file. */
  ca?: string;
  caFingerprint?: string;
  /** Ingest pipeline for bulk requests; `_none` keeps an installed integration's pipeline off our documents. */
  pipeline?: string;
  requestTimeoutMs?: number;
  itemRetries?: number;
  retentionDays?: number;
}

const BULK_FILTER = 'errors,items.*.status,items.*.error.type,items.*.error.reason';

interface BulkItem { status: number; error?: { type?: string; reason?: string } }
interface BulkResponse { errors: boolean; items?: Array<Record<string, BulkItem>> }

export class ElasticsearchSink implements Sink {
  readonly kind = 'elasticsearch' as const;
  private clientInstance: Client | undefined;
  private prepared: Promise<string> | undefined;

  constructor(private readonly options: ElasticsearchSinkOptions) {}

  /**
   * Built on first use: a bad setting (an unreadable CA file) then surfaces as "unavailable",
   * which pauses the queue, rather than as an error that would use up the batches' attempts.
   */
  private get client(): Client {
    this.clientInstance ??= new Client(clientOptions(this.options));
    return this.clientInstance;
  }

  /** Connects, learns the version and puts our index template; once per sink. */
  prepare(): Promise<string> {
    this.prepared ??= this.putTemplate().catch((error: unknown) => {
      this.prepared = undefined;
      throw unavailable('cannot prepare Elasticsearch', error);
    });
    return this.prepared;
  }

  private async putTemplate(): Promise<string> {
    const info = await this.client.info();
    const version = info.version.number;
    const [major = 0, minor = 0] = version.split('.').map(Number);
    const lifecycleSupported = major > 8 || (major === 8 && minor >= 11);
    const lifecycle = lifecycleSupported
      ? this.options.retentionDays ? { data_retention: `${this.options.retentionDays}d` } : {}
      : undefined;
    await this.client.transport.request({ method: 'PUT', path: `/_index_template/${TEMPLATE_NAME}`, body: indexTemplate({ lifecycle }) });
    return version;
  }

  /** Creates the data stream now rather than on the first write; false when it exists already. */
  async ensureDataStream(name: string): Promise<boolean> {
    try {
      await this.client.indices.createDataStream({ name });
      return true;
    } catch (error) {
      if (error instanceof errors.ResponseError && error.body?.error?.type === 'resource_already_exists_exception') return false;
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
      const items = await this.bulk(bulkBody(batch, pending), sent.length);
      const retry: number[] = [];
      sent.forEach((index, i) => {
        const item = items[i];
        const status = item?.status ?? 0;
        if (status === 200 || status === 201 || status === 409) return;
        if (status === 429 || status >= 500 || status === 0) retry.push(index);
        else rejected.push({ index, id: batch.ids[index]!, status, reason: `${item?.error?.type ?? 'error'}: ${item?.error?.reason ?? 'no reason given'}` });
      });
      stalls = retry.length === sent.length ? stalls + 1 : 0;
      if (stalls > allowedStalls) {
        throw new SinkUnavailableError(`Elasticsearch kept refusing ${retry.length} of ${batch.ids.length} documents with 429/5xx`, 5000);
      }
      pending = retry;
    }
    return rejected;
  }

  private async bulk(body: Buffer, count: number): Promise<BulkItem[]> {
    if (count === 0) return [];
    let response: BulkResponse;
    try {
      response = (await this.client.transport.request({
        method: 'POST',
        path: '/_bulk',
        querystring: { pipeline: this.options.pipeline ?? '_none', filter_path: BULK_FILTER },
        bulkBody: body,
      })) as BulkResponse;
    } catch (error) {
      const status = error instanceof errors.ResponseError ? error.statusCode ?? 0 : 0;
      if (status === 400 || status === 413) {
        const reason = (error as errors.ResponseError).body?.error?.reason as string | undefined;
        throw new BatchRefusedError(`Elasticsearch refused the bulk request: ${describeError(error)}${reason ? `: ${scrubUrlCredentials(reason)}` : ''}`, status, { cause: error });
      }
      throw unavailable('bulk request failed', error);
    }
    const items = (response.items ?? []).map((item) => Object.values(item)[0] as BulkItem);
    if (items.length !== count) {
      throw new SinkUnavailableError(`bulk answered ${items.length} items for ${count} documents`);
    }
    return items;
  }

  async check(): Promise<SinkHealth> {
    const base: SinkHealth = { kind: 'elasticsearch', target: urlWithoutCredentials(this.options.url), reachable: false };
    try {
      const info = await this.client.info();
      const health = await this.client.cluster.health().then((h) => h.status as string, () => undefined);
      return { ...base, reachable: true, version: info.version.number, health };
    } catch (error) {
      return { ...base, error: describeError(error) };
    }
  }

  async close(): Promise<void> {
    await this.clientInstance?.close();
  }
}

function clientOptions(options: ElasticsearchSinkOptions): ClientOptions {
  const auth = options.apiKey
    ? { apiKey: options.apiKey }
    : options.username ? { username: options.username, password: options.password ?? '' } : undefined;
  return {
    node: options.url,
    auth,
    tls: options.ca ? { ca: readCertificate(options.ca) } : undefined,
    caFingerprint: options.caFingerprint,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    // Retries are ours: per item, with backoff, and by the queue when the whole batch fails.
    maxRetries: 0,
    compression: false,
  };
}

function readCertificate(ca: string): string | Buffer {
  if (ca.includes('-----BEGIN')) return ca;
  try {
    return readFileSync(ca);
  } catch (error) {
    throw new SinkUnavailableError(`cannot read ELASTICSEARCH_CA ${ca}: ${(error as Error).message}`, undefined, { cause: error });
  }
}

/** The error in words an operator can act on, without credentials (not even inside a URL). */
export function describeError(error: unknown): string {
  return scrubUrlCredentials(describeCause(error));
}

function describeCause(error: unknown): string {
  if (error instanceof errors.ResponseError) {
    const status = error.statusCode ?? 0;
    const type = (error.body as { error?: { type?: string } } | undefined)?.error?.type;
    if (status === 401) return 'HTTP 401: authentication failed (check the API key or username/password)';
    if (status === 403) return `HTTP 403: not allowed${type ? ` (${type})` : ''}: the credentials lack a privilege`;
    return `HTTP ${status}${type ? ` ${type}` : ''}`;
  }
  if (error instanceof errors.ProductNotSupportedError) return 'the server is not Elasticsearch (no x-elastic-product header)';
  if (error instanceof errors.TimeoutError) return 'request timed out';
  if (error instanceof errors.ConnectionError) {
    const message = error.message;
    if (/ENOTFOUND|EAI_AGAIN/.test(message)) return `DNS lookup failed: ${message}`;
    if (/certificate|CERT|SSL|TLS/i.test(message)) return `TLS error: ${message}`;
    if (/ECONNREFUSED/.test(message)) return 'connection refused';
    return `connection error: ${message}`;
  }
  return error instanceof Error ? error.message : String(error);
}

function unavailable(what: string, error: unknown): SinkUnavailableError {
  if (error instanceof SinkUnavailableError) return error;
  const retryAfter = error instanceof errors.ResponseError && error.statusCode === 429 ? 5000 : undefined;
  return new SinkUnavailableError(`${what}: ${describeError(error)}`, retryAfter, { cause: error });
}
