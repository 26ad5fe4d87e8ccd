import { randomUUID } from 'node:crypto';
import type { Timer, TimerStore } from '../../data/timerStore.js';
import type { Logger } from '../../core/logger.js';

/**
 * Runs the durable timers of a TimerStore (data/timerStore.ts).
 *
 * - `tick()` claims what is due at `now()` (in batches of `batchSize`, leased for `leaseMs`) and runs each timer's
 *   handler one after the other; a handler answers `done` (the timer is removed) or a later time (`retryAt`: quiet
 *   hours, the request is being changed). A handler that throws is retried with backoff (1 min doubling up to 1 h)
 *   up to `maxAttempts`, then dropped and logged. A timer of an unknown kind is logged and dropped.
 * - Catch-up: timers that fell due while Ansvar was stopped are due at the first tick after start, and each runs
 *   once. No double run: a timer is run only by the holder of its claim (see the contract), and a tick never
 *   overlaps the previous one in one process.
 * - `start()` ticks at once and then sleeps until the next due timer (at most `pollMs`: timers another writer adds
 *   are noticed then). `planned(timers)` (after this process wrote timers) only moves that sleep earlier when one of
 *   them falls due before it, without asking the store: a plan due after the next wake-up costs no query (on
 *   PostgreSQL a tick is two round trips, and every decision replans its request's timers). `wake()` ticks at
 *   once. Timers of the event loop are unref'd.
 * - Time comes from `now` (injectable: tests and ANSVAR_CLOCK_OFFSET); sleeping uses real time, the difference
 *   between the next due time and `now()`.
 */

export type TimerResult = { done: true } | { retryAt: Date };
export type TimerHandler = (timer: Timer) => Promise<TimerResult>;

export interface SchedulerOptions {
  timers: TimerStore;
  handlers: Readonly<Record<string, TimerHandler>>;
  now: () => Date;
  logger: Logger;
  /** Who claims; default a random id per scheduler (one per process). */
  owner?: string;
  leaseMs?: number;
  batchSize?: number;
  maxAttempts?: number;
  pollMs?: number;
}

export const DONE: TimerResult = { done: true };

export class Scheduler {
  private readonly owner: string;
  private readonly log: Logger;
  private running?: Promise<number>;
  private queued?: Promise<number>;
  private timer?: ReturnType<typeof setTimeout>;
  /** When the sleeping timer fires (ms on the `now` clock); undefined while a tick or the next-due read runs. */
  private wakeAt?: number;
  /** The earliest due time `planned` reported while a tick or the next-due read ran (it may not have seen it). */
  private plannedAt?: number;
  /** Counts next-due reads, so only the latest one sets the sleep. */
  private arms = 0;
  private started = false;
  private stopped = false;

  constructor(private readonly options: SchedulerOptions) {
    this.owner = options.owner ?? `scheduler-${randomUUID()}`;
    this.log = options.logger.child({ component: 'scheduler' });
  }

  /**
   * Runs every timer due now (more batches while full ones come back); resolves with how many ran. A call while a
   * tick runs waits for it and then ticks again, so every caller gets a tick that started after its call. A failed
   * claim (the store could not be written) is logged and counts as nothing run.
   */
  tick(): Promise<number> {
    if (this.running) {
      const next = () => {
        this.queued = undefined;
        return this.tick();
      };
      this.queued ??= this.running.then(next, next);
      return this.queued;
    }
    this.sleepOff();
    const run = this.drain()
      .catch((error: unknown) => {
        this.log.error({ err: error }, 'timer tick failed');
        return 0;
      })
      .finally(() => {
        this.running = undefined;
        this.arm();
      });
    this.running = run;
    return run;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    void this.tick();
  }

  wake(): void {
    if (this.started) void this.tick();
  }

