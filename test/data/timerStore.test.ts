import assert from 'node:assert/strict';
import { openLowTimerStore } from '../../data/lowdb/lowTimerStore.js';
import { MemoryTimerStore } from '../../data/memory/memoryTimerStore.js';
import type { NewTimer, TimerStore } from '../../data/timerStore.js';
import { isAnsvarError } from '../../core/errors.js';
import { PgTimerStore } from '../../data/postgres/pgTimerStore.js';
import { createTestDatabase, type TestDatabase } from '../fixtures/postgres.js';
import { TempDirs } from './fixtures/tempDirs.js';

const dirs = new TempDirs();
const T0 = new Date('2026-03-02T08:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

function timer(id: string, dueMinutes: number, group = 'request:r1'): NewTimer {
  return { id, kind: 'test', group, dueAt: at(dueMinutes).toISOString(), payload: { n: dueMinutes } };
}

/** A real PostgreSQL for PgTimerStore, created on first use and dropped after the suite. */
let database: Promise<TestDatabase> | undefined;
after(async () => {
  if (database) await (await database).drop();
});

for (const [name, make] of [
  ['MemoryTimerStore', async () => new MemoryTimerStore()],
  ['LowTimerStore', async () => openLowTimerStore(await dirs.make())],
  [
    'PgTimerStore',
    async () => {
      const db = await (database ??= createTestDatabase());
      await db.reset();
      return new PgTimerStore(db.pool);
    },
  ],
] as Array<[string, () => Promise<TimerStore>]>) {
  describe(`${name} (TimerStore contract)`, () => {
    let store: TimerStore;
    beforeEach(async () => (store = await make()));
    afterEach(async () => {
      await store.close();
      await dirs.removeAll();
    });

    it('claims only due timers, oldest first, up to the limit', async () => {
      await store.add([timer('c', 30), timer('a', 10), timer('b', 20), timer('later', 90)]);
      const first = await store.claimDue({ now: at(60), owner: 'p1', leaseMs: 60_000, limit: 2 });
      assert.deepEqual(
        first.map((t) => t.id),
        ['a', 'b'],
      );
      const rest = await store.claimDue({ now: at(60), owner: 'p1', leaseMs: 60_000, limit: 10 });
      assert.deepEqual(
        rest.map((t) => t.id),
        ['c'],
      );
      assert.deepEqual(await store.nextDue(), at(61), 'the next claimable is the first lease running out');
    });

    it('never gives a claimed timer to a second owner while the lease holds, and does after it lapsed', async () => {
      await store.add([timer('a', 0)]);
      const p1 = await store.claimDue({ now: at(1), owner: 'p1', leaseMs: 5 * 60_000, limit: 10 });
      const p2 = await store.claimDue({ now: at(2), owner: 'p2', leaseMs: 5 * 60_000, limit: 10 });
      assert.equal(p1.length, 1);
      assert.equal(p2.length, 0, 'a held claim is not claimed again');
      const late = await store.claimDue({ now: at(7), owner: 'p2', leaseMs: 5 * 60_000, limit: 10 });
      assert.deepEqual(
        late.map((t) => t.claimedBy),
        ['p2'],
      );
      assert.deepEqual(await store.complete(['a'], 'p1'), [], 'the first holder lost its claim');
      assert.deepEqual(await store.complete(['a'], 'p2'), ['a']);
      assert.equal(await store.count(), 0);
    });

    it('claims each timer once when two owners claim at the same moment', async () => {
      await store.add(Array.from({ length: 50 }, (_, i) => timer(`t${i}`, i % 5)));
      const [a, b] = await Promise.all([
        store.claimDue({ now: at(10), owner: 'p1', leaseMs: 60_000, limit: 30 }),
        store.claimDue({ now: at(10), owner: 'p2', leaseMs: 60_000, limit: 30 }),
      ]);
      const ids = [...a, ...b].map((t) => t.id);
      assert.equal(ids.length, 50);
      assert.equal(new Set(ids).size, 50, 'no timer claimed by both');
    });

    it('adds a timer once: planning the same ids again (a replay) keeps the stored due time and claim', async () => {
      assert.deepEqual(await store.add([timer('a', 5)]), ['a']);
      await store.claimDue({ now: at(6), owner: 'p1', leaseMs: 60_000, limit: 10 });
      assert.deepEqual(await store.add([{ ...timer('a', 99) }]), []);
      await store.replaceGroup('request:r1', [timer('a', 99), timer('b', 50)]);
      const group = await store.group('request:r1');
      const a = group.find((t) => t.id === 'a');
      assert.equal(a?.dueAt, at(5).toISOString());
      assert.equal(a?.claimedBy, 'p1');
      assert.deepEqual(group.map((t) => t.id).sort(), ['a', 'b']);
    });

    it('replaceGroup removes the group’s timers not named, and leaves other groups alone', async () => {
      await store.add([timer('a', 5), timer('b', 6), timer('x', 7, 'request:r2')]);
      await store.replaceGroup('request:r1', [timer('b', 6)]);
      assert.deepEqual(
        (await store.group('request:r1')).map((t) => t.id),
        ['b'],
      );
      assert.equal((await store.group('request:r2')).length, 1);
      await store.replaceGroup('request:r1', []);
      assert.equal(await store.count(), 1);
      const claimed = await store.claimDue({ now: at(100), owner: 'p', leaseMs: 1, limit: 10 });
      assert.deepEqual(
        claimed.map((t) => t.id),
        ['x'],
        'removed timers are never claimed',
      );
    });

    it('release makes a timer due again later and counts a failure', async () => {
      await store.add([timer('a', 0)]);
      await store.claimDue({ now: at(1), owner: 'p1', leaseMs: 60_000, limit: 1 });
      assert.equal(await store.release('a', 'p1', at(30), true), true);
      assert.equal((await store.claimDue({ now: at(29), owner: 'p1', leaseMs: 1, limit: 1 })).length, 0);
      const again = await store.claimDue({ now: at(30), owner: 'p1', leaseMs: 1, limit: 1 });
      assert.equal(again[0]?.attempts, 1);
      assert.equal(await store.release('a', 'other', at(40), false), false, 'only the holder releases');
    });

    it('refuses a timer without an id, kind, group or due time', async () => {
      await assert.rejects(store.add([{ ...timer('', 1) }]), (e: unknown) =>
        isAnsvarError(e, 'InvalidInput'),
      );
      await assert.rejects(store.add([{ ...timer('a', 1), dueAt: 'soon' }]), (e: unknown) =>
        isAnsvarError(e, 'InvalidInput'),
      );
    });
  });
}
