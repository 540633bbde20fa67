/**
 * One round of a batch's items as `_bulk` requests, each item's answer in order. A cluster with a
 * small `http.max_content_length` answers 413 to a body over it, storing nothing: the items are
 * then sent again in halves (and later batches in parts under the size that was refused), and
 * only a document too big on its own is refused for good. A request refused as a whole with 400
 * is the batch's problem (BatchRefusedError): delivery halves the batch to find what it holds.
 */
import { errors, type Client } from '@elastic/elasticsearch';
import { bulkBody, type DocumentBatch } from './document-batch.js';
import { describeError, unavailable } from './elasticsearch-client.js';
import { BatchRefusedError, SinkUnavailableError } from './types.js';

export interface BulkItem {
  status: number;
  error?: { type?: string; reason?: string; caused_by?: { type?: string; reason?: string } };
}

interface BulkResponse { errors: boolean; items?: Array<Record<string, BulkItem>> }

const FILTER = 'errors,items.*.status,items.*.error.type,items.*.error.reason,items.*.error.caused_by.type,items.*.error.caused_by.reason';

export class BulkRequests {
  /** The largest body to send: unbounded until the cluster refuses one with 413. */
  private maxBodyBytes = Number.POSITIVE_INFINITY;

  constructor(private readonly client: () => Client, private readonly pipeline: string) {}

  /** The answers to the items at `indices` of the batch (all of them when undefined), in that order. */
  async send(batch: DocumentBatch, indices: readonly number[] | undefined): Promise<BulkItem[]> {
    const all = indices ?? batch.ids.map((_, i) => i);
    const items: BulkItem[] = [];
    for (const part of this.parts(batch, all)) items.push(...(await this.sendPart(batch, part)));
    return items;
  }

  private async sendPart(batch: DocumentBatch, part: readonly number[]): Promise<BulkItem[]> {
    if (part.length === 0) return [];
    // The whole batch goes as the bytes it came in; a part is copied together.
    const body = bulkBody(batch, part.length === batch.ids.length ? undefined : part);
    try {
      return await this.request(body, part.length);
    } catch (error) {
      const status = error instanceof errors.ResponseError ? error.statusCode : undefined;
      if (status === 400) throw new BatchRefusedError(`Elasticsearch refused the bulk request: ${describeError(error)}`, status, { cause: error });
      if (status !== 413) throw unavailable('bulk request failed', error);
      if (part.length === 1) {
        return [{ status: 413, error: { type: 'content_too_long', reason: `the document alone makes a ${body.length}-byte bulk request, more than the cluster accepts (http.max_content_length)` } }];
      }
      this.maxBodyBytes = Math.min(this.maxBodyBytes, Math.floor(body.length / 2));
      const half = Math.ceil(part.length / 2);
      const first = await this.sendPart(batch, part.slice(0, half));
      return [...first, ...(await this.sendPart(batch, part.slice(half)))];
    }
  }

  /** Consecutive runs of items whose bodies stay under maxBodyBytes (one item alone at least). */
  private parts(batch: DocumentBatch, indices: readonly number[]): number[][] {
    if (!Number.isFinite(this.maxBodyBytes)) return [[...indices]];
    const parts: number[][] = [];
    let current: number[] = [];
    let bytes = 0;
    for (const index of indices) {
      const size = batch.offsets[2 * index + 2]! - batch.offsets[2 * index]!;
      if (current.length > 0 && bytes + size > this.maxBodyBytes) {
        parts.push(current);
        current = [];
        bytes = 0;
      }
      current.push(index);
      bytes += size;
    }
    if (current.length > 0) parts.push(current);
    return parts;
  }

  private async request(body: Buffer, count: number): Promise<BulkItem[]> {
    const response = (await this.client().transport.request({
      method: 'POST',
      path: '/_bulk',
      querystring: { pipeline: this.pipeline, filter_path: FILTER },
      bulkBody: body,
    })) as BulkResponse;
    const items = (response.items ?? []).map((item) => Object.values(item)[0] as BulkItem);
    if (items.length !== count) throw new SinkUnavailableError(`bulk answered ${items.length} items for ${count} documents`);
    return items;
  }
}

/** The item's refusal as Elasticsearch words it, with its cause. */
export function itemReason(item: BulkItem | undefined): string {
  const error = item?.error;
  const cause = error?.caused_by?.reason ? ` (${error.caused_by.type ?? 'caused by'}: ${error.caused_by.reason})` : '';
  return `${error?.type ?? 'error'}: ${error?.reason ?? 'no reason given'}${cause}`;
}
