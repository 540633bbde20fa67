/**
 * Runs toDocumentBatch on TRANSFORM_THREADS worker threads, so a forwarder uses more than one core
 * for the CPU-bound part of its work (toEcs, ids, JSON) while its main thread reads inputs and talks
 * to Redis and the sink. With 0 threads batches are transformed on the main thread.
 * A thread that dies is replaced, ever more slowly if it keeps dying; the batches it held, and
 * any batch while no thread runs, are transformed on the main thread.
 *
 * Enrichment runs where the documents are made, between toEcs and their serialization: each
 * thread has its own enricher and cache (a cache shared with the main thread would cost a
 * message round trip per batch, and enriching after serialization a second parse). Threads send
 * their enrichment reports to the main thread, which hands them to `report`.
 */
import { Worker } from 'node:worker_threads';
import { createEnricher, type Enricher, type EnrichmentReport, type EnrichSettings } from '../enrich/index.js';
import type { Logger } from '../logger.js';
import type { DocumentBatch } from '../sinks/document-batch.js';
import type { GeoDatabases, GeoLookup, TransformMeta } from '../transform/index.js';
import { batchLength, type RecordBatch } from './batch.js';
import { retryDelayMs } from '../backoff.js';
import { toDocumentBatch, toEnrichedDocumentBatch } from './to-document-batch.js';

/** What a batch's documents depend on besides its records; the thread adds its own GeoIP lookup. */
export type BatchMeta = Pick<TransformMeta, 'namespace' | 'keepOriginal' | 'receivedAt' | 'ingestedAt' | 'maxRecordBytes' | 'maxRecordDepth'>;

export interface ThreadRequest {
  id: number;
  batch: RecordBatch;
  meta: BatchMeta;
}

export type ThreadReply = { id: number; documents: DocumentBatch } | { id: number; error: string };

/** The buffer of a batch the sink has taken, back to the thread that made it (SpareBuffers). */
export interface ThreadSpare { spare: ArrayBuffer }

/** What a thread sends besides replies: its enricher's report (lookups that end after their batch). */
export interface ThreadEnrichmentReport { enrichment: EnrichmentReport }

export interface ThreadData {
  geo: GeoDatabases;
  enrich?: EnrichSettings;
}

export interface PoolEnrichment {
  settings: EnrichSettings;
  /** Called on the main thread with every report of every enricher of the pool. */
  report(delta: EnrichmentReport): void;
}

export class TransformThreadError extends Error {
  override readonly name = 'TransformThreadError';
}

/** A thread holds one batch at a time (a few, with enrichment, while lookups are under way): a small heap keeps the RSS low. */
const THREAD_HEAP_MB = 64;
/** A thread that keeps dying (e.g. cannot load) is restarted ever more slowly, up to this. */
const MAX_RESPAWN_DELAY_MS = 30_000;

/**
 * The bundle has the thread next to cli.js. The sources run through tsx (tests, `make bench`),
 * whose `--import` hooks do not reach worker threads on Node 20: such a thread registers tsx first.
 */