  /**
   * Timers this process has just written (committed): sleeps until the earliest of them when that is sooner than
   * the wake-up already set, and otherwise does nothing. While a tick or the read of the next due time runs, the
   * time is kept and the sleep that follows honours it (that read may have started before the write).
   */
  planned(timers: ReadonlyArray<{ dueAt: string }>): void {
    if (!this.started || timers.length === 0) return;
    const at = Math.min(...timers.map((t) => Date.parse(t.dueAt)));
    if (Number.isNaN(at)) return;
    if (this.wakeAt === undefined) {
      this.plannedAt = Math.min(this.plannedAt ?? at, at);
      return;
    }
    if (at < this.wakeAt) this.sleep(at);
  }

  async stop(): Promise<void> {
    this.started = false;
    this.stopped = true;
    this.sleepOff();
    await this.running?.catch(() => undefined);
  }

  private async drain(): Promise<number> {
    const batchSize = this.options.batchSize ?? 100;
    let ran = 0;
    for (;;) {
      const now = this.options.now();
      const claimed = await this.options.timers.claimDue({
        now,
        owner: this.owner,
        leaseMs: this.options.leaseMs ?? 5 * 60_000,
        limit: batchSize,
      });
      // Timers whose work is done are completed together: one durable write per batch.
      const done: string[] = [];
      for (const timer of claimed) {
        if (await this.runOne(timer)) done.push(timer.id);
        ran += 1;
      }
      if (done.length > 0) {
        const completed = await this.options.timers.complete(done, this.owner);
        if (completed.length < done.length) {
          // Replanned meanwhile (a request changed and its timers were replaced) or the lease ran out.
          this.log.info({ gone: done.length - completed.length }, 'timers no longer held when completed');
        }
      }
      if (claimed.length < batchSize || this.stopped) return ran;
    }
  }

  /** Runs one claimed timer; true when it is to be completed (done, or dropped), false when released. */
  private async runOne(timer: Timer): Promise<boolean> {
    const handler = this.options.handlers[timer.kind];
    const { timers } = this.options;
    if (!handler) {
      this.log.error({ timerId: timer.id, kind: timer.kind }, 'timer of an unknown kind dropped');
      return true;
    }
    try {
      const result = await handler(timer);
      if ('done' in result) return true;
      const kept = await timers.release(timer.id, this.owner, result.retryAt, false);
      if (!kept) this.log.warn({ timerId: timer.id }, 'timer claim lapsed while it ran');
      return false;
    } catch (error) {
      const attempts = timer.attempts + 1;
      if (attempts >= (this.options.maxAttempts ?? 8)) {
        this.log.error({ err: error, timerId: timer.id, attempts }, 'timer failed too often; dropped');
        return true;
      }
      const delay = Math.min(60 * 60_000, 60_000 * 2 ** (attempts - 1));
      this.log.warn({ err: error, timerId: timer.id, attempts }, 'timer failed; tried again later');
      await timers.release(timer.id, this.owner, new Date(this.options.now().getTime() + delay), true);
      return false;
    }
  }

  /** Reads the next due time and sleeps until it (at most `pollMs`); a failed read sleeps `pollMs`. */
  private arm(): void {
    if (!this.started) return;
    this.sleepOff();
    const read = ++this.arms;
    void this.options.timers.nextDue().then(
      (next) => {
        if (read === this.arms) this.sleep(next?.getTime());
      },
      (error: unknown) => {
        this.log.error({ err: error }, 'could not read the next timer');
        if (read === this.arms) this.sleep(undefined);
      },
    );
  }

  /** Ticks at `dueAt`, at a time `planned` reported if sooner, and at the latest after `pollMs`. */
  private sleep(dueAt: number | undefined): void {
    if (!this.started || this.running) return;
    const now = this.options.now().getTime();
    const at = Math.min(dueAt ?? Infinity, this.plannedAt ?? Infinity, now + (this.options.pollMs ?? 60_000));
    this.plannedAt = undefined;
    if (this.timer) clearTimeout(this.timer);
    this.wakeAt = at;
    // One millisecond more: the event loop's timers may fire up to a millisecond early against the wall clock, and a
    // tick just before the due time would claim nothing and cost a second one.
    this.timer = setTimeout(() => void this.tick(), Math.max(0, at - now) + 1);
    this.timer.unref();
  }

  private sleepOff(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.wakeAt = undefined;
  }
}
