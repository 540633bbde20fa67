/**
 * NDJSON file sink, the default when no Elasticsearch is configured: appends each batch and
 * fsyncs before acknowledging it, rotates by size (audit.ndjson → audit.ndjson.1 → ...).
 * Its lines are the documents as Elasticsearch stores them (`documents`: one a line, no `_id`
 * inside, which Elasticsearch refuses as a metadata field), or the bulk body itself (`bulk`: each
 * document after its `create` action with index and id, for `_bulk` to take as it is, and retried
 * without duplicates). A batch is written whole, so a rotated file never splits an action from its document.
 * Delivery is at-least-once: a batch retried after a crash between fsync and the job's
 * completion is written again (Elasticsearch's create-by-id is what makes that sink exactly-once).
 */
import { mkdir, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { bulkBody, documentLines, type DocumentBatch } from './document-batch.js';
import type { RejectedDocument, Sink, SinkHealth } from './types.js';
import { SinkUnavailableError } from './types.js';

export interface FileSinkOptions {
  path: string;
  format: 'documents' | 'bulk';
  maxBytes: number;
  maxFiles: number;
}

export class FileSink implements Sink {
  readonly kind = 'file' as const;
  private handle: FileHandle | undefined;
  private size = 0;
  private lastError: string | undefined;
  // Batches from concurrent jobs must not interleave inside the file.
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: FileSinkOptions) {}

  write(batch: DocumentBatch): Promise<RejectedDocument[]> {
    const run = this.queue.then(() => this.append(batch));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async append(batch: DocumentBatch): Promise<RejectedDocument[]> {
    if (batch.ids.length === 0) return [];
    const bytes = this.options.format === 'bulk' ? bulkBody(batch) : documentLines(batch);
    try {
      const handle = await this.open();
      await handle.write(bytes);
      await handle.sync();
      this.size += bytes.length;
      this.lastError = undefined;
      if (this.size >= this.options.maxBytes) await this.rotate();
    } catch (error) {
      this.lastError = (error as Error).message;
      await this.closeHandle();
      throw new SinkUnavailableError(`cannot append to ${this.options.path}: ${(error as Error).message}`, 1000, { cause: error });
    }
    return [];
  }

  private async open(): Promise<FileHandle> {
    if (this.handle) return this.handle;
    await mkdir(dirname(this.options.path), { recursive: true });
    this.handle = await open(this.options.path, 'a');
    this.size = (await this.handle.stat()).size;
    return this.handle;
  }

  private async rotate(): Promise<void> {
    await this.closeHandle();
    const { path, maxFiles } = this.options;
    await rm(`${path}.${maxFiles}`, { force: true });
    for (let n = maxFiles - 1; n >= 1; n--) {
      await rename(`${path}.${n}`, `${path}.${n + 1}`).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    }
    await rename(path, `${path}.1`);
    this.size = 0;
  }

  async check(): Promise<SinkHealth> {
    const health: SinkHealth = { kind: 'file', target: this.options.path, reachable: this.lastError === undefined };
    try {
      await mkdir(dirname(this.options.path), { recursive: true });
      await stat(dirname(this.options.path));
    } catch (error) {
      return { ...health, reachable: false, error: (error as Error).message };
    }
    return this.lastError ? { ...health, error: this.lastError } : health;
  }

  private async closeHandle(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    try {
      await handle?.close();
    } catch (error) {
      // Only reached after a failed write, which is already reported; keep that error, note this one.
      this.lastError = `${this.lastError ?? 'close failed'}; close: ${(error as Error).message}`;
    }
  }

  async close(): Promise<void> {
    await this.queue;
    await this.closeHandle();
  }
}