function threadEntry(): { script: string | URL; eval: boolean } {
  if (!import.meta.url.endsWith('.ts')) return { script: new URL('./transform-thread.js', import.meta.url), eval: false };
  const thread = new URL('./transform-thread.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  return { script: `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(thread)}); })`, eval: true };
}

interface Pending {
  resolve(documents: DocumentBatch): void;
  reject(error: Error): void;
}

class TransformThread {
  readonly pending = new Map<number, Pending>();
  private worker: Worker | undefined;
  private respawnTimer: NodeJS.Timeout | undefined;
  private nextId = 0;
  /** Exits since the last answered batch: the respawn backoff. */
  private exitsInRow = 0;

  constructor(private readonly data: ThreadData, private readonly logger: Logger, private readonly isClosing: () => boolean, private readonly report?: (delta: EnrichmentReport) => void) {
    this.worker = this.spawn();
  }

  get running(): boolean {
    return this.worker !== undefined;
  }

  run(batch: RecordBatch, meta: BatchMeta): Promise<DocumentBatch> {
    const worker = this.worker;
    if (!worker) return Promise.reject(new TransformThreadError('transform thread is restarting'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      // A thread keeps the process alive only while it holds a batch.
      if (this.pending.size === 0) worker.ref();
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, batch, meta } satisfies ThreadRequest);
    });
  }

  /** Transfers the buffer to the thread, unless that thread has gone. */
  giveBack(buffer: ArrayBuffer): void {
    this.worker?.postMessage({ spare: buffer } satisfies ThreadSpare, [buffer]);
  }

  async close(): Promise<void> {
    clearTimeout(this.respawnTimer);
    await this.worker?.terminate();
  }

  private spawn(): Worker {
    const entry = threadEntry();
    const worker = new Worker(entry.script, { eval: entry.eval, workerData: this.data satisfies ThreadData, resourceLimits: { maxOldGenerationSizeMb: THREAD_HEAP_MB } });
    worker.unref();
    worker.on('message', (reply: ThreadReply | ThreadEnrichmentReport) => {
      if ('enrichment' in reply) {
        this.report?.(reply.enrichment);
        return;
      }
      this.exitsInRow = 0;
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if ('error' in reply) waiting?.reject(new TransformThreadError(`transform thread: ${reply.error}`));
      else waiting?.resolve(reply.documents);
    });
    worker.on('error', (error) => this.logger.error({ err: error }, 'transform thread failed'));
    worker.on('exit', (code) => {
      this.worker = undefined;
      const lost = [...this.pending.values()];
      this.pending.clear();
      for (const waiting of lost) waiting.reject(new TransformThreadError(`transform thread exited (${code}) with the batch`));
      if (this.isClosing()) return;
      const delay = this.exitsInRow === 0 ? 0 : retryDelayMs(this.exitsInRow, MAX_RESPAWN_DELAY_MS);
      this.exitsInRow++;
      this.logger.warn({ 'process.exit_code': code, 'event.delay_ms': delay }, 'transform thread exited: starting another');
      this.respawnTimer = setTimeout(() => {
        if (!this.isClosing()) this.worker = this.spawn();
      }, delay).unref();
    });
    return worker;
  }
}

export class TransformPool {
  private readonly threads: TransformThread[] = [];
  /** Which thread made a batch's buffer, until it is given back (recycle). */
  private readonly madeBy = new WeakMap<ArrayBufferLike, TransformThread>();
  private closing = false;
  /** The main thread's own, for the batches it transforms. */
  private readonly inlineEnricher: Enricher | undefined;

  /** `inlineGeo` serves the main thread when no thread runs. */
  constructor(threads: number, geo: GeoDatabases, private readonly inlineGeo: GeoLookup | undefined, private readonly logger: Logger, enrichment?: PoolEnrichment) {
    const data: ThreadData = enrichment ? { geo, enrich: enrichment.settings } : { geo };
    for (let i = 0; i < threads; i++) this.threads.push(new TransformThread(data, logger, () => this.closing, enrichment?.report));
    this.inlineEnricher = enrichment && createEnricher(enrichment.settings, enrichment.report);
  }

  async run(batch: RecordBatch, meta: BatchMeta): Promise<DocumentBatch> {
    let idlest: TransformThread | undefined;
    for (const thread of this.threads) if (thread.running && (!idlest || thread.pending.size < idlest.pending.size)) idlest = thread;
    // No thread configured, or none running (they are being restarted): the main thread does it.
    if (!idlest) return this.runInline(batch, meta);
    try {
      const documents = await idlest.run(batch, meta);
      this.madeBy.set(documents.bytes.buffer, idlest);
      return documents;
    } catch (error) {
      if (!(error instanceof TransformThreadError) || this.closing) throw error;
      // A batch too big for a thread's small heap (or a thread that died under it) is not retried
      // there forever: the main thread, with the process's heap, transforms it once.
      this.logger.warn({ err: error, 'event.count': batchLength(batch) }, 'transform thread lost the batch: transforming it on the main thread');
      return this.runInline(batch, meta);
    }
  }

  /**
   * The batch's bytes go back to the thread that made them, for another batch: only once the sink
   * has taken the batch, every request that read its bytes ended. The batch must not be read after
   * this: its buffer is detached (a read then finds no bytes, never another batch's).
   */
  recycle(documents: DocumentBatch): void {
    const buffer = documents.bytes.buffer;
    const thread = this.madeBy.get(buffer);
    if (!thread || !(buffer instanceof ArrayBuffer)) return;
    this.madeBy.delete(buffer);
    thread.giveBack(buffer);
  }

  private runInline(batch: RecordBatch, meta: BatchMeta): Promise<DocumentBatch> | DocumentBatch {
    const full = { ...meta, geo: this.inlineGeo };
    return this.inlineEnricher ? toEnrichedDocumentBatch(batch, full, this.inlineEnricher) : toDocumentBatch(batch, full);
  }

  async close(): Promise<void> {
    this.closing = true;
    this.inlineEnricher?.close();
    await Promise.all(this.threads.map((thread) => thread.close()));
  }
}
