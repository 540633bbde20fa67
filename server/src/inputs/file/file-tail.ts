/**
 * The file input (AUDIT_LOG_PATHS): follows audit.log files as Filebeat's filestream does.
 * Every 250 ms (sooner when fs.watch reports a change) the patterns are matched again and each
 * file's descriptor is checked:
 * - rename rotation: the renamed file keeps its descriptor and is read to its end; once it is no
 *   longer at any watched path, drained and quiet for FINISH_QUIET_MS, its partial last line is
 *   emitted and it is closed; the new file at the path is read from its start;
 * - copytruncate (the size drops below what was read, or the head changes): read again from 0;
 * - deletion: like a rename away; re-creation: a new inode, a new file.
 * Lines go in 1 MiB reads (BATCH_SIZE batches each), a few reads in flight, to the sink directly
 * or to the queue (AUDIT_LOG_DELIVERY); the checkpoint moves only after the sink (or the queue)
 * holds the lines before it (see file-checkpoints.ts).
 */
import { dirname } from 'node:path';
import type { RecordSource } from '../../transform/index.js';
import { blockLength, type LineBlock } from '../../records/index.js';
import { FileCheckpoints, fileCheckpointsKey } from './file-checkpoints.js';
import { inodeKey } from './file-identity.js';
import { ResumePoints } from './file-resume.js';
import { FileWatchers } from './file-watchers.js';
import { InputErrors } from '../input-errors.js';
import type { Input, InputContext, InputStatus } from '../input.js';
import { findByInode, matchFiles, parsePathList } from './path-patterns.js';
import { retryDelayMs } from '../../backoff.js';
import { QueueRoom } from '../queue-room.js';
import { TailedFile } from './tailed-file.js';

const POLL_MS = 250;
const CHUNK_BYTES = 1024 * 1024;
const MAX_READS_IN_FLIGHT = 4;
/** A rotated-away file is finished once it has not grown for this long (writers close it on rotation). */
const FINISH_QUIET_MS = 5000;
const MAX_RETRY_MS = 30_000;

export class FileTailInput implements Input {
  readonly name = 'file';
  private readonly patterns: string[];
  private readonly files = new Map<string, TailedFile>();
  private readonly resume: ResumePoints;
  private readonly room: QueueRoom;
  private readonly abort = new AbortController();
  private readonly watchers: FileWatchers;
  /** Files found at a first start with AUDIT_LOG_START=end. */
  private readonly startAtEnd = new WeakSet<TailedFile>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private tickAgain = false;
  private records = 0;
  private bytes = 0;
  private lastRecordAt: string | null = null;
  private readonly errors: InputErrors;

  constructor(private readonly ctx: InputContext, paths: string) {
    this.patterns = parsePathList(paths);
    this.resume = new ResumePoints(new FileCheckpoints(ctx.redis, fileCheckpointsKey(ctx.settings.QUEUE_PREFIX, ctx.hostName), ctx.replicas));
    this.room = new QueueRoom(ctx.fileDestination, ctx.settings.QUEUE_HIGH_WATER_MARK, MAX_READS_IN_FLIGHT);
    this.watchers = new FileWatchers(this.patterns, () => this.kick(), ctx.logger);
    this.errors = new InputErrors(this.name, ctx.logger, ctx.activity);
  }

  async start(): Promise<void> {
    const loaded = await this.resume.load();
    if (loaded.invalid.length > 0) this.ctx.logger.warn({ 'labels.fields': loaded.invalid.join(',') }, 'ignoring unreadable file checkpoints');
    const startAtEnd = loaded.firstStart && this.ctx.settings.AUDIT_LOG_START === 'end';
    for (const { path } of await matchFiles(this.patterns)) {
      const file = await this.track(path, startAtEnd);
      if (file) await this.identify(file, false);
    }
    await this.recoverOrphans();
    await this.resume.markStarted();
    this.watchers.refresh();
    this.timer = setInterval(() => this.kick(), POLL_MS);
    this.kick();
    this.ctx.logger.info({ 'file.path': this.patterns.join(','), 'event.count': this.files.size }, 'file input following audit logs');
  }

  async stop(): Promise<void> {
    this.abort.abort();
    clearInterval(this.timer);
    this.watchers.close();
    await this.ticking;
    const files = [...this.files.values()];
    await Promise.all(files.map((file) => file.pumping));
    await Promise.all(files.map((file) => file.committing));
    await Promise.all(files.map((file) => file.close()));
    this.files.clear();
  }

