import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { PgAuditLog } from '../../../data/postgres/pgAuditLog.js';
import { openPgRegisterStore } from '../../../data/postgres/pgRegisterStore.js';
import { PgRequestStore } from '../../../data/postgres/pgRequestStore.js';
import { PgTimerStore } from '../../../data/postgres/pgTimerStore.js';
import { createPool } from '../../../data/postgres/database.js';
import type { AuditEvent } from '../../../data/requestModel.js';
import { isAnsvarError } from '../../../core/errors.js';
import { buildSystem } from '../../../fakes/registerBuilder.js';
import { createTestDatabase, type TestDatabase } from '../../fixtures/postgres.js';
import { buildAuditEvent, buildOutboxItem, buildRequest } from '../fixtures/requestBuilder.js';

/** Two instances are two pools (two sets of connections) on one database, as two processes would have. */
describe('PostgreSQL stores shared by several instances', () => {
  let db: TestDatabase;
  let other: ReturnType<typeof createPool>;
  before(async () => {
    db = await createTestDatabase();
    other = createPool({ connectionString: db.url, poolMax: 20 });
  });
  after(async () => {
    await other?.end();
    await db?.drop();
  });
  beforeEach(async () => {
    await db.reset();
  });

  it('lets exactly one of 50 concurrent decisions spread over two instances win', async () => {
    const a = new PgRequestStore(db.pool, { instanceId: 'a' });
    const b = new PgRequestStore(other, { instanceId: 'b' });
    const request = buildRequest();
    await a.create(request);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, (_, n) =>
        (n % 2 === 0 ? a : b).update({ ...request, fields: { by: n } }, request.version, {
          audit: [buildAuditEvent({ actor: `approver${n}@kommun.se` })],
        }),
      ),
    );
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o) => o.status === 'rejected');
    assert.equal(won.length, 1, 'one decision');
    assert.ok(
      lost.every((o) => isAnsvarError(o.reason, 'RevisionConflict')),
      'every other click is a RevisionConflict',
    );
    assert.equal((await b.get(request.id))?.version, request.version + 1);
    assert.equal((await a.pendingAudit()).length, 1, 'the audit event of the winner only');
  });

  it('hands each outbox item to one instance; a crashed instance’s items go to another once its lease ran out', async () => {
    const crashing = createPool({ connectionString: db.url, poolMax: 4 });
    const a = new PgRequestStore(crashing, { instanceId: 'a', outboxLeaseMs: 300 });
    const b = new PgRequestStore(other, { instanceId: 'b', outboxLeaseMs: 300 });
    const request = buildRequest();
    const items = Array.from({ length: 40 }, (_, n) =>
      buildOutboxItem({ requestId: request.id, recipientId: `p${n}@kommun.se` }),
    );
    await a.create(request, { outbox: items });
    const [fromA, fromB] = await Promise.all([a.claimOutbox(25), b.claimOutbox(25)]);
    const idsA = new Set(fromA.map((i) => i.id));
    assert.ok(
      fromB.every((i) => !idsA.has(i.id)),
      'no item is claimed by both instances',
    );
    assert.equal(fromA.length + fromB.length, 40, 'every item is claimed by one of them');
    assert.deepEqual(
      (await a.claimOutbox()).map((i) => i.id),
      fromA.map((i) => i.id),
      'an instance gets back its own claims, oldest first',
    );
    // Instance a "crashes": its connections are gone, so it renews nothing and never marks its items. b, which
    // keeps running (and renewing its own claims), takes a's over once their lease ran out.
    await crashing.end();
    // At least two leases; on a loaded machine a's last renewal may have landed late, so b asks again until the
    // claims are free (the test's timeout fails it if they never are).
    await new Promise((resolve) => setTimeout(resolve, 700));
    let takenOver = await b.claimOutbox();
    while (takenOver.length < items.length) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      takenOver = await b.claimOutbox();
    }
    assert.deepEqual(takenOver.map((i) => i.id).sort(), items.map((i) => i.id).sort());
    const restarted = new PgRequestStore(db.pool, { instanceId: 'a', outboxLeaseMs: 300 });
    assert.deepEqual(await restarted.claimOutbox(), [], 'a, restarted, has lost its claims');
    await Promise.all([b.close(), restarted.close()]);
  });

  it('keeps the claims of a running instance past the lease, so a slow delivery is not sent again by another', async () => {
    const a = new PgRequestStore(db.pool, { instanceId: 'a', outboxLeaseMs: 300 });
    const b = new PgRequestStore(other, { instanceId: 'b', outboxLeaseMs: 300 });
    const request = buildRequest();
    const items = Array.from({ length: 3 }, (_, n) =>
      buildOutboxItem({ requestId: request.id, recipientId: `p${n}@kommun.se` }),
    );
    await a.create(request, { outbox: items });
    assert.equal((await a.claimOutbox()).length, 3, 'a claims all three');
    // a is busy delivering for more than three leases without claiming again.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const inHand = new Set(items.map((i) => i.id));
    assert.deepEqual(await a.claimOutbox(undefined, inHand), [], 'a does not read again what it has in hand');
    assert.deepEqual(await b.claimOutbox(), [], 'b takes none of the items a is still working on');
    await a.markDelivered(items[0]!.id, new Date().toISOString());
    await a.close();
    assert.deepEqual(
      (await b.claimOutbox()).map((i) => i.id).sort(),
      items
        .slice(1)
        .map((i) => i.id)
        .sort(),
      'after a stops, b gets what a did not deliver',
    );
    await b.close();
  });

  it('gives back its claims on a clean close, so another instance takes them at once', async () => {
    const a = new PgRequestStore(db.pool, { instanceId: 'a' });
    const b = new PgRequestStore(other, { instanceId: 'b' });
    const item = buildOutboxItem();
    await a.create(buildRequest({ id: item.requestId }), { outbox: [item] });
    assert.equal((await a.claimOutbox()).length, 1);
    assert.deepEqual(await b.claimOutbox(), [], 'claimed by a');
    await a.close();
    assert.deepEqual(
      (await b.claimOutbox()).map((i) => i.id),
      [item.id],
    );
  });

  it('keeps one audit chain when two instances append concurrently', async () => {
    const a = new PgAuditLog(db.pool);
    const b = new PgAuditLog(other);
    const event = (n: number): AuditEvent =>
      buildAuditEvent({
        id: randomUUID(),
        actor: `p${n}@kommun.se`,
        at: new Date(Date.UTC(2025, 2, 1, 9, 0, n % 60)).toISOString(),
      });
    const events = Array.from({ length: 200 }, (_, n) => event(n));
    await Promise.all(
      Array.from({ length: 20 }, (_, batch) =>
        (batch % 2 === 0 ? a : b).append(events.slice(batch * 10, batch * 10 + 10)),
      ),
    );
    // The same events again (a retried flush, on the other instance): skipped by id.
    await b.append(events.slice(0, 10));
    const read: AuditEvent[] = [];
    for await (const e of a.read()) read.push(e);
    assert.equal(read.length, 200);
    assert.deepEqual(new Set(read.map((e) => e.id)), new Set(events.map((e) => e.id)));
  });

  it('moves pending audit events into the chain in one transaction per batch: two instances at once, each event once and in the order written', async () => {
    const a = new PgRequestStore(db.pool, { instanceId: 'a' });
    const b = new PgRequestStore(other, { instanceId: 'b' });
    const [logA, logB] = [new PgAuditLog(db.pool), new PgAuditLog(other)];
    const events = Array.from({ length: 120 }, (_, n) =>
      buildAuditEvent({ id: n === 5 ? `o'brien\\'); --${n}` : randomUUID(), actor: `p${n}@kommun.se` }),
    );
    for (let n = 0; n < 120; n += 10) await a.recordAudit(events.slice(n, n + 10));
    // Held already: appended by a flush that crashed before it dropped the pending copy (the three-step path).
    await logA.append([events[0]!]);
    assert.equal(await a.moveAudit(logB, 7), undefined, 'a log on another pool is not the store’s database');
    const drain = async (store: PgRequestStore, log: PgAuditLog) => {
      let moved = 0;
      for (let taken = -1; taken !== 0; moved += taken) taken = (await store.moveAudit(log, 7))!;
      return moved;
    };
    const moved = await Promise.all([drain(a, logA), drain(b, logB)]);
    assert.equal(moved[0]! + moved[1]!, 120, 'every pending event left the store once');
    assert.deepEqual(await a.pendingAudit(), []);
    const read: AuditEvent[] = [];
    for await (const e of logA.read()) read.push(e);
    assert.deepEqual(
      read.map((e) => e.id),
      events.map((e) => e.id),
      'one record each (the held one not twice), in the order they were written',
    );
    assert.equal(await a.moveAudit(logA, 7), 0, 'nothing pending: nothing moved');
  });

  it('skips an event the log holds even when its id has quotes and backslashes (the ids are sent as literals)', async () => {
    const log = new PgAuditLog(db.pool);
    const odd = buildAuditEvent({ id: `o'brien\\'); DROP TABLE audit_log; --` });
    await log.append([odd, buildAuditEvent({ id: 'e1' })]);
    await log.append([buildAuditEvent({ id: 'e2' }), odd]);
    const read: AuditEvent[] = [];
    for await (const e of log.read()) read.push(e);
    assert.deepEqual(
      read.map((e) => e.id),
      [odd.id, 'e1', 'e2'],
    );
  });

  it('detects a changed audit record and names it', async () => {
    const log = new PgAuditLog(db.pool);
    await log.append([
      buildAuditEvent({ id: 'e1' }),
      buildAuditEvent({ id: 'e2' }),
      buildAuditEvent({ id: 'e3' }),
    ]);
    await db.pool.query(`UPDATE audit_log SET event_json = replace(event_json, 'anna', 'eve') WHERE seq = 2`);
    await assert.rejects(
      async () => {
        for await (const _ of log.read()) void _;
      },
      (error) =>
        isAnsvarError(error, 'StoreCorrupt') && /record 2 does not match its hash/.test(error.message),
    );
  });

  it('serves the register from memory and sees another instance’s change after its notice', async () => {
    const a = await openPgRegisterStore(db.pool);
    const b = await openPgRegisterStore(other);
    try {
      await a.apply({ systems: [buildSystem({ name: 'Procapita' })] }, 0);
      await waitFor(async () => (await b.revision()) === 1, 'b sees revision 1');
      assert.equal((await b.frozen()).systems[0]?.name, 'Procapita');
      await b.apply({ systems: [buildSystem({ name: 'Procapita Omsorg' })] }, 1);
      await waitFor(async () => (await a.revision()) === 2, 'a sees revision 2');
      assert.deepEqual(
        (await a.snapshot()).systems.map((s) => s.name),
        ['Procapita Omsorg'],
      );
      await assert.rejects(a.apply({ systems: [] }, 1), (error) => isAnsvarError(error, 'RevisionConflict'));
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('applies a change on a stale instance when the database is at the expected revision, and catches up', async () => {
    const a = await openPgRegisterStore(db.pool);
    await a.apply({ systems: [buildSystem({ id: 'org/one', name: 'One' })] }, 0);
    await a.close();
    // b opens at revision 1; a second change arrives behind b's back (straight in the table, no notice).
    const b = await openPgRegisterStore(other);
    try {
      assert.equal(await b.revision(), 1);
      await db.pool.query('UPDATE register_meta SET revision = 2');
      await db.pool.query(
        `INSERT INTO register_entities (kind, id, revision, doc) VALUES ('systems', 'org/two', 2, $1::jsonb)`,
        [JSON.stringify(buildSystem({ id: 'org/two', name: 'Two' }))],
      );
      assert.equal(await b.apply({ systems: [buildSystem({ id: 'org/three', name: 'Three' })] }, 2), 3);
      assert.deepEqual(
        (await b.frozen()).systems.map((s) => s.name),
        ['One', 'Two', 'Three'],
      );
    } finally {
      await b.close();
    }
  });
  it('takes an entity removed on one instance (the sample replaced) out of another instance and of a new one', async () => {
    const a = await openPgRegisterStore(db.pool);
    const b = await openPgRegisterStore(other);
    try {
      const one = buildSystem({ id: 'org/one', name: 'One' });
      const two = buildSystem({ id: 'org/two', name: 'Two' });
      await a.apply({ systems: [one, two] }, 0);
      await waitFor(async () => (await b.revision()) === 1, 'b sees revision 1');
      await a.apply({ systems: [buildSystem({ id: 'org/three', name: 'Three' })] }, 1, {
        remove: { systems: ['org/one'] },
      });
      await waitFor(async () => (await b.revision()) === 2, 'b sees revision 2');
      const names = async (store: { frozen(): Promise<{ systems: readonly { name: string }[] }> }) =>
        (await store.frozen()).systems.map((s) => s.name);
      assert.deepEqual(await names(a), ['Two', 'Three'], 'the removing instance');
      assert.deepEqual(await names(b), ['Two', 'Three'], 'the other instance, after the notice');
      const c = await openPgRegisterStore(db.pool);
      try {
        assert.deepEqual(await names(c), ['Two', 'Three'], 'an instance started after the removal');
        // An id removed and then written again is back.
        await c.apply({ systems: [one] }, 2);
        await waitFor(async () => (await b.revision()) === 3, 'b sees revision 3');
        assert.deepEqual((await names(b)).sort(), ['One', 'Three', 'Two'], 'written again after the removal');
      } finally {
        await c.close();
      }
    } finally {
      await a.close();
      await b.close();
    }
  });
  it('writes a change’s timer plan in the change itself: a lost compare-and-set plans nothing, a won one replaces the group', async () => {
    const a = new PgRequestStore(db.pool, { instanceId: 'a' });
    const b = new PgRequestStore(other, { instanceId: 'b' });
    assert.equal(a.plansTimers, true);
    const request = buildRequest();
    const group = `request:${request.id}`;
    const timer = (name: string, dueAt = '2030-01-02T08:00:00.000Z') => ({
      id: `${group}:${name}`,
      kind: 'request.remind',
      group,
      dueAt,
      payload: { requestId: request.id },
    });
    await a.create(request, { timers: { group, timers: [timer('0:remind'), timer('0:expire')] } });
    const timers = new PgTimerStore(db.pool);
    assert.deepEqual((await timers.group(group)).map((t) => t.id).sort(), [
      `${group}:0:expire`,
      `${group}:0:remind`,
    ]);

    const outcomes = await Promise.allSettled(
      [a, b].map((store, n) =>
        store.update({ ...request, fields: { by: n } }, request.version, {
          audit: [buildAuditEvent()],
          timers: { group, timers: [timer(`1:remind:${n}`), timer('0:expire', '2031-01-01T08:00:00.000Z')] },
        }),
      ),
    );
    const won = outcomes.findIndex((o) => o.status === 'fulfilled');
    assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
    const after = await timers.group(group);
    assert.deepEqual(
      after.map((t) => t.id).sort(),
      [`${group}:0:expire`, `${group}:1:remind:${won}`],
      'the winner’s plan only: the loser’s timer was not written, the dropped one removed',
    );
    assert.equal(
      after.find((t) => t.id === `${group}:0:expire`)?.dueAt,
      '2030-01-02T08:00:00.000Z',
      'a timer planned again keeps its stored due time',
    );
    await assert.rejects(
      a.update(request, request.version + 1, {
        timers: { group, timers: [{ ...timer('x'), id: 'request:someone-else:0:remind' }] },
      }),
      (error: unknown) => isAnsvarError(error, 'InvalidInput'),
    );
    assert.equal((await a.get(request.id))?.version, request.version + 1, 'a refused plan changes nothing');
  });

  it('leaves no listener on the pooled connection a register store listened on, however often stores open on the pool', async () => {
    // Two connections: the store listens on one and reads on the other; both are reused by every store opened.
    const pool = createPool({ connectionString: db.url, poolMax: 2 });
    try {
      const errorListeners = async () => {
        const clients = [await pool.connect(), await pool.connect()];
        const count = clients.reduce(
          (sum, c) => sum + c.listenerCount('error') + c.listenerCount('notification'),
          0,
        );
        for (const client of clients) client.release();
        return count;
      };
      const before = await errorListeners();
      for (let n = 0; n < 12; n++) await (await openPgRegisterStore(pool)).close();
      assert.equal(await errorListeners(), before);
    } finally {
      await pool.end();
    }
  });
});

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
