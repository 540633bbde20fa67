/**
 * One TCP client: newline-delimited records, split without decoding, a line over the size limit
 * truncated and tagged, blank lines skipped. The socket is paused while its lines are being
 * queued, so a fast client is slowed down by TCP itself, and each client has at most one enqueue
 * in flight, so it cannot starve the others. What it holds (a partial line, lines not queued yet)
 * is charged to the in-flight budget, and the socket is paused too while the budget is full.
 *
 * Nothing is ever written back: Mattermost's TCP target (logr) reads its socket only to notice
 * that it closed, and closes it on any byte it receives.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Socket } from 'node:net';
import type { Logger } from '../../logger.js';
import type { InFlightBudget } from '../in-flight-budget.js';
import { isBlankLine, LineSplitter, recordFromLine, type Line, type RawRecord } from '../../records/index.js';

/** How long a client may take to send the token line, and how long that line may be. */
const AUTH_TIMEOUT_MS = 10_000;
const MAX_TOKEN_LINE_BYTES = 1024;

export interface ConnectionOptions {
  maxRecordBytes: number;
  idleTimeoutMs: number;
  /** When set, the first line must be this token. */
  token: string | undefined;
  batchSize: number;
  /**
   * Queues the records (made by `records` once it may queue them); retries until they are queued
   * or the input stops, then resolves.
   */
  deliver(records: () => RawRecord[], bytes: number): Promise<void>;
  onRejected(): void;
  logger: Logger;
  budget: InFlightBudget;
}

export class TcpConnection {
  readonly remote: string;
  private splitter: LineSplitter;
  private pending: Line[] = [];
  /** Bytes of the lines read and not yet queued (in `pending` or being delivered). */
  private pendingBytes = 0;
  /** What this connection holds of the budget. */
  private charged = 0;
  private waitingForRoom = false;
  private readonly closed = new AbortController();
  private received = 0;
  private authenticated: boolean;
  private authTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private ending = false;
  /** Resolves once the socket is closed and everything it sent is queued. */
  readonly done: Promise<void>;