  status(): InputStatus {
    const files = [...this.files.values()];
    return {
      kind: 'file', target: this.patterns.join(','), records: this.records, bytes: this.bytes, lastRecordAt: this.lastRecordAt,
      lag: files.reduce((sum, file) => sum + Math.max(0, file.size - file.committed), 0),
      lastError: this.errors.last, paused: this.room.paused,
      files: files.map((file) => ({ path: file.path, offset: file.committed, size: file.size, state: file.detached ? 'rotated' : 'live' })),
    };
  }

  /** Runs a scan now, or right after the running one. */
  private kick(): void {
    if (this.abort.signal.aborted) return;
    if (this.ticking) {
      this.tickAgain = true;
      return;
    }
    this.ticking = this.tick()
      .catch((error: unknown) => this.errors.report(error, 'cannot scan the audit log paths'))
      .finally(() => {
        this.ticking = undefined;
        if (this.tickAgain) {
          this.tickAgain = false;
          this.kick();
        }
      });
  }

  private async tick(): Promise<void> {
    try {
      await this.scan();
    } finally {
      this.watchers.refresh();
      for (const file of this.files.values()) this.pump(file);
    }
  }

  /** Matches the patterns again: new files are followed, files no longer matched are detached. */
  private async scan(): Promise<void> {
    const present = new Set<string>();
    for (const { path, stats } of await matchFiles(this.patterns)) {
      const key = inodeKey(String(stats.dev), String(stats.ino));
      present.add(key);
      const known = this.files.get(key);
      if (known) {
        known.path = path;
        known.detachedAt = undefined;
        continue;
      }
      try {
        const file = await this.track(path, false);
        if (file) present.add(file.key);
      } catch (error) {
        this.errors.report(error, `cannot open ${path}`);
      }
    }
    for (const file of this.files.values()) {
      if (!present.has(file.key) && !file.detached) {
        file.detachedAt = Date.now();
        this.ctx.logger.info({ 'file.path': file.path }, 'audit log rotated away or deleted: reading it to its end');
      }
    }
  }

  private async track(path: string, startAtEnd: boolean): Promise<TailedFile | undefined> {
    const file = await TailedFile.open(path, this.ctx.settings.MAX_RECORD_BYTES);
    if (!file) return undefined;
    if (this.files.has(file.key)) {
      await file.close();
      return this.files.get(file.key);
    }
    this.files.set(file.key, file);
    if (startAtEnd) this.startAtEnd.add(file);
    return file;
  }

  /** Gives the file its identity and where to start: its checkpoint, or the start (or end) of the file. */
  private async identify(file: TailedFile, final: boolean): Promise<boolean> {
    const fingerprint = await file.head(final);
    if (fingerprint === undefined) return false;
    const { identity, offset } = await this.resume.claim(file, fingerprint);
    file.identity = identity;
    file.fingerprint = fingerprint;
    file.restartAt(offset ?? (this.startAtEnd.has(file) ? await file.endOfLastLine(file.initialSize) : 0));
    await this.saveCheckpoint(file);
    return true;
  }

  /** Checkpointed files no pattern matches any more (rotated while we were down): drain them too. */
  private async recoverOrphans(): Promise<void> {
    for (const entry of this.resume.unclaimed()) {
      // An inode we follow that answers to another identity was truncated or reused: stale.
      const path = this.files.has(inodeKey(entry.dev, entry.ino)) ? undefined : await findByInode(dirname(entry.path), entry.dev, entry.ino);
      const file = path ? await this.track(path, false) : undefined;
      if (file && (await file.head(true)) === entry.fingerprint && (await this.identify(file, true))) {
        file.detachedAt = Date.now();
        this.ctx.logger.info({ 'file.path': path }, 'reading the rest of an audit log rotated while the forwarder was down');
        continue;
      }
      if (file) {
        this.files.delete(file.key);
        await file.close();
      }
      await this.resume.release(entry.identity);
    }
  }

  private pump(file: TailedFile): void {
    if (file.pumping || this.abort.signal.aborted || Date.now() < file.retryAt) return;
    file.pumping = this.drain(file)
      .catch((error: unknown) => {
        file.retryAt = Date.now() + retryDelayMs(++file.failures, MAX_RETRY_MS);
        this.errors.report(error, `cannot read ${file.path}`);
      })
      .finally(() => {
        file.pumping = undefined;
      });
  }

