import { systemClock, type Clock } from '../../core/clock.js';

/**
 * Outbound rate limits of Teams, enforced before every call to the Bot Connector (send and update alike).
 *
 * Sliding-window log, not fixed windows: a fixed 1 s window allows 7 calls at 0.999 s and 7 more at 1.000 s, which
 * is 14 within one second and is exactly what Teams answers with 429. Every call is recorded with its time; a call
 * waits until, for every window, fewer than `limit` calls lie in the last `perMs` milliseconds. Calls queue (never
 * dropped), first come first served per conversation. (rate-limiter-flexible and bottleneck were considered: the
 * first counts in fixed windows, the second is unmaintained since 2019 and also needs one instance per window.)
 *
 * Memory: per conversation at most `max(limit)` timestamps (1,800 for the hour window); a conversation whose log has
 * aged out is dropped on its next use, and `prune()` drops every aged-out log.
 */

export interface RateWindow {
  limit: number;
  perMs: number;
}

/** Per bot per conversation. */
export const TEAMS_CONVERSATION_WINDOWS: readonly RateWindow[] = [
  { limit: 7, perMs: 1_000 },
  { limit: 8, perMs: 2_000 },
  { limit: 60, perMs: 30_000 },
  { limit: 1_800, perMs: 3_600_000 },
];

/** Per app per tenant. */
export const TEAMS_TENANT_WINDOWS: readonly RateWindow[] = [{ limit: 50, perMs: 1_000 }];

/** Which limits a call counts against. A call without a tenant counts against the '' tenant. */
export interface RateScope {
  conversationId: string;
  tenantId?: string;
}

/** Timestamps of calls per key, and how long the next call under a key must wait. */
export class SlidingWindowLog {
  private readonly logs = new Map<string, number[]>();
  private readonly horizonMs: number;

  constructor(private readonly windows: readonly RateWindow[]) {
    if (windows.length === 0) throw new RangeError('a sliding window log needs at least one window');
    for (const w of windows) {
      if (!(Number.isInteger(w.limit) && w.limit > 0 && w.perMs > 0)) {
        throw new RangeError(`invalid rate window ${JSON.stringify(w)}`);
      }
    }
    this.horizonMs = Math.max(...windows.map((w) => w.perMs));
  }

  /** Milliseconds until a call under `key` is allowed by every window; 0 = now. */
  waitMs(key: string, now: number): number {
    const log = this.prunedLog(key, now);
    if (!log) return 0;
    let wait = 0;
    for (const { limit, perMs } of this.windows) {
      // Calls strictly inside (now - perMs, now]; the log is sorted, so count from the end.
      let inWindow = 0;
      for (let i = log.length - 1; i >= 0 && log[i]! > now - perMs; i -= 1) inWindow += 1;
      if (inWindow < limit) continue;
      // The call that must age out first is the `limit`-th most recent one.
      const blocking = log[log.length - limit]!;
      wait = Math.max(wait, blocking + perMs - now);
    }
    return wait;
  }

  record(key: string, now: number): void {
    const log = this.logs.get(key);
    if (log) log.push(now);
    else this.logs.set(key, [now]);
  }

  /** Drops every log whose calls have all aged out of the longest window. */
  prune(now: number): void {
    for (const key of [...this.logs.keys()]) this.prunedLog(key, now);
  }

  get size(): number {
    return this.logs.size;
  }

  private prunedLog(key: string, now: number): number[] | undefined {
    const log = this.logs.get(key);
    if (!log) return undefined;
    let drop = 0;
    while (drop < log.length && log[drop]! <= now - this.horizonMs) drop += 1;
    if (drop > 0) log.splice(0, drop);
    if (log.length === 0) {
      this.logs.delete(key);
      return undefined;
    }
    return log;
  }
}

export interface TeamsRateLimiterOptions {
  clock?: Clock;
  conversationWindows?: readonly RateWindow[];
  tenantWindows?: readonly RateWindow[];
}

export class TeamsRateLimiter {
  private readonly clock: Clock;
  private readonly conversations: SlidingWindowLog;
  private readonly tenants: SlidingWindowLog;
  /** Tail of each conversation's queue of waiting callers (FIFO per conversation). */
  private readonly queues = new Map<string, Promise<void>>();

  constructor(options: TeamsRateLimiterOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.conversations = new SlidingWindowLog(options.conversationWindows ?? TEAMS_CONVERSATION_WINDOWS);
    this.tenants = new SlidingWindowLog(options.tenantWindows ?? TEAMS_TENANT_WINDOWS);
  }

  /**
   * Resolves when one call in `scope` may be made now, and counts it. Checking both limits and recording the call
   * happen in one synchronous step, so concurrent callers cannot both take the last slot.
   */
  async acquire(scope: RateScope): Promise<void> {
    const key = scope.conversationId;
    const tenant = scope.tenantId ?? '';
    const previous = this.queues.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.queues.set(key, tail);
    await previous;
    try {
      for (;;) {
        const now = this.clock.now();
        const wait = Math.max(this.conversations.waitMs(key, now), this.tenants.waitMs(tenant, now));
        if (wait <= 0) {
          this.conversations.record(key, now);
          this.tenants.record(tenant, now);
          return;
        }
        await this.clock.sleep(wait);
      }
    } finally {
      release();
      if (this.queues.get(key) === tail) this.queues.delete(key);
    }
  }

  /** Forgets conversations and tenants with no call inside their longest window (call now and then). */
  prune(): void {
    const now = this.clock.now();
    this.conversations.prune(now);
    this.tenants.prune(now);
  }
}
