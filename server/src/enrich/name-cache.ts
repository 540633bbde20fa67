/**
 * What Mattermost said about one kind of id: the entity, or that it has none (a miss, kept for a
 * shorter time so that a user created a minute ago gets a name soon), in an LRU bounded by
 * entries, each entry with its own TTL. Lookups under way are kept beside it, so that batches
 * wanting the same id while it is asked for wait for that answer instead of asking again.
 */
import { LRUCache } from 'lru-cache';

export interface CacheTtls {
  hitMs: number;
  missMs: number;
}

/** undefined: not known (never asked, expired, or the lookup failed); null: Mattermost has none. */
export type Known<V> = V | null | undefined;

export class NameCache<V extends object> {
  private readonly entries: LRUCache<string, { value: V | null }>;
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(max: number, private readonly ttls: CacheTtls) {
    this.entries = new LRUCache({ max, ttl: ttls.hitMs, ttlAutopurge: false });
  }

  get(key: string): Known<V> {
    return this.entries.get(key)?.value;
  }

  setFound(key: string, value: V): void {
    this.entries.set(key, { value }, { ttl: this.ttls.hitMs });
  }

  setMissing(key: string): void {
    this.entries.set(key, { value: null }, { ttl: this.ttls.missMs });
  }

  /** Keys neither known nor being asked for: the ones a lookup has to ask now. */
  unknown(keys: Iterable<string>): string[] {
    const result: string[] = [];
    for (const key of keys) if (!this.entries.has(key) && !this.inFlight.has(key)) result.push(key);
    return result;
  }

  /** The lookups under way for any of these keys (each once). */
  pending(keys: Iterable<string>): Promise<void>[] {
    const found = new Set<Promise<void>>();
    for (const key of keys) {
      const lookup = this.inFlight.get(key);
      if (lookup) found.add(lookup);
    }
    return [...found];
  }

  /** Marks `keys` as being asked by `lookup` until it settles (it must never reject). */
  track(keys: readonly string[], lookup: Promise<void>): void {
    for (const key of keys) this.inFlight.set(key, lookup);
    void lookup.finally(() => {
      for (const key of keys) if (this.inFlight.get(key) === lookup) this.inFlight.delete(key);
    });
  }
}
