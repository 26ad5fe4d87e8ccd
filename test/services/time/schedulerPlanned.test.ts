import assert from 'node:assert/strict';
import { MemoryTimerStore } from '../../../data/memory/memoryTimerStore.js';
import type { ClaimInput, NewTimer, Timer } from '../../../data/timerStore.js';
import { logger } from '../../../core/logger.js';
import { DONE, Scheduler } from '../../../services/time/scheduler.js';

/** A timer store that counts the scheduler's reads (each is a query, two per tick, on PostgreSQL). */
class CountingTimers extends MemoryTimerStore {
  claims = 0;
  nextDueReads = 0;
  override claimDue(input: ClaimInput): Promise<Timer[]> {
    this.claims += 1;
    return super.claimDue(input);
  }
  override nextDue(): Promise<Date | undefined> {
    this.nextDueReads += 1;
    return super.nextDue();
  }
}

function dueIn(id: string, ms: number): NewTimer {
  return {
    id,
    kind: 'count',
    group: `request:${id}`,
    dueAt: new Date(Date.now() + ms).toISOString(),
    payload: {},
  };
}

async function until(check: () => boolean, what: string, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Real time: the scheduler sleeps with setTimeout until the next due timer (or the poll). */
describe('Scheduler told of planned timers (planned)', () => {
  let scheduler: Scheduler | undefined;
  afterEach(async () => {
    await scheduler?.stop();
    scheduler = undefined;
  });

  async function started(timers: CountingTimers, runs: { id: string; at: number }[]) {
    scheduler = new Scheduler({
      timers,
      handlers: {
        count: async (t) => {
          runs.push({ id: t.id, at: Date.now() });
          return DONE;
        },
      },
      now: () => new Date(),
      logger,
      pollMs: 60_000,
    });
    scheduler.start();
    // The first tick, then the read of the next due time that sets the sleep.
    await until(() => timers.nextDueReads === 1, 'the first sleep');
    await new Promise((resolve) => setTimeout(resolve, 10));
    return scheduler;
  }

  it('asks the store nothing for a planned timer due after the next poll (a decision replanning its deadlines)', async () => {
    const timers = new CountingTimers();
    const runs: { id: string; at: number }[] = [];
    const running = await started(timers, runs);
    const before = { claims: timers.claims, reads: timers.nextDueReads };
    const planned = [dueIn('remind', 3 * 86_400_000), dueIn('expire', 10 * 86_400_000)];
    await timers.add(planned);
    running.planned(planned);
    running.planned([dueIn('later', 120_000)]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(
      { claims: timers.claims, reads: timers.nextDueReads },
      before,
      'no tick and no read of the next due time',
    );
    assert.deepEqual(runs, []);
  });

  it('runs a planned timer due before the next poll at its due time, with one tick', async () => {
    const timers = new CountingTimers();
    const runs: { id: string; at: number }[] = [];
    const running = await started(timers, runs);
    const claimsBefore = timers.claims;
    const soon = dueIn('soon', 150);
    await timers.add([soon]);
    running.planned([soon]);
    running.planned([dueIn('after-it', 60_000)]);
    await until(() => runs.length === 1, 'the timer due soon');
    assert.equal(runs[0]!.id, 'soon');
    assert.ok(runs[0]!.at >= Date.parse(soon.dueAt), 'not before its due time');
    assert.equal(timers.claims, claimsBefore + 1, 'one tick, at the due time');
    assert.equal(await timers.count(), 0);
  });

  it('keeps a due time reported while a tick runs (its next-due read may not see the timer) and runs it then', async () => {
    const timers = new CountingTimers();
    const runs: { id: string; at: number }[] = [];
    const running = await started(timers, runs);
    const soon = dueIn('soon', 150);
    // Reported while a tick runs: the store is written after the tick's read of the next due time has begun.
    const ticking = running.tick();
    running.planned([soon]);
    await ticking;
    await timers.add([soon]);
    await until(() => runs.length === 1, 'the timer reported during the tick');
    assert.ok(runs[0]!.at >= Date.parse(soon.dueAt), 'not before its due time');
  });
});
