/**
 * The REST input (MATTERMOST_URL + MATTERMOST_TOKEN): every MATTERMOST_POLL_INTERVAL seconds,
 * pages GET /api/v4/audits (newest first) down to the checkpoint and queues what is new, oldest
 * first, as JSON text; the checkpoint moves once the queue holds all of it. A failed request is
 * retried for the same page (401/403 slowly, 429 after Retry-After, 5xx and network errors with
 * backoff), so a poll resumes where it stopped.
 *
 * New audits arriving while we page push older ones to later pages: we see some twice and skip
 * them by (create_at, id), since a poll walks strictly down in time. A poll finds at most
 * MAX_HELD audits before it queues them (newest part first, so only a first poll of a big
 * history does it), which bounds memory.
 *
 * Of all the processes configured to poll the same Mattermost, only the holder of its poll lease
 * does (poll-lease.ts); the others stand by and take over within one interval if it dies. A new
 * holder reads the checkpoint again: the previous one moved it.
 */
import { randomUUID } from 'node:crypto';
import { InputErrors } from '../input-errors.js';
import type { Input, InputContext, InputStatus } from '../input.js';
import type { RecordSource } from '../../transform/index.js';
import { AUDITS_PER_PAGE, AuditsRequestError, MattermostAuditsClient, type Audit, type AuditsPage } from './mattermost-audits-client.js';
import { pause, retryDelayMs } from '../../backoff.js';
import { advance, alreadyQueued, beforeWindow, restCheckpointKey, RestCheckpointStore, type RestCheckpoint } from './rest-checkpoint.js';
import { leaseTtlMs, PollLease } from './poll-lease.js';

const MAX_HELD = 20_000;
const MAX_PAGES_SEEN_BEFORE = 3;
const AUTH_RETRY_MS = 60_000;
const DEFAULT_RATE_LIMIT_WAIT_MS = 10_000;
const MAX_RETRY_MS = 600_000;
const MAX_BACKOFF_MS = 60_000;

export class RestPollerInput implements Input {
  readonly name = 'rest';
  private readonly client: MattermostAuditsClient;
  private readonly store: RestCheckpointStore;
  private readonly lease: PollLease;
  private readonly source: RecordSource;
  private readonly abort = new AbortController();
  private checkpoint: RestCheckpoint | undefined;
  private loop: Promise<void> | undefined;
  /** Audits found but not queued yet, newest first. */
  private held: Audit[] = [];
  private reached = false;
  private counts = { records: 0, bytes: 0, polls: 0, invalid: 0 };
  private lastRecordAt: string | null = null;
  private readonly errors: InputErrors;
  private lastPollAt: string | null = null;

