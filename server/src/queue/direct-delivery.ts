/**
 * AUDIT_LOG_DELIVERY=direct: the file input's lines go from the file straight to the sink, without
 * the Redis hop, as Filebeat ships a log. The file is the buffer: enqueue resolves only once the
 * sink holds every line, and only then does the input move its checkpoint, so a crash or an outage
 * re-reads lines (same ids, no duplicates in Elasticsearch) and never loses one. While the sink is
 * unavailable a batch waits and retries; on stop it gives up, leaving its lines after the checkpoint.
 */
import { pause, retryDelayMs } from '../backoff.js';
import type { Logger } from '../logger.js';
import { SinkUnavailableError } from '../sinks/types.js';
import type { RecordSource } from '../transform/index.js';
import { blockLength, sliceBlock, type LineBlock } from '../records/index.js';
import type { LineBatch, RecordDestination } from './batch.js';
import type { BatchDelivery } from './batch-delivery.js';

const MAX_BACKOFF_MS = 30_000;

export class DeliveryStoppedError extends Error {
  override readonly name = 'DeliveryStoppedError';
}

export class DirectDelivery implements RecordDestination {
  private readonly stopping = new AbortController();
  private inFlight = 0;

  constructor(private readonly delivery: BatchDelivery, private readonly batchSize: number, private readonly logger: Logger) {}

  async enqueueLines(lines: LineBlock, source: RecordSource, receivedAt = new Date().toISOString()): Promise<number> {
    const count = blockLength(lines);
    if (count === 0) return 0;
    const batches: LineBatch[] = [];
    if (count <= this.batchSize) batches.push({ lines, source, receivedAt });
    else for (let i = 0; i < count; i += this.batchSize) batches.push({ lines: sliceBlock(lines, i, Math.min(count, i + this.batchSize)), source, receivedAt });
    this.inFlight += count;
    try {
      // The batches of one read go to the transform threads and the sink side by side.
      await Promise.all(batches.map((batch) => this.deliverUntilStored(batch)));
    } finally {
      this.inFlight -= count;
    }
    return count;
  }

  async pendingRecords(): Promise<number> {
    return this.inFlight;
  }

  /** Outage waits end at once (their lines stay after the checkpoint); writes under way finish. */
  stop(): void {
    this.stopping.abort();
  }

  private async deliverUntilStored(batch: LineBatch): Promise<void> {
    for (let outages = 1; ; outages++) {
      try {
        return await this.delivery.deliver(batch);
      } catch (error) {
        if (!(error instanceof SinkUnavailableError)) throw error;
        if (this.stopping.signal.aborted) throw new DeliveryStoppedError(`stopping while the sink is unavailable: ${error.message}`, { cause: error });
        const delay = Math.max(error.retryAfterMs ?? 0, retryDelayMs(outages, MAX_BACKOFF_MS));
        this.logger.warn({ err: error, 'event.delay_ms': delay }, 'sink unavailable: the file input waits');
        await this.delivery.recordOutage(error);
        await pause(delay, this.stopping.signal);
      }
    }
  }
}
