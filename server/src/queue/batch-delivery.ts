/**
 * One batch from raw records to the sink: transformed on the TransformPool, written with the
 * current runtime config, refused documents kept as dead letters. The BullMQ worker and the
 * direct file delivery both go through here; they differ only in how they wait out an outage.
 *
 * No record can hold up its neighbours: when the transform or the sink fails a batch for what it
 * holds rather than for being unavailable (Elasticsearch refusing the whole bulk request, a
 * transform that throws), the batch is split in halves, and again, until the records that fail
 * are alone: they become dead letters with the reason, the others are delivered.
 */
import type { Logger } from '../logger.js';
import type { Sink } from '../sinks/types.js';
import { SinkUnavailableError } from '../sinks/types.js';
import type { SinkProvider } from '../sinks/sink-provider.js';
import type { Activity } from '../status/activity.js';
import type { AuditBatch } from './batch.js';
import type { DeadLetter, DeadLetters } from './dead-letters.js';
import { recordDocumentId } from './to-document-batch.js';
import type { BatchMeta, TransformPool } from './transform-pool.js';

export interface BatchDeliveryOptions {
  sinks: SinkProvider;
  pool: TransformPool;
  deadLetters: DeadLetters;
  activity: Activity;
  logger: Logger;
  maxRecordBytes: number;
  maxRecordDepth: number;
}

/** A document refused for good: its record's place in the batch, its id, why. */
interface Refusal {
  index: number;
  id: string;
  status?: number;
  reason: string;
}

/** Now in whole seconds, as Fleet's final pipeline writes event.ingested (sub-seconds only cost storage). */
function ingestedNow(): string {
  return `${new Date().toISOString().slice(0, 19)}Z`;
}

export class BatchDelivery {
  constructor(private readonly options: BatchDeliveryOptions) {}

  /**
   * Resolves once the sink holds every document of the batch or refused it for good (then it is
   * a dead letter); rejects with SinkUnavailableError when the sink cannot take the batch now.
   */
  async deliver(batch: AuditBatch): Promise<void> {
    const { sink, config } = await this.options.sinks.current();
    const meta: BatchMeta = {
      namespace: config.settings.DATA_STREAM_NAMESPACE,
      keepOriginal: config.settings.KEEP_ORIGINAL,
      receivedAt: batch.receivedAt,
      ingestedAt: ingestedNow(),
      maxRecordBytes: this.options.maxRecordBytes,
      maxRecordDepth: this.options.maxRecordDepth,
    };
    const refused = await this.write(sink, batch, batch.records.map((_, i) => i), meta);
    if (refused.length > 0) {
      const at = new Date().toISOString();
      await this.options.deadLetters.add(refused.map(({ index, id, status, reason }): DeadLetter => ({
        id, record: batch.records[index]!, source: batch.source, receivedAt: batch.receivedAt, reason, status, at,
      })));
      this.options.logger.warn({ 'event.count': refused.length, 'error.message': refused[0]!.reason }, 'documents refused by the sink: kept as dead letters');
      // The status's last error: a refusal is as much the operator's business as an outage.
      await this.options.activity.recordSinkError(`${refused.length} of ${batch.records.length} documents refused, kept as dead letters: ${refused[0]!.reason}`);
    }
    await this.options.activity.recordDelivered(batch.records.length - refused.length);
  }

  /** Counts an outage in the status (last error), for whichever caller waits it out. */
  async recordOutage(error: Error): Promise<void> {
    await this.options.activity.recordSinkError(error.message);
  }

  /** The records at `indices` of the batch, halved while they fail for what they hold (at most log2(n) deep). */
  private async write(sink: Sink, batch: AuditBatch, indices: number[], meta: BatchMeta): Promise<Refusal[]> {
    const part: AuditBatch = indices.length === batch.records.length ? batch : { ...batch, records: indices.map((i) => batch.records[i]!) };
    try {
      const documents = await this.options.pool.run(part, meta);
      const rejected = await sink.write(documents);
      return rejected.map(({ index, id, status, reason }) => ({ index: indices[index]!, id, status, reason }));
    } catch (error) {
      if (error instanceof SinkUnavailableError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      const status = (error as { status?: unknown }).status;
      if (indices.length === 1) {
        const index = indices[0]!;
        return [{ index, id: recordDocumentId(batch.source.identity ?? '', batch.records[index]!), status: typeof status === 'number' ? status : undefined, reason }];
      }
      this.options.logger.warn({ err: error, 'event.count': indices.length }, 'a batch failed for what it holds: delivering it in halves');
      const half = Math.ceil(indices.length / 2);
      const first = await this.write(sink, batch, indices.slice(0, half), meta);
      return [...first, ...(await this.write(sink, batch, indices.slice(half), meta))];
    }
  }
}
