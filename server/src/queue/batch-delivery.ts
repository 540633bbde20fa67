/**
 * One batch from raw records to the sink: transformed on the TransformPool, written with the
 * current runtime config, refused documents kept as dead letters. The BullMQ worker and the
 * direct file delivery both go through here; they differ only in how they wait out an outage.
 */
import type { Logger } from '../logger.js';
import type { SinkProvider } from '../sinks/sink-provider.js';
import type { Activity } from '../status/activity.js';
import type { AuditBatch } from './batch.js';
import type { DeadLetter, DeadLetters } from './dead-letters.js';
import type { TransformPool } from './transform-pool.js';

export interface BatchDeliveryOptions {
  sinks: SinkProvider;
  pool: TransformPool;
  deadLetters: DeadLetters;
  activity: Activity;
  logger: Logger;
  maxRecordBytes: number;
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
    const documents = await this.options.pool.run(batch, {
      namespace: config.settings.DATA_STREAM_NAMESPACE,
      keepOriginal: config.settings.KEEP_ORIGINAL,
      receivedAt: batch.receivedAt,
      ingestedAt: ingestedNow(),
      maxRecordBytes: this.options.maxRecordBytes,
    });
    const rejected = await sink.write(documents);
    if (rejected.length > 0) {
      const at = new Date().toISOString();
      await this.options.deadLetters.add(rejected.map(({ index, id, status, reason }): DeadLetter => ({
        id, record: batch.records[index]!, source: batch.source, receivedAt: batch.receivedAt, reason, status, at,
      })));
      this.options.logger.warn({ 'event.count': rejected.length, 'error.message': rejected[0]!.reason }, 'documents refused by the sink: kept as dead letters');
      // The status's last error: a refusal is as much the operator's business as an outage.
      await this.options.activity.recordSinkError(`${rejected.length} of ${documents.ids.length} documents refused, kept as dead letters: ${rejected[0]!.reason}`);
    }
    await this.options.activity.recordDelivered(documents.ids.length - rejected.length);
  }

  /** Counts an outage in the status (last error), for whichever caller waits it out. */
  async recordOutage(error: Error): Promise<void> {
    await this.options.activity.recordSinkError(error.message);
  }
}
