/**
 * The TCP input (TCP_LISTEN): what Mattermost's advanced logging TCP target sends, one JSON
 * record per line over one long-lived connection that it re-dials (backing off up to 30 s)
 * whenever a write fails; TLS when TCP_TLS_CERT/TCP_TLS_KEY are set.
 *
 * Authentication, for senders that can do it (Mattermost's own target can do neither; put it on
 * a trusted network or loopback, or behind a TLS proxy such as stunnel that presents a client
 * certificate):
 * - TCP_TOKEN: the first line of every connection must be exactly the token; anything else
 *   closes the connection and nothing it sent is queued.
 * - TCP_TLS_CA: clients must present a certificate signed by this CA.
 *
 * There is no acknowledgement in this protocol: what a client wrote into a connection that closes
 * before we read it is lost to us, and the sender cannot know. Records we read are queued even
 * while the input stops.
 */
import { readFile } from 'node:fs/promises';
import { once } from 'node:events';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TlsOptions } from 'node:tls';
import { ConfigError } from '../../config/load.js';
import type { RawRecord } from '../../records/index.js';
import type { RecordSource } from '../../transform/index.js';
import { InputErrors } from '../input-errors.js';
import type { Input, InputContext, InputStatus } from '../input.js';
import { pause, retryDelayMs } from '../../backoff.js';
import { QueueRoom } from '../queue-room.js';
import { TcpConnection } from './tcp-connection.js';

const MAX_ENQUEUES_IN_FLIGHT = 8;
const TLS_HANDSHAKE_TIMEOUT_MS = 10_000;
const MAX_RETRY_MS = 30_000;

export class TcpInput implements Input {
  readonly name = 'tcp';
  private readonly host: string;
  private readonly port: number;
  private server: Server | undefined;
  private readonly connections = new Set<TcpConnection>();
  private readonly room: QueueRoom;
  private readonly abort = new AbortController();
  private readonly source: RecordSource;
  private address = '';
  private counts = { records: 0, bytes: 0, accepted: 0, rejected: 0, dropped: 0 };
  private lastRecordAt: string | null = null;
  private readonly errors: InputErrors;

  constructor(private readonly ctx: InputContext, listen: string) {
    const split = listen.lastIndexOf(':');
    this.host = listen.slice(0, split).replace(/^\[(.*)\]$/, '$1');
    this.port = Number(listen.slice(split + 1));
    this.room = new QueueRoom(ctx.queue, ctx.settings.QUEUE_HIGH_WATER_MARK, MAX_ENQUEUES_IN_FLIGHT);
    this.source = { input: 'tcp', identity: `tcp:${listen}` };
    this.errors = new InputErrors(this.name, ctx.logger, ctx.activity);
  }