  /** Reads what the file has now; returns when it is at its end (the next tick comes back). */
  private async drain(file: TailedFile): Promise<void> {
    while (!this.abort.signal.aborted) {
      if (file.failure) return this.rewind(file);
      const change = await file.refresh();
      if (change === 'truncated') {
        await this.restartTruncated(file);
        continue;
      }
      if (!file.identity && !(await this.identify(file, false))) return;
      if (file.readOffset >= file.size) {
        if (file.detached && Date.now() - Math.max(file.detachedAt ?? 0, file.lastGrowthAt) >= FINISH_QUIET_MS) await this.finish(file);
        return;
      }
      if (!(await this.room.acquire(this.abort.signal))) return;
      let chunk;
      try {
        chunk = await file.read(CHUNK_BYTES);
      } catch (error) {
        this.room.release();
        throw error;
      }
      this.commit(file, chunk.lines, chunk.bytes);
    }
  }

  /** Queues lines, then (in read order, after every earlier commit) moves the checkpoint. */
  private commit(file: TailedFile, lines: LineBlock, bytes: number): void {
    const records = blockLength(lines);
    const generation = file.generation;
    const endOffset = file.lineOffset;
    const enqueued = records > 0 ? this.ctx.fileDestination.enqueueLines(lines, this.sourceOf(file)) : Promise.resolve(0);
    const previous = file.committing;
    file.committing = (async () => {
      try {
        await enqueued;
      } catch (error) {
        file.fail(error as Error, generation);
        return;
      } finally {
        this.room.release();
      }
      // Every batch of the block is delivered, or queued as records: nothing reads its bytes any more.
      file.releaseBlock(lines);
      await previous;
      if (file.generation !== generation || file.failure) return;
      file.committed = endOffset;
      file.failures = 0;
      this.records += records;
      this.bytes += bytes;
      if (records > 0) this.lastRecordAt = new Date().toISOString();
      await Promise.all([
        this.saveCheckpoint(file),
        this.ctx.activity.recordInput(this.name, records, bytes).catch((error: unknown) => this.errors.report(error, 'cannot count file input activity')),
      ]);
    })();
  }

  private async saveCheckpoint(file: TailedFile): Promise<void> {
    // A lost checkpoint write costs re-reading (same ids), not records: report it and go on.
    await this.resume.save(file).catch((error: unknown) => this.errors.report(error, `cannot save the checkpoint of ${file.path}`));
  }

  /** After a failed enqueue: wait for the commits in flight, then read again from the checkpoint. */
  private async rewind(file: TailedFile): Promise<void> {
    await file.committing;
    const error = file.failure;
    const delay = retryDelayMs(++file.failures, MAX_RETRY_MS);
    file.retryAt = Date.now() + delay;
    this.errors.report(error, `cannot queue lines of ${file.path}: reading them again in ${delay} ms`);
    file.restartAt(file.committed);
  }

  private async restartTruncated(file: TailedFile): Promise<void> {
    await file.committing;
    this.ctx.logger.warn({ 'file.path': file.path, 'event.reason': 'truncated', 'file.size': file.size, 'labels.dropped_partial_bytes': file.pendingBytes }, 'audit log truncated (copytruncate?): reading it again from its start');
    if (file.identity) await this.resume.release(file.identity);
    file.identity = undefined;
    file.fingerprint = undefined;
    file.size = 0;
    file.restartAt(0);
  }

  /** A rotated-away file that is drained and quiet: its partial last line is a record now. */
  private async finish(file: TailedFile): Promise<void> {
    if (file.identity || (await this.identify(file, true))) {
      const last = file.takeLastLine();
      if (last && (await this.room.acquire(this.abort.signal))) this.commit(file, last.lines, file.readOffset - last.offset);
      else if (last) return file.restartAt(file.committed);
      await file.committing;
      if (file.failure) return;
    }
    this.files.delete(file.key);
    if (file.identity) await this.resume.release(file.identity);
    await file.close();
    this.ctx.logger.info({ 'file.path': file.path, 'log.offset': file.committed }, 'finished reading a rotated-away audit log');
  }

  private sourceOf(file: TailedFile): RecordSource {
    return { input: 'file', identity: file.identity, path: file.path, host: this.ctx.hostName };
  }
}