  constructor(private readonly socket: Socket, private readonly options: ConnectionOptions) {
    this.remote = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    this.splitter = new LineSplitter(options.maxRecordBytes);
    this.authenticated = options.token === undefined;
    if (!this.authenticated) this.authTimer = setTimeout(() => this.reject('no token line in time'), AUTH_TIMEOUT_MS);
    socket.setTimeout(options.idleTimeoutMs);
    socket.on('timeout', () => {
      options.logger.info({ 'client.address': this.remote }, 'TCP client idle: closing its connection');
      this.end();
    });
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    // A clean close: a last line without its newline is still a record.
    socket.on('end', () => this.end());
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // A reset: a sender whose write failed sends that record again on a new connection, so
      // the piece of it that arrived here is not a record.
      const partialBytes = this.received - this.splitter.offset;
      this.splitter = new LineSplitter(options.maxRecordBytes);
      this.account();
      if (partialBytes > 0) options.logger.warn({ err: error, 'client.address': this.remote, 'labels.dropped_bytes': partialBytes }, 'TCP connection failed: its unfinished line is dropped');
      else options.logger.info({ err: error, 'client.address': this.remote }, 'TCP connection failed');
    });
    socket.once('close', () => {
      this.closed.abort();
      options.budget.releaseOverdraft(this);
    });
    this.done = new Promise<void>((resolve) => socket.once('close', () => resolve()))
      .then(() => this.flushing)
      .finally(() => {
        clearTimeout(this.authTimer);
        // Whatever was still held is gone with the socket (queued, or dropped after a reset).
        this.pending = [];
        this.pendingBytes = 0;
        this.splitter = new LineSplitter(options.maxRecordBytes);
        this.account();
      });
  }

  /** True while it does not read for want of room in the in-flight budget. */
  get waitingForMemory(): boolean {
    return this.waitingForRoom;
  }

  /** Stops the connection: what was received is queued, then the socket is closed. */
  end(): void {
    if (this.ending) return;
    this.ending = true;
    const last = this.authenticated ? this.splitter.end() : undefined;
    if (last) this.take([last]);
    this.flush();
    if (!this.flushing) this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    this.received += chunk.length;
    const lines = this.splitter.push(chunk);
    if (!this.authenticated) {
      const first = lines.shift();
      if (!first) {
        if (this.received > MAX_TOKEN_LINE_BYTES) this.reject('token line too long');
        return;
      }
      if (!sameToken(first.bytes, this.options.token!)) return this.reject('wrong token');
      this.authenticated = true;
      clearTimeout(this.authTimer);
    }
    this.take(lines);
    this.flush();
    this.account();
  }

  private take(lines: readonly Line[]): void {
    for (const line of lines) {
      if (isBlankLine(line.bytes)) continue;
      this.pending.push(line);
      this.pendingBytes += line.bytes.length;
    }
  }

  /**
   * Charges the budget with what the connection holds now, and stops reading while the budget is
   * over its limit, unless this connection has the overdraft: it holds part of a line and nobody
   * else has it, so its line can be completed (and queued) while the others wait.
   */
  private account(): void {
    const { budget } = this.options;
    const held = this.splitter.heldBytes + this.pendingBytes;
    if (held > this.charged) budget.take(held - this.charged);
    else budget.give(this.charged - held);
    this.charged = held;
    if (this.splitter.heldBytes === 0) budget.releaseOverdraft(this);
    if (!budget.overLimit || this.waitingForRoom || this.ending || this.closed.signal.aborted) return;
    if (this.splitter.heldBytes > 0 && budget.claimOverdraft(this)) return;
    this.waitingForRoom = true;
    this.updateFlow();
    // Not reading for want of room is not the client being idle.
    this.socket.setTimeout(0);
    void budget.waitForRoom(this, this.closed.signal).then(() => {
      this.waitingForRoom = false;
      this.socket.setTimeout(this.options.idleTimeoutMs);
      this.updateFlow();
    });
  }

  /** Reading goes on only while no enqueue is in flight and the budget has room. */
  private updateFlow(): void {
    if (this.ending) return;
    if (this.flushing || this.waitingForRoom) this.socket.pause();
    else this.socket.resume();
  }

  /** Queues pending lines in BATCH_SIZE slices, the socket paused meanwhile. */
  private flush(): void {
    if (this.flushing || this.pending.length === 0) return;
    this.socket.pause();
    this.flushing = (async () => {
      while (this.pending.length > 0) {
        let lines: Line[] | undefined = this.pending.splice(0, this.options.batchSize);
        const bytes = lines.reduce((sum, line) => sum + (line.truncatedFromBytes ?? line.bytes.length) + 1, 0);
        const held = lines.reduce((sum, line) => sum + line.bytes.length, 0);
        // Offsets within a connection identify nothing; a record's id is its content's hash.
        await this.options.deliver(() => {
          const records = lines!.map((line) => withoutOffset(recordFromLine(line)));
          lines = undefined; // the bytes are text now: let them go
          return records;
        }, bytes);
        this.pendingBytes -= held;
        this.account();
      }
    })().finally(() => {
      this.flushing = undefined;
      if (this.ending) this.socket.destroy();
      else this.updateFlow();
    });
  }

  private reject(reason: string): void {
    this.options.logger.warn({ 'client.address': this.remote, 'event.reason': reason }, 'TCP client not authenticated: connection closed');
    this.options.onRejected();
    this.authenticated = false;
    this.pending = [];
    this.pendingBytes = 0;
    this.ending = true;
    this.socket.destroy();
  }
}

function withoutOffset({ offset: _offset, ...record }: RawRecord): RawRecord {
  return record;
}

function sameToken(line: Buffer, token: string): boolean {
  // Hashes have equal lengths, so the comparison takes the same time whatever was sent.
  const digest = (value: Buffer | string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(line), digest(token));
}