  constructor(private readonly ctx: InputContext, url: string, token: string) {
    this.client = new MattermostAuditsClient(url, token);
    const origin = new URL(url).origin;
    this.source = { input: 'rest', identity: `rest:${origin}` };
    this.errors = new InputErrors(this.name, ctx.logger, ctx.activity);
    this.store = new RestCheckpointStore(ctx.redis, restCheckpointKey(ctx.settings.QUEUE_PREFIX, origin), ctx.replicas);
    const holder = `${ctx.hostName}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.lease = new PollLease(ctx.requests, ctx.keys.pollLease(origin), holder, leaseTtlMs(ctx.settings.MATTERMOST_POLL_INTERVAL), (error) => this.errors.report(error, 'cannot renew the poll lease', 'warn'));
  }

  async start(): Promise<void> {
    this.lease.keep(this.abort.signal);
    this.loop = this.run();
    this.ctx.logger.info({ 'url.full': this.client.target, 'event.duration': this.ctx.settings.MATTERMOST_POLL_INTERVAL }, 'REST input following Mattermost audits (one process at a time polls, by a lease)');
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
    await this.lease.release();
  }

  status(): InputStatus {
    const newestHeld = this.held[0];
    return {
      kind: 'rest', target: this.client.target, records: this.counts.records, bytes: this.counts.bytes, lastRecordAt: this.lastRecordAt,
      lag: newestHeld ? Math.max(0, Math.round((Date.now() - newestHeld.create_at) / 1000)) : this.reached ? 0 : null,
      lastError: this.errors.last, polls: this.counts.polls, lastPollAt: this.lastPollAt, invalid: this.counts.invalid, lease: this.lease.held ? 'held' : 'standby',
      checkpoint: this.checkpoint ? new Date(this.checkpoint.newest).toISOString() : null,
    };
  }

  private async run(): Promise<void> {
    const interval = this.ctx.settings.MATTERMOST_POLL_INTERVAL * 1000;
    let term = 0;
    while (!this.abort.signal.aborted) {
      if (!this.lease.held) {
        this.held = [];
        await this.lease.acquired(this.abort.signal);
        continue;
      }
      try {
        if (term !== this.lease.term) {
          this.checkpoint = await this.store.load();
          term = this.lease.term;
          this.ctx.logger.info({ 'url.full': this.client.target }, 'REST input: this process holds the poll lease and polls now');
        }
        await this.poll();
      } catch (error) {
        if (!this.abort.signal.aborted) this.errors.report(error, 'REST poll failed');
      }
      await pause(interval, this.abort.signal);
    }
  }

  /** Still ours to poll: not stopping, and the lease still held. */
  private polling(): boolean {
    return !this.abort.signal.aborted && this.lease.held;
  }

  /** One poll: page down to the checkpoint, queue what is new, then move the checkpoint. */
  private async poll(): Promise<void> {
    let next = this.checkpoint;
    // The lowest (create_at, ids at it) seen in this poll: anything not below it was seen already.
    let lowest = Number.POSITIVE_INFINITY;
    let idsAtLowest = new Set<string>();
    let pagesSeenBefore = 0;
    for (let page = 0; ; page++) {
      const { audits, invalid, received } = await this.fetch(page);
      if (!this.polling()) return;
      this.counts.invalid += invalid;
      if (invalid > 0) this.ctx.logger.warn({ 'event.count': invalid, 'url.full': this.client.target }, 'Mattermost sent list items that are not audits: skipped');
      let reachedCheckpoint = false;
      let seenBefore = 0;
      for (const audit of audits) {
        if (beforeWindow(this.checkpoint, audit)) reachedCheckpoint = true;
        if (audit.create_at > lowest || (audit.create_at === lowest && idsAtLowest.has(audit.id))) {
          seenBefore++;
          continue;
        }
        if (audit.create_at < lowest) {
          lowest = audit.create_at;
          idsAtLowest = new Set();
        }
        idsAtLowest.add(audit.id);
        if (!alreadyQueued(this.checkpoint, audit)) this.held.push(audit);
      }
      if (this.held.length >= MAX_HELD) next = await this.queueHeld(next);
      if (reachedCheckpoint || received < AUDITS_PER_PAGE) break;
      // Pages that hold nothing new, again and again: the server ignores `page`; don't loop on it.
      pagesSeenBefore = audits.length > 0 && seenBefore === audits.length ? pagesSeenBefore + 1 : 0;
      if (pagesSeenBefore >= MAX_PAGES_SEEN_BEFORE) {
        this.errors.report(new Error(`${MAX_PAGES_SEEN_BEFORE} pages in a row held only audits seen already`), 'Mattermost seems to ignore the page parameter: poll stopped early');
        break;
      }
    }
    next = await this.queueHeld(next);
    if (!this.polling()) return;
    this.reached = true;
    this.counts.polls++;
    this.lastPollAt = new Date().toISOString();
    if (next && next !== this.checkpoint) {
      this.checkpoint = next;
      try {
        if (!(await this.store.save(next, this.lease))) this.ctx.logger.warn({ 'url.full': this.client.target }, 'REST input: the poll lease went to another process before the checkpoint was saved');
      } catch (error) {
        this.errors.report(error, 'cannot save the REST checkpoint: these audits may be polled again (same document ids)');
      }
    }
  }

  /** Queues the held audits oldest first; returns the checkpoint that covers them. */
  private async queueHeld(checkpoint: RestCheckpoint | undefined): Promise<RestCheckpoint | undefined> {
    if (this.held.length === 0) return checkpoint;
    const audits = this.held.slice().reverse();
    const records = audits.map((audit) => ({ text: auditText(audit) }));
    const bytes = records.reduce((sum, record) => sum + Buffer.byteLength(record.text), 0);
    for (let attempt = 1; this.polling(); attempt++) {
      try {
        await this.ctx.queue.enqueue(records, this.source);
        this.held = [];
        this.counts.records += records.length;
        this.counts.bytes += bytes;
        this.lastRecordAt = new Date().toISOString();
        await this.ctx.activity.recordInput(this.name, records.length, bytes).catch((error: unknown) => this.errors.report(error, 'cannot count REST input activity'));
        return advance(checkpoint, audits);
      } catch (error) {
        this.errors.report(error, `cannot queue ${records.length} audits (attempt ${attempt}): retrying`);
        await pause(retryDelayMs(attempt, MAX_BACKOFF_MS), this.abort.signal);
      }
    }
    return checkpoint;
  }

  /** One page, retried until it comes or the input stops. */
  private async fetch(page: number): Promise<AuditsPage> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.client.page(page, this.abort.signal);
      } catch (error) {
        if (this.abort.signal.aborted) return { audits: [], invalid: 0, received: 0 };
        if (!(error instanceof AuditsRequestError)) throw error;
        const wait = error.kind === 'auth' ? Math.max(AUTH_RETRY_MS, this.ctx.settings.MATTERMOST_POLL_INTERVAL * 1000)
          : error.kind === 'rate-limited' ? Math.min(error.retryAfterMs ?? DEFAULT_RATE_LIMIT_WAIT_MS, MAX_RETRY_MS)
          : retryDelayMs(attempt, MAX_BACKOFF_MS);
        this.errors.report(error, `cannot poll Mattermost audits (asking again in ${Math.round(wait / 1000)} s)`, error.kind === 'auth' ? 'error' : 'warn');
        await pause(wait, this.abort.signal);
      }
    }
  }
}

/**
 * An audit as a record. Mattermost's audits hold scalars only; one nested too deep to serialize
 * (a JSON.stringify that runs out of stack) keeps its scalar fields rather than stop the poller.
 */
function auditText(audit: Audit): string {
  try {
    return JSON.stringify(audit);
  } catch {
    return JSON.stringify(Object.fromEntries(Object.entries(audit).filter(([, value]) => typeof value !== 'object' || value === null)));
  }
}
