/**
 * Names from Mattermost's API, one lookup round per batch: the ids of all its documents are
 * gathered, the ones neither cached nor being asked for are asked at once (users in one
 * POST /users/ids, login names in one POST /users/usernames, each team and channel by its GET, a
 * few at a time; then the teams of the channels found), and the batch waits for the answers at
 * most ENRICH_MAX_WAIT_MS. A late answer still fills the cache for the batches after it.
 *
 * When Mattermost fails (token refused, down, 5xx, no answer) nothing is asked for a while, with
 * a growing pause: batches then take what the cache knows and go on at once, so an outage costs
 * names, never throughput.
 */
import type { EcsDocument } from '../transform/index.js';
import { addRequests, applyNames, channelTeams, emptyNameRequests, wantedNames, type NameRequests, type NameSources, type WantedNames } from './document-names.js';
import { addReport, emptyReport, type Enricher, type EnrichmentBatch, type EnrichmentReport, type EnrichSettings } from './enricher.js';
import { DirectoryRequestError, MattermostDirectory, type DirectoryChannel, type DirectoryTeam, type DirectoryUser } from './mattermost-directory.js';
import { NameCache } from './name-cache.js';

const USER_CACHE_ENTRIES = 20_000;
const TEAM_CHANNEL_CACHE_ENTRIES = 10_000;
/** Ids per POST /users/ids or /users/usernames: one request for any batch of ordinary size. */
const USERS_PER_REQUEST = 1000;
/** GET /teams/{id} and /channels/{id} under way at once. */
const PARALLEL_GETS = 8;
const AUTH_PAUSE_MS = 60_000;
const RATE_LIMIT_PAUSE_MS = 10_000;
const MAX_PAUSE_MS = 60_000;
/** Reports of background lookups are sent together, at most this often. */
const REPORT_DELAY_MS = 100;

