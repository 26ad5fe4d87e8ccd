import assert from 'node:assert/strict';
import { openLowTimerStore } from '../../../data/lowdb/lowTimerStore.js';
import { MemoryTimerStore } from '../../../data/memory/memoryTimerStore.js';
import type { NewTimer, Timer } from '../../../data/timerStore.js';
import { logger } from '../../../core/logger.js';
import { DONE, Scheduler, type TimerHandler } from '../../../services/time/scheduler.js';
import { TempDirs } from '../../data/fixtures/tempDirs.js';

const dirs = new TempDirs();
const T0 = new Date('2026-03-02T08:00:00Z');

/** A hand-driven clock: tests move it, the scheduler reads it. */
function fakeClock(start = T0) {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    advance(ms: number) {
      now += ms;
    },
  };
}

function timer(id: string, dueMs: number, group = 'request:r1', kind = 'count'): NewTimer {
  return { id, kind, group, dueAt: new Date(T0.getTime() + dueMs).toISOString(), payload: {} };
}

/** A handler that records each run and applies its effect once per effect key (as request handlers do with a CAS). */
function recorder() {
  const runs: string[] = [];
  const effects = new Set<string>();
  const handler: TimerHandler = async (t: Timer) => {
    runs.push(t.id);
    effects.add(t.id);
    return DONE;
  };
  return { runs, effects, handler };
}

describe('Scheduler with durable timers and fake time', () => {
  afterEach(() => dirs.removeAll());

  it('runs nothing before a timer is due and each due timer once', async () => {
    const clock = fakeClock();
    const timers = new MemoryTimerStore();
    const { runs, handler } = recorder();
    const scheduler = new Scheduler({ timers, handlers: { count: handler }, now: clock.now, logger });
    await timers.add([timer('a', 60_000), timer('b', 120_000)]);
    assert.equal(await scheduler.tick(), 0);
    clock.advance(60_000);
    await scheduler.tick();
    await scheduler.tick();
    assert.deepEqual(runs, ['a']);
    clock.advance(60_000);
    await scheduler.tick();
    assert.deepEqual(runs, ['a', 'b']);
    assert.equal(await timers.count(), 0);
  });

  it('catches up after a restart: timers that fell due while stopped run once at the first tick', async () => {
    const dir = await dirs.make();
    const clock = fakeClock();
    const before = await openLowTimerStore(dir);
    await before.add([timer('remind', 3_600_000), timer('escalate', 7_200_000), timer('later', 86_400_000)]);
    await before.close();

    clock.advance(10_800_000); // three hours of downtime
    const after = await openLowTimerStore(dir);
    try {
      const { runs, handler } = recorder();
      const scheduler = new Scheduler({
        timers: after,
        handlers: { count: handler },
        now: clock.now,
        logger,
      });
      await scheduler.tick();
      await scheduler.tick();
      assert.deepEqual(runs, ['remind', 'escalate']);
      assert.equal(await after.count(), 1, 'the one not yet due waits');
    } finally {
      await after.close();
    }
  });

  it('a restart while a timer was running (claimed, never completed) runs it again only after its lease', async () => {
    const dir = await dirs.make();
    const clock = fakeClock();
    const crashed = await openLowTimerStore(dir);
    await crashed.add([timer('a', 0)]);
    await crashed.claimDue({ now: clock.now(), owner: 'dead-process', leaseMs: 300_000, limit: 10 });
    await crashed.close();

    const store = await openLowTimerStore(dir);
    try {
      const { runs, handler } = recorder();
      const scheduler = new Scheduler({
        timers: store,
        handlers: { count: handler },
        now: clock.now,
        logger,
        leaseMs: 300_000,
      });
      await scheduler.tick();
      assert.deepEqual(runs, [], 'the lease of the crashed run still holds');
      clock.advance(300_000);
      await scheduler.tick();
      await scheduler.tick();
      assert.deepEqual(runs, ['a']);
    } finally {
      await store.close();
    }
  });

  it('two timers of one request falling due together both run, each once', async () => {
    const clock = fakeClock();
    const timers = new MemoryTimerStore();
    const { runs, handler } = recorder();
    const scheduler = new Scheduler({ timers, handlers: { count: handler }, now: clock.now, logger });
    await timers.add([timer('request:r1:0:escalate:1', 1000), timer('request:r1:0:expire', 1000)]);
    clock.advance(1000);
    await Promise.all([scheduler.tick(), scheduler.tick()]);
    assert.deepEqual(runs.sort(), ['request:r1:0:escalate:1', 'request:r1:0:expire']);
  });

  it('two processes’ worth of timers (the same plans replayed) run once, shared between two schedulers', async () => {
    const clock = fakeClock();
    const timers = new MemoryTimerStore();
    const plan = Array.from({ length: 300 }, (_, i) => timer(`t${i}`, (i % 7) * 1000, `request:r${i % 40}`));
    await timers.add(plan);
    await timers.add(plan); // the second process plans the same timers
    const one = recorder();
    const two = recorder();
    const a = new Scheduler({
      timers,
      handlers: { count: one.handler },
      now: clock.now,
      logger,
      batchSize: 25,
    });
    const b = new Scheduler({
      timers,
      handlers: { count: two.handler },
      now: clock.now,
      logger,
      batchSize: 25,
    });
    clock.advance(10_000);
    await Promise.all([a.tick(), b.tick(), a.tick(), b.tick()]);
    const all = [...one.runs, ...two.runs];
    assert.equal(all.length, 300);
    assert.equal(new Set(all).size, 300, 'no timer ran in both');
    assert.ok(one.runs.length > 0 && two.runs.length > 0, 'both schedulers took a share');
  });

  it('tries a failing handler again later with backoff, then drops it after maxAttempts', async () => {
    const clock = fakeClock();
    const timers = new MemoryTimerStore();
    let calls = 0;
    const scheduler = new Scheduler({
      timers,
      handlers: {
        count: async () => {
          calls += 1;
          throw new Error('store unavailable');
        },
      },
      now: clock.now,
      logger,
      maxAttempts: 3,
    });
    await timers.add([timer('a', 0)]);
    await scheduler.tick();
    assert.equal(calls, 1);
    await scheduler.tick();
    assert.equal(calls, 1, 'not before the backoff');
    clock.advance(60_000);
    await scheduler.tick();
    clock.advance(120_000);
    await scheduler.tick();
    assert.equal(calls, 3);
    assert.equal(await timers.count(), 0, 'dropped after three attempts');
  });

  it('a handler asking for a later time (quiet hours) runs again then, not before', async () => {
    const clock = fakeClock();
    const timers = new MemoryTimerStore();
    const runs: number[] = [];
    const scheduler = new Scheduler({
      timers,
      handlers: {
        count: async () => {
          runs.push(clock.now().getTime());
          return runs.length === 1 ? { retryAt: new Date(clock.now().getTime() + 3_600_000) } : DONE;
        },
      },
      now: clock.now,
      logger,
    });
    await timers.add([timer('a', 0)]);
    await scheduler.tick();
    clock.advance(3_599_000);
    await scheduler.tick();
    assert.equal(runs.length, 1);
    clock.advance(1000);
    await scheduler.tick();
    assert.equal(runs.length, 2);
    assert.equal(await timers.count(), 0);
  });

  it('drops a timer of an unknown kind', async () => {
    const timers = new MemoryTimerStore();
    const scheduler = new Scheduler({ timers, handlers: {}, now: () => T0, logger });
    await timers.add([timer('a', 0, 'g', 'gone')]);
    await scheduler.tick();
    assert.equal(await timers.count(), 0);
  });
});