  async start(): Promise<void> {
    const tls = await this.tlsOptions();
    const server = tls
      ? createTlsServer({ ...tls, handshakeTimeout: TLS_HANDSHAKE_TIMEOUT_MS }).on('secureConnection', (socket) => this.accept(socket))
      : createTcpServer((socket) => this.accept(socket));
    server.maxConnections = this.ctx.settings.TCP_MAX_CONNECTIONS;
    server.on('drop', (data) => {
      this.counts.dropped++;
      this.ctx.logger.warn({ 'client.address': data?.remoteAddress, 'event.reason': 'TCP_MAX_CONNECTIONS' }, 'TCP connection refused: too many connections');
    });
    server.on('tlsClientError', (error: Error, socket: Socket) => {
      this.counts.rejected++;
      this.ctx.logger.warn({ err: error, 'client.address': socket.remoteAddress }, 'TLS handshake with a TCP client failed');
    });
    server.on('error', (error) => this.errors.report(error, 'TCP listener error'));
    server.listen(this.port, this.host);
    await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error as Error))]);
    this.server = server;
    const bound = server.address();
    this.address = typeof bound === 'object' && bound ? `${bound.address.includes(':') ? `[${bound.address}]` : bound.address}:${bound.port}` : `${this.host}:${this.port}`;
    const authenticated = Boolean(this.ctx.settings.TCP_TOKEN || this.ctx.settings.TCP_TLS_CA);
    if (!authenticated && !isLoopback(this.host)) {
      this.ctx.logger.warn({ 'server.address': this.address }, 'TCP input listens beyond loopback without TCP_TOKEN or TCP_TLS_CA: anyone who can connect can add audit records');
    }
    this.ctx.logger.info({ 'server.address': this.address, tls: Boolean(tls) }, 'TCP input listening');
  }

  async stop(): Promise<void> {
    this.abort.abort();
    const closed = this.server ? new Promise<void>((resolve) => this.server!.close(() => resolve())) : Promise.resolve();
    for (const connection of this.connections) connection.end();
    await Promise.all([...this.connections].map((connection) => connection.done));
    await closed;
  }

  status(): InputStatus {
    return {
      kind: 'tcp', target: this.address, records: this.counts.records, bytes: this.counts.bytes, lastRecordAt: this.lastRecordAt, lag: null,
      lastError: this.errors.last, connections: this.connections.size, accepted: this.counts.accepted, rejected: this.counts.rejected,
      dropped: this.counts.dropped, paused: this.room.paused, tls: Boolean(this.ctx.settings.TCP_TLS_CERT),
    };
  }

  private accept(socket: Socket): void {
    if (this.abort.signal.aborted) {
      socket.destroy();
      return;
    }
    this.counts.accepted++;
    const connection = new TcpConnection(socket, {
      maxRecordBytes: this.ctx.settings.MAX_RECORD_BYTES,
      idleTimeoutMs: this.ctx.settings.TCP_IDLE_TIMEOUT_SECONDS * 1000,
      token: this.ctx.settings.TCP_TOKEN,
      batchSize: this.ctx.settings.BATCH_SIZE,
      deliver: (records, bytes) => this.deliver(records, bytes),
      onRejected: () => this.counts.rejected++,
      logger: this.ctx.logger,
    });
    this.connections.add(connection);
    void connection.done.finally(() => this.connections.delete(connection));
  }

  /**
   * Queues one connection's records, retrying while Redis refuses them (the socket stays paused
   * meanwhile). While stopping, the high-water mark no longer holds them back, and a Redis that
   * still refuses them after a few attempts loses them: said in the log with their count.
   */
  private async deliver(records: RawRecord[], bytes: number): Promise<void> {
    const slot = await this.room.acquire(this.abort.signal);
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          await this.ctx.queue.enqueue(records, this.source);
          break;
        } catch (error) {
          if (this.abort.signal.aborted && attempt >= 3) {
            this.errors.report(error, `stopping: ${records.length} TCP records could not be queued and are lost`);
            return;
          }
          this.errors.report(error, `cannot queue ${records.length} TCP records (attempt ${attempt}): retrying`);
          await pause(retryDelayMs(attempt, MAX_RETRY_MS), this.abort.signal);
        }
      }
    } finally {
      if (slot) this.room.release();
    }
    this.counts.records += records.length;
    this.counts.bytes += bytes;
    this.lastRecordAt = new Date().toISOString();
    await this.ctx.activity.recordInput(this.name, records.length, bytes).catch((error: unknown) => this.errors.report(error, 'cannot count TCP input activity'));
  }

  private async tlsOptions(): Promise<TlsOptions | undefined> {
    const { TCP_TLS_CERT: cert, TCP_TLS_KEY: key, TCP_TLS_CA: ca } = this.ctx.settings;
    if (!cert || !key) return undefined;
    const read = (setting: string, path: string) => readFile(path).catch((error: Error) => {
      throw new ConfigError(`${setting}: cannot read ${path}: ${error.message}`);
    });
    const options: TlsOptions = { cert: await read('TCP_TLS_CERT', cert), key: await read('TCP_TLS_KEY', key) };
    if (ca) Object.assign(options, { ca: await read('TCP_TLS_CA', ca), requestCert: true, rejectUnauthorized: true });
    return options;
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}
