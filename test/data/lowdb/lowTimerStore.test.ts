import assert from 'node:assert/strict';
import { isAnsvarError } from '../../../core/errors.js';
import { openLowTimerStore } from '../../../data/lowdb/lowTimerStore.js';
import type { NewTimer } from '../../../data/timerStore.js';
import { TempDirs } from '../fixtures/tempDirs.js';

// The TimerStore contract runs against this store in test/data/timerStore.test.ts; here what only files have.
const dirs = new TempDirs();
const T0 = new Date('2026-03-02T08:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

function timer(id: string, dueMinutes: number, group = 'request:r1'): NewTimer {
  return { id, kind: 'test', group, dueAt: at(dueMinutes).toISOString(), payload: { n: dueMinutes } };
}

describe('LowTimerStore on disk', () => {
  afterEach(() => dirs.removeAll());

  it('keeps timers and claims across a restart, and replays its journal into a snapshot', async () => {
    const dir = await dirs.make();
    const first = await openLowTimerStore(dir);
    await first.add([timer('a', 5), timer('b', 10), timer('c', 15)]);
    await first.claimDue({ now: at(6), owner: 'p1', leaseMs: 60 * 60_000, limit: 10 });
    await first.complete(['a'], 'p1');
    await first.close();

    const second = await openLowTimerStore(dir);
    try {
      assert.equal(await second.count(), 2);
      assert.deepEqual(
        (await second.claimDue({ now: at(20), owner: 'p2', leaseMs: 60_000, limit: 10 })).map((t) => t.id),
        ['b', 'c'],
      );
    } finally {
      await second.close();
    }
  });

  it('is held by one process at a time (the lock)', async () => {
    const dir = await dirs.make();
    const first = await openLowTimerStore(dir);
    try {
      await assert.rejects(openLowTimerStore(dir), (e: unknown) => isAnsvarError(e, 'StoreLocked'));
    } finally {
      await first.close();
    }
  });

  it('writes a snapshot when the journal is full, and reads it back', async () => {
    const dir = await dirs.make();
    const first = await openLowTimerStore(dir, { journalMaxBytes: 512 });
    for (let i = 0; i < 20; i += 1) await first.add([timer(`t${i}`, i)]);
    await first.close();
    const second = await openLowTimerStore(dir);
    try {
      assert.equal(await second.count(), 20);
    } finally {
      await second.close();
    }
  });
});
