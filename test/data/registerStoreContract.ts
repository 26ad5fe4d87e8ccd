import assert from 'node:assert/strict';
import type { RegisterStore } from '../../data/registerStore.js';
import type { AuditEvent } from '../../data/requestModel.js';
import { isAnsvarError } from '../../core/errors.js';
import { buildOrganisation, buildPerson, buildSystem } from '../../fakes/registerBuilder.js';

/**
 * The RegisterStore contract (data/registerStore.ts) as mocha cases, run against every implementation.
 * `open` returns a fresh, empty store for each case; the contract closes it.
 */
export function describeRegisterStoreContract(name: string, open: () => Promise<RegisterStore>): void {
  describe(`${name} keeps the RegisterStore contract`, () => {
    let store: RegisterStore;

    beforeEach(async () => {
      store = await open();
    });

    afterEach(async () => {
      await store.close();
    });

    it('starts empty at revision 0', async () => {
      assert.equal(await store.revision(), 0);
      assert.deepEqual(await store.snapshot(), {
        revision: 0,
        organisations: [],
        units: [],
        people: [],
        systems: [],
        roleAssignments: [],
      });
    });

    it('increments the revision by one per apply and resolves to the new revision', async () => {
      assert.equal(await store.apply({ organisations: [buildOrganisation()] }, 0), 1);
      assert.equal(await store.apply({ systems: [buildSystem()] }, 1), 2);
      assert.equal(await store.revision(), 2);
      assert.equal((await store.snapshot()).revision, 2);
    });

    it('removes the ids of effects.remove in the same atomic write as the changes (the sample replaced)', async () => {
      await store.apply(
        {
          organisations: [buildOrganisation({ id: 'sample-org', name: 'Sample', sample: true })],
          systems: [buildSystem({ id: 'sample-org/a', organisationId: 'sample-org', name: 'A' })],
        },
        0,
      );
      const revision = await store.apply(
        { organisations: [buildOrganisation({ id: 'own', name: 'Own' })] },
        1,
        { remove: { organisations: ['sample-org'], systems: ['sample-org/a'] } },
      );
      assert.equal(revision, 2);
      const after = await store.snapshot();
      assert.deepEqual(
        after.organisations.map((o) => o.id),
        ['own'],
      );
      assert.deepEqual(after.systems, []);
    });

    it('returns snapshots that are copies: mutating one changes nothing in the store', async () => {
      await store.apply({ systems: [buildSystem({ aliases: ['PC'] })] }, 0);
      const first = await store.snapshot();
      first.systems[0]!.name = 'Changed';
      first.systems[0]!.aliases.push('X');
      first.people.push(buildPerson());
      first.revision = 99;

      const second = await store.snapshot();
      assert.equal(second.systems[0]!.name, 'Procapita');
      assert.deepEqual(second.systems[0]!.aliases, ['PC']);
      assert.deepEqual(second.people, []);
      assert.equal(second.revision, 1);
    });

    it('hands out its current state frozen and shared: no copy, and writing to it throws', async () => {
      await store.apply({ systems: [buildSystem({ name: 'Procapita' })] }, 0);
      const first = await store.frozen();
      assert.equal(await store.frozen(), first, 'the same object until the next change');
      assert.equal(first.systems[0]?.name, 'Procapita');
      assert.throws(() => {
        (first.systems[0] as { name: string }).name = 'Hacked';
      }, TypeError);
      assert.throws(() => (first.systems as unknown as unknown[]).push({}), TypeError);
      assert.equal((await store.snapshot()).systems[0]?.name, 'Procapita');
    });

    it('moves its frozen state to the next revision on apply and leaves the old one intact', async () => {
      await store.apply({ systems: [buildSystem({ name: 'Procapita' })] }, 0);
      const before = await store.frozen();
      await store.apply({ systems: [buildSystem({ name: 'Procapita Omsorg' })] }, 1);
      const after = await store.frozen();
      assert.equal(before.revision, 1);
      assert.equal(before.systems[0]?.name, 'Procapita');
      assert.equal(after.revision, 2);
      assert.equal(after.systems[0]?.name, 'Procapita Omsorg');
    });

    it('keeps its own copy of a change set: mutating it after apply changes nothing', async () => {
      const system = buildSystem();
      await store.apply({ systems: [system] }, 0);
      system.name = 'Changed';
      assert.equal((await store.snapshot()).systems[0]!.name, 'Procapita');
    });

    it('inserts and replaces entities by id and never deletes', async () => {
      await store.apply(
        { systems: [buildSystem({ id: 'a', name: 'A' }), buildSystem({ id: 'b', name: 'B' })] },
        0,
      );
      await store.apply(
        { systems: [buildSystem({ id: 'b', name: 'B2' }), buildSystem({ id: 'c', name: 'C' })] },
        1,
      );
      const names = (await store.snapshot()).systems.map((s) => `${s.id}=${s.name}`).sort();
      assert.deepEqual(names, ['a=A', 'b=B2', 'c=C']);
    });

    it('refuses a stale expected revision with RevisionConflict and writes nothing', async () => {
      await store.apply({ systems: [buildSystem({ id: 'a' })] }, 0);
      await assert.rejects(store.apply({ systems: [buildSystem({ id: 'stale' })] }, 0), (error: unknown) =>
        isAnsvarError(error, 'RevisionConflict'),
      );
      const after = await store.snapshot();
      assert.equal(after.revision, 1);
      assert.deepEqual(
        after.systems.map((s) => s.id),
        ['a'],
      );
    });

    it('runs concurrent applies with consecutive expected revisions in order', async () => {
      const results = await Promise.all(
        [0, 1, 2, 3].map((n) => store.apply({ systems: [buildSystem({ id: `s${n}`, name: `S${n}` })] }, n)),
      );
      assert.deepEqual(results, [1, 2, 3, 4]);
      const after = await store.snapshot();
      assert.equal(after.revision, 4);
      assert.deepEqual(after.systems.map((s) => s.id).sort(), ['s0', 's1', 's2', 's3']);
    });

    it('lets exactly one of two applies racing on the same revision win', async () => {
      const outcomes = await Promise.allSettled([
        store.apply({ systems: [buildSystem({ id: 'left' })] }, 0),
        store.apply({ systems: [buildSystem({ id: 'right' })] }, 0),
      ]);
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      const lost = outcomes.filter((o) => o.status === 'rejected');
      assert.equal(won.length, 1);
      assert.equal(lost.length, 1);
      assert.ok(
        isAnsvarError((lost[0] as PromiseRejectedResult).reason, 'RevisionConflict'),
        "isAnsvarError((lost[0] as PromiseRejectedResult).reason, 'RevisionConflict')",
      );
      const after = await store.snapshot();
      assert.equal(after.revision, 1);
      assert.equal(after.systems.length, 1);
    });

    it('writes the audit events of an apply as pending, oldest first, and drops them once flushed', async () => {
      await store.apply({ systems: [buildSystem({ id: 'a' })] }, 0, {
        audit: [auditEvent('e1'), auditEvent('e2')],
      });
      await store.apply({ systems: [buildSystem({ id: 'b' })] }, 1, { audit: [auditEvent('e3')] });
      assert.deepEqual(
        (await store.pendingAudit()).map((e) => e.id),
        ['e1', 'e2', 'e3'],
      );
      assert.deepEqual(
        (await store.pendingAudit(2)).map((e) => e.id),
        ['e1', 'e2'],
      );
      assert.deepEqual((await store.pendingAudit())[0], auditEvent('e1'));

      await store.auditFlushed(['e1', 'e3', 'unknown']);
      assert.deepEqual(
        (await store.pendingAudit()).map((e) => e.id),
        ['e2'],
      );
      assert.equal(await store.revision(), 2, 'dropping flushed events is no register change');
      assert.ok(!('pendingAudit' in (await store.snapshot())), 'the snapshot holds the register only');
    });

    it('writes no audit event of a refused apply', async () => {
      await store.apply({ systems: [buildSystem({ id: 'a' })] }, 0);
      await assert.rejects(
        store.apply({ systems: [buildSystem({ id: 'stale' })] }, 0, { audit: [auditEvent('lost')] }),
        (error: unknown) => isAnsvarError(error, 'RevisionConflict'),
      );
      await assert.rejects(
        store.apply({ systems: [buildSystem({ id: 'c' })] }, 1, { audit: [{ ...auditEvent('x'), id: '' }] }),
        (error: unknown) => isAnsvarError(error, 'InvalidInput'),
      );
      assert.deepEqual(await store.pendingAudit(), []);
      assert.equal(await store.revision(), 1);
    });

    it('keeps its own copies of pending events and keeps the first event of an id', async () => {
      const event = auditEvent('e1');
      await store.apply({}, 0, { audit: [event] });
      event.actor = 'changed';
      (await store.pendingAudit())[0]!.actor = 'changed too';
      await store.apply({}, 1, { audit: [{ ...auditEvent('e1'), actor: 'second' }] });
      const pending = await store.pendingAudit();
      assert.equal(pending.length, 1);
      assert.equal(pending[0]!.actor, 'lisa.strand@testkommun.se');
    });
  });
}

function auditEvent(id: string): AuditEvent {
  return {
    id,
    at: '2026-06-01T10:00:00.000Z',
    type: 'register_changed',
    actor: 'lisa.strand@testkommun.se',
    organisationId: 'testkommun',
    details: { entity: 'system', id: 'a', field: 'supplier', before: null, after: 'CGI' },
  };
}