export class MattermostEnricher implements Enricher {
  private readonly users: NameCache<DirectoryUser>;
  private readonly usernames: NameCache<DirectoryUser>;
  private readonly teams: NameCache<DirectoryTeam>;
  private readonly channels: NameCache<DirectoryChannel>;
  private readonly names: NameSources;
  private readonly stopping = new AbortController();
  private pausedUntil = 0;
  private failuresInRow = 0;
  private activeGets = 0;
  private requestsUnderWay = 0;
  private readonly waitingGets: Array<() => void> = [];
  private unreported: EnrichmentReport | undefined;
  private reportTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly settings: EnrichSettings,
    private readonly report: (delta: EnrichmentReport) => void,
    private readonly directory = new MattermostDirectory(settings.url, settings.token, settings.includeEmail),
  ) {
    const ttls = { hitMs: settings.cacheTtlMs, missMs: settings.missTtlMs };
    this.users = new NameCache(USER_CACHE_ENTRIES, ttls);
    this.usernames = new NameCache(USER_CACHE_ENTRIES, ttls);
    this.teams = new NameCache(TEAM_CHANNEL_CACHE_ENTRIES, ttls);
    this.channels = new NameCache(TEAM_CHANNEL_CACHE_ENTRIES, ttls);
    this.names = {
      user: (id) => this.users.get(id),
      userByName: (username) => this.usernames.get(username),
      team: (id) => this.teams.get(id),
      channel: (id) => this.channels.get(id),
    };
  }

  batch(): EnrichmentBatch {
    const withEmail = this.settings.includeEmail;
    const waiting: Array<{ doc: EcsDocument; wanted: WantedNames }> = [];
    const requests = emptyNameRequests();
    return {
      name: (doc) => {
        const wanted = wantedNames(doc, withEmail);
        if (!wanted) return true;
        try {
          if (applyNames(doc, wanted, this.names, withEmail, false)) return true;
        } catch (error) {
          // A record of an odd shape (a scalar where an object was expected) keeps what it had.
          this.recordDefect(error);
          return true;
        }
        waiting.push({ doc, wanted });
        addRequests(wanted, requests);
        return false;
      },
      settle: async () => {
        if (waiting.length === 0) return;
        await this.lookUp(requests);
        let withoutNames = 0;
        for (const { doc, wanted } of waiting) {
          try {
            if (!applyNames(doc, wanted, this.names, withEmail, true)) withoutNames++;
          } catch (error) {
            this.recordDefect(error);
          }
        }
        if (withoutNames > 0) this.record({ ...emptyReport(), documentsWithoutNames: withoutNames });
        this.flushReport();
      },
    };
  }

  async enrich(documents: EcsDocument[]): Promise<void> {
    const naming = this.batch();
    for (const doc of documents) naming.name(doc);
    await naming.settle();
  }

  /** The batch's lookup round: what is neither known nor being asked for, asked now; waits at most maxWaitMs. */
  private async lookUp(requests: NameRequests): Promise<void> {
    try {
      const round = [
        ...this.lookUpUsers(requests.userIds),
        ...this.lookUpUsernames(requests.usernames),
        ...this.lookUpEach(this.teams, requests.teamIds, (id, signal) => this.directory.team(id, signal), 'teams'),
      ];
      const channelsKnown = this.lookUpEach(this.channels, requests.channelIds, (id, signal) => this.directory.channel(id, signal), 'channels');
      if (channelsKnown.length > 0) {
        // The second round: the teams of channels the records name without their team.
        const teams = () => Promise.all(this.lookUpEach(this.teams, channelTeams(requests.channelIds, this.names), (id, signal) => this.directory.team(id, signal), 'teams'));
        round.push(Promise.all(channelsKnown).then(teams).then(() => undefined));
      }
      if (round.length > 0) await this.atMost(this.settings.maxWaitMs, Promise.all(round));
    } catch (error) {
      this.recordDefect(error);
    }
  }

  /** A defect here must not cost the batch: it goes on with the names it got, and the status says so. */
  private recordDefect(error: unknown): void {
    this.record({ ...emptyReport(), failures: 1, lastError: `enrichment failed: ${(error as Error).message}`, lastErrorAt: new Date().toISOString() });
  }

  asking(): boolean {
    return this.requestsUnderWay > 0;
  }

  close(): void {
    this.stopping.abort();
    clearTimeout(this.reportTimer);
  }

  private lookUpUsers(ids: Set<string>): Promise<void>[] {
    return this.lookUpUsersBy(this.users, ids, 'ids', (chunk, signal) => this.directory.usersByIds(chunk, signal), (user) => user.id);
  }

  private lookUpUsernames(usernames: Set<string>): Promise<void>[] {
    return this.lookUpUsersBy(this.usernames, usernames, 'usernames', (chunk, signal) => this.directory.usersByUsernames(chunk, signal), (user) => user.username);
  }

  /** One POST of the keys not yet known (per USERS_PER_REQUEST); the keys it does not answer are "none". */
  private lookUpUsersBy(
    cache: NameCache<DirectoryUser>, keys: Set<string>, route: 'ids' | 'usernames',
    post: (chunk: string[], signal: AbortSignal) => Promise<DirectoryUser[]>, keyOf: (user: DirectoryUser) => string,
  ): Promise<void>[] {
    const waits = cache.pending(keys);
    for (const chunk of chunks(cache.unknown(keys), USERS_PER_REQUEST)) {
      const lookup = this.ask(`POST /api/v4/users/${route}`, async (signal) => {
        const found = new Set<string>();
        for (const user of await post(chunk, signal)) {
          this.keepUser(user);
          found.add(keyOf(user));
        }
        for (const key of chunk) if (!found.has(key)) cache.setMissing(key);
      });
      if (!lookup) break;
      cache.track(chunk, lookup);
      waits.push(lookup);
    }
    return waits;
  }

  /** A user answered by either lookup serves both: by id and by username. */
  private keepUser(user: DirectoryUser): void {
    this.users.setFound(user.id, user);
    this.usernames.setFound(user.username, user);
  }

  /** One GET per id, a few at a time; a 404 or 403 is kept as "none" (403 is reported too). */
  private lookUpEach<V extends object>(cache: NameCache<V>, ids: Iterable<string>, get: (id: string, signal: AbortSignal) => Promise<V | undefined>, kind: string): Promise<void>[] {
    const waits = cache.pending(ids);
    for (const id of cache.unknown(ids)) {
      const lookup = this.ask(`GET /api/v4/${kind}/{id}`, async (signal) => {
        const found = await get(id, signal);
        if (found === undefined) cache.setMissing(id);
        else cache.setFound(id, found);
      }, () => cache.setMissing(id), true);
      if (!lookup) break;
      cache.track([id], lookup);
      waits.push(lookup);
    }
    return waits;
  }

  /**
   * Runs one request unless Mattermost is in a pause; undefined when it is. The promise never
   * rejects: a failure is reported and starts (or lengthens) the pause, except a 403 on one team
   * or channel, which `forbidden` records as "none".
   */
  private ask(what: string, request: (signal: AbortSignal) => Promise<void>, forbidden?: () => void, limited = false): Promise<void> | undefined {
    if (this.paused()) return undefined;
    const run = async (): Promise<void> => {
      // A request that waited for its slot does not go out into a pause that began meanwhile.
      if (this.paused() || this.stopping.signal.aborted) return;
      try {
        await request(this.stopping.signal);
        this.failuresInRow = 0;
        this.record({ ...emptyReport(), requests: 1, lastSuccessAt: new Date().toISOString() });
      } catch (error) {
        if (this.stopping.signal.aborted) return;
        const failure = error instanceof DirectoryRequestError ? error : new DirectoryRequestError('unavailable', `${what}: ${(error as Error).message}`, undefined, { cause: error });
        if (failure.kind === 'forbidden' && forbidden) forbidden();
        else this.pause(failure);
        this.record({ ...emptyReport(), requests: 1, failures: 1, lastError: failure.message, lastErrorAt: new Date().toISOString() });
      }
    };
    this.requestsUnderWay++;
    const lookup = limited ? this.inGetSlot(run) : run();
    void lookup.finally(() => this.requestsUnderWay--);
    return lookup;
  }

  private paused(): boolean {
    return Date.now() < this.pausedUntil;
  }

  private pause(failure: DirectoryRequestError): void {
    // The requests of one round fail together: they lengthen the pause once.
    if (!this.paused()) this.failuresInRow++;
    const backoff = Math.min(1000 * 2 ** this.failuresInRow, MAX_PAUSE_MS);
    const ms = failure.kind === 'auth' ? AUTH_PAUSE_MS : failure.kind === 'rate-limited' ? Math.min(failure.retryAfterMs ?? RATE_LIMIT_PAUSE_MS, MAX_PAUSE_MS) : backoff;
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
  }

  private async inGetSlot(run: () => Promise<void>): Promise<void> {
    if (this.activeGets >= PARALLEL_GETS) await new Promise<void>((resolve) => this.waitingGets.push(resolve));
    this.activeGets++;
    try {
      await run();
    } finally {
      this.activeGets--;
      this.waitingGets.shift()?.();
    }
  }

  /** Waits for `work`, but no longer than `ms`. */
  private async atMost(ms: number, work: Promise<unknown>): Promise<void> {
    if (ms <= 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([work, new Promise<void>((resolve) => { timer = setTimeout(resolve, ms); })]);
    clearTimeout(timer);
  }

  private record(delta: EnrichmentReport): void {
    this.unreported = addReport(this.unreported ?? emptyReport(), delta);
    // Lookups that end after their batch went on report a moment later, together.
    this.reportTimer ??= setTimeout(() => this.flushReport(), REPORT_DELAY_MS).unref();
  }

  private flushReport(): void {
    clearTimeout(this.reportTimer);
    this.reportTimer = undefined;
    const delta = this.unreported;
    this.unreported = undefined;
    if (delta) this.report(delta);
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}
