import { monitorEventLoopDelay } from 'node:perf_hooks';
import { openLowTimerStore } from '../../data/lowdb/lowTimerStore.js';
import type { NewTimer } from '../../data/timerStore.js';
import { logger } from '../../core/logger.js';
import { DONE, Scheduler } from '../../services/time/scheduler.js';
import { summarise, type Summary } from './stats.js';

/**
 * The durable scheduler's tick with many pending timers, in this process, on the embedded (lowdb + journal) timer
 * store: `pending` timers one minute apart are seeded, then the clock is moved so that `duePerTick` fall due before
 * each tick; a tick claims them, runs a handler that does nothing and completes each (a durable journal append per
 * claim and per completion). Also a tick with nothing due. The event-loop delay is sampled during the ticks.
 */
export interface TimersBenchResult {
  pending: number;
  seedMs: number;
  duePerTick: number;
  tick: Summary;
  idleTick: Summary;
  eventLoopMaxMs: number;
  problems: string[];
}

export async function measureTimers(options: {
  dataDir: string;
  pending: number;
  duePerTick: number;
  ticks: number;
}): Promise<TimersBenchResult> {
  const start = Date.parse('2027-01-04T08:00:00Z');
  const store = await openLowTimerStore(options.dataDir);
  const problems: string[] = [];
  try {
    const seeded = performance.now();
    for (let i = 0; i < options.pending; i += 5000) {
      const batch: NewTimer[] = [];
      for (let j = i; j < Math.min(options.pending, i + 5000); j += 1) {
        batch.push({
          id: `request:r${j}:0:remind`,
          kind: 'noop',
          group: `request:r${j}`,
          dueAt: new Date(start + (j + 1) * 60_000).toISOString(),
          payload: { requestId: `r${j}`, stage: 0 },
        });
      }
      await store.add(batch);
    }
    const seedMs = performance.now() - seeded;
    let now = start;
    let ran = 0;
    const scheduler = new Scheduler({
      timers: store,
      handlers: {
        noop: async () => {
          ran += 1;
          return DONE;
        },
      },
      now: () => new Date(now),
      logger,
    });
    // The seeding's garbage is collected before measuring (npm run bench runs with --expose-gc).
    (globalThis as { gc?: () => void }).gc?.();
    const histogram = monitorEventLoopDelay({ resolution: 1 });
    histogram.enable();
    const ticks: number[] = [];
    const idle: number[] = [];
    for (let i = 0; i < options.ticks; i += 1) {
      now += options.duePerTick * 60_000;
      const t0 = performance.now();
      await scheduler.tick();
      ticks.push(performance.now() - t0);
      const t1 = performance.now();
      await scheduler.tick();
      idle.push(performance.now() - t1);
    }
    histogram.disable();
    if (ran !== options.duePerTick * options.ticks) {
      problems.push(`ran ${ran} timers, expected ${options.duePerTick * options.ticks}`);
    }
    const left = await store.count();
    if (left !== options.pending - ran)
      problems.push(`${left} timers left, expected ${options.pending - ran}`);
    return {
      pending: options.pending,
      seedMs,
      duePerTick: options.duePerTick,
      tick: summarise(ticks),
      idleTick: summarise(idle),
      eventLoopMaxMs: histogram.max / 1e6,
      problems,
    };
  } finally {
    await store.close();
  }
}
