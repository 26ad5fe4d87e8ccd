import assert from 'node:assert/strict';
import { HygieneScheduler } from '../../bot/delivery/hygieneDigest.js';
import { createPool } from '../../data/postgres/database.js';
import { PgScheduleClaims } from '../../data/postgres/pgScheduleClaims.js';
import { MemoryScheduleClaims } from '../../data/memory/memoryScheduleClaims.js';
import { logger } from '../../core/logger.js';
import { createTestDatabase, type TestDatabase } from '../fixtures/postgres.js';

describe('HygieneScheduler on several instances', () => {
  let db: TestDatabase;
  let other: ReturnType<typeof createPool>;
  before(async () => {
    db = await createTestDatabase();
    other = createPool({ connectionString: db.url });
  });
  after(async () => {
    await other?.end();
    await db?.drop();
  });

  it('runs each due time on exactly one of two instances sharing one database', async () => {
    const runs: string[] = [];
    const scheduler = (name: string, claims: PgScheduleClaims) =>
      new HygieneScheduler({
        run: async () => {
          runs.push(name);
        },
        claim: (dueAt) => claims.claim('hygiene-digest', dueAt),
        logger,
      });
    const a = scheduler('a', new PgScheduleClaims(db.pool, 'a'));
    const b = scheduler('b', new PgScheduleClaims(other, 'b'));
    const monday = new Date('2026-06-08T05:00:00.000Z');
    const tuesday = new Date('2026-06-09T05:00:00.000Z');
    // The timers of both fire within the same second (b a few milliseconds late).
    await Promise.all([a.runDue(monday), b.runDue(new Date(monday.getTime() + 7))]);
    assert.equal(runs.length, 1, `one run for Monday, got ${runs.join(', ')}`);
    await Promise.all([b.runDue(tuesday), a.runDue(tuesday)]);
    assert.equal(runs.length, 2, 'one run for Tuesday');
    await a.runDue(monday);
    assert.equal(runs.length, 2, 'a due time already run is not run again');
  });

  it('runs every due time once in one process with claims in memory', async () => {
    let runs = 0;
    const claims = new MemoryScheduleClaims();
    const scheduler = new HygieneScheduler({
      run: async () => {
        runs += 1;
      },
      claim: (dueAt) => claims.claim('hygiene-digest', dueAt),
      logger,
    });
    const due = new Date('2026-06-08T05:00:00.000Z');
    await scheduler.runDue(due);
    await scheduler.runDue(due);
    await scheduler.runDue(new Date('2026-06-09T05:00:00.000Z'));
    assert.equal(runs, 2);
  });
});
