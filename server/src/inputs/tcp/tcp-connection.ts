/**
 * One TCP client: newline-delimited records, split without decoding, a line over the size limit
 * truncated and tagged, blank lines skipped. The socket is paused while its lines are being
 * queued, so a fast client is slowed down by TCP itself, and each client has at most one enqueue
 * in flight, so it cannot starve the others.
 *
 * Nothing is ever written back: Mattermost's TCP target (logr) reads its socket only to notice
 * that it closed, and closes it on any byte it receives.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Socket } from 'node:net';
import type { Logger } from '../../logger.js';
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
  /** Queues records; retries until they are queued or the input stops, then resolves. */
  deliver(records: RawRecord[], bytes: number): Promise<void>;
  onRejected(): void;
  logger: Logger;
}

export class TcpConnection {
  readonly remote: string;
  private splitter: LineSplitter;
  private pending: Line[] = [];
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
      if (partialBytes > 0) options.logger.warn({ err: error, 'client.address': this.remote, 'labels.dropped_bytes': partialBytes }, 'TCP connection failed: its unfinished line is dropped');
      else options.logger.info({ err: error, 'client.address': this.remote }, 'TCP connection failed');
    });
    this.done = new Promise<void>((resolve) => socket.once('close', () => resolve()))
      .then(() => this.flushing)
      .finally(() => clearTimeout(this.authTimer));
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
  }

  private take(lines: readonly Line[]): void {
    for (const line of lines) {
      if (isBlankLine(line.bytes)) continue;
      this.pending.push(line);
    }
  }

  /** Queues pending lines in BATCH_SIZE slices, the socket paused meanwhile. */
  private flush(): void {
    if (this.flushing || this.pending.length === 0) return;
    this.socket.pause();
    this.flushing = (async () => {
      while (this.pending.length > 0) {
        const lines = this.pending.splice(0, this.options.batchSize);
        const bytes = lines.reduce((sum, line) => sum + (line.truncatedFromBytes ?? line.bytes.length) + 1, 0);
        // Offsets within a connection identify nothing; a record's id is its content's hash.
        await this.options.deliver(lines.map((line) => withoutOffset(recordFromLine(line))), bytes);
      }
    })().finally(() => {
      this.flushing = undefined;
      if (this.ending) this.socket.destroy();
      else this.socket.resume();
    });
  }

  private reject(reason: string): void {
    this.options.logger.warn({ 'client.address': this.remote, 'event.reason': reason }, 'TCP client not authenticated: connection closed');
    this.options.onRejected();
    this.authenticated = false;
    this.pending = [];
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
