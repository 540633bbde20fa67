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
import { batchLength, batchRecords, type AuditBatch, type RecordBatch } from './batch.js';
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
  async deliver(batch: RecordBatch): Promise<void> {
    const { sink, config } = await this.options.sinks.current();
    const meta: BatchMeta = {
      namespace: config.settings.DATA_STREAM_NAMESPACE,
      keepOriginal: config.settings.KEEP_ORIGINAL,
      receivedAt: batch.receivedAt,
      ingestedAt: ingestedNow(),
      maxRecordBytes: this.options.maxRecordBytes,
      maxRecordDepth: this.options.maxRecordDepth,
    };
    const count = batchLength(batch);
    const refused = await this.write(sink, batch, undefined, meta);
    if (refused.length > 0) {
      const at = new Date().toISOString();
      const records = batchRecords(batch);
      await this.options.deadLetters.add(refused.map(({ index, id, status, reason }): DeadLetter => ({
        id, record: records[index]!, source: batch.source, receivedAt: batch.receivedAt, reason, status, at,
      })));
      this.options.logger.warn({ 'event.count': refused.length, 'error.message': refused[0]!.reason }, 'documents refused by the sink: kept as dead letters');
      // The status's last error: a refusal is as much the operator's business as an outage.
      await this.options.activity.recordSinkError(`${refused.length} of ${count} documents refused, kept as dead letters: ${refused[0]!.reason}`);
    }
    await this.options.activity.recordDelivered(count - refused.length);
  }

  /** Counts an outage in the status (last error), for whichever caller waits it out. */
  async recordOutage(error: Error): Promise<void> {
    await this.options.activity.recordSinkError(error.message);
  }

  /**
   * The records at `indices` of the batch (all of them when undefined), halved while they fail for
   * what they hold (at most log2(n) deep). A part of a batch is made of records (batchRecords).
   */
  private async write(sink: Sink, batch: RecordBatch, indices: number[] | undefined, meta: BatchMeta): Promise<Refusal[]> {
    const part: RecordBatch = indices === undefined ? batch : partOf(batch, indices);
    try {
      const documents = await this.options.pool.run(part, meta);
      const rejected = await sink.write(documents);
      // Taken: no request of the sink reads the bytes any more (one that failed might, so only here).
      this.options.pool.recycle(documents);
      return rejected.map(({ index, id, status, reason }) => ({ index: indices ? indices[index]! : index, id, status, reason }));
    } catch (error) {
      if (error instanceof SinkUnavailableError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      const status = (error as { status?: unknown }).status;
      // Records from here on: a file's lines are decoded once, not once for every half.
      const whole: AuditBatch = 'lines' in batch ? { records: batchRecords(batch), source: batch.source, receivedAt: batch.receivedAt } : batch;
      const all = indices ?? whole.records.map((_, i) => i);
      if (all.length === 1) {
        const index = all[0]!;
        return [{ index, id: recordDocumentId(batch.source.identity ?? '', whole.records[index]!), status: typeof status === 'number' ? status : undefined, reason }];
      }
      this.options.logger.warn({ err: error, 'event.count': all.length }, 'a batch failed for what it holds: delivering it in halves');
      const half = Math.ceil(all.length / 2);
      const first = await this.write(sink, whole, all.slice(0, half), meta);
      return [...first, ...(await this.write(sink, whole, all.slice(half), meta))];
    }
  }
}

/** The records at `indices` of a batch, as a batch of records. */
function partOf(batch: RecordBatch, indices: readonly number[]): AuditBatch {
  const records = batchRecords(batch);
  return { records: indices.map((i) => records[i]!), source: batch.source, receivedAt: batch.receivedAt };
}
