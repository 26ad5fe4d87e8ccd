/**
 * A bounded in-memory map whose entries expire `ttlMs` after they were stored, measured by an injected clock so
 * tests can move time. Oldest entries are evicted first when `maxEntries` is reached. `getOrLoad` shares one
 * in-flight load per key between concurrent callers and never stores a failed load.
 *
 * Hand-written rather than `lru-cache` (not a direct dependency): the directory needs TTL, a size bound, an
 * injectable clock and in-flight sharing, which is this file; a new production dependency would buy nothing more.
 */
export interface TtlCacheOptions {
  ttlMs: number;
  maxEntries?: number;
  /** Milliseconds since the epoch. */
  now?: () => number;
}

export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();
  private readonly loading = new Map<string, Promise<V>>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: TtlCacheOptions) {
    this.ttlMs = options.ttlMs;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** The live entry, wrapped so a stored `undefined` can be told from a miss. */
  lookup(key: string): { value: V } | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (this.now() >= entry.expiresAt) {
      this.entries.delete(key);
      return undefined;
    }
    return { value: entry.value };
  }

  get(key: string): V | undefined {
    return this.lookup(key)?.value;
  }

  /** A TTL of 0 disables caching: nothing is stored. */
  set(key: string, value: V): void {
    if (this.ttlMs <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.now() + this.ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  async getOrLoad(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.lookup(key);
    if (hit !== undefined) return hit.value;
    const pending = this.loading.get(key);
    if (pending !== undefined) return pending;
    const started = Promise.resolve()
      .then(load)
      .then((value) => {
        this.set(key, value);
        return value;
      })
      .finally(() => this.loading.delete(key));
    this.loading.set(key, started);
    return started;
  }
}
