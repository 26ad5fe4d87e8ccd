import assert from 'node:assert/strict';
import { MemoryRegisterStore } from '../../../data/memory/memoryRegisterStore.js';
import type { DeepReadonly, RegisterChanges, RegisterSnapshot } from '../../../data/model.js';
import type { RegisterStore } from '../../../data/registerStore.js';
import type { AuditEvent } from '../../../data/requestModel.js';
import { buildRegisterIndexes, RegisterView } from '../../../services/search/registerView.js';
import { buildSystem } from '../../../fakes/registerBuilder.js';
import { buildScenario, PEOPLE, SYSTEMS, TANUM } from '../../fixtures/registerScenario.js';

/** A MemoryRegisterStore that counts reads of the whole register (each one means an index rebuild). */
class CountingStore implements RegisterStore {
  snapshots = 0;
  private readonly inner: MemoryRegisterStore;
  constructor(initial = buildScenario()) {
    this.inner = new MemoryRegisterStore(initial);
  }
  revision(): Promise<number> {
    return this.inner.revision();
  }
  snapshot(): Promise<RegisterSnapshot> {
    this.snapshots += 1;
    return this.inner.snapshot();
  }
  frozen(): Promise<DeepReadonly<RegisterSnapshot>> {
    this.snapshots += 1;
    return this.inner.frozen();
  }
  async apply(changes: RegisterChanges): Promise<number> {
    return this.inner.apply(changes, await this.inner.revision());
  }
  pendingAudit(limit?: number): Promise<AuditEvent[]> {
    return this.inner.pendingAudit(limit);
  }
  auditFlushed(eventIds: string[]): Promise<void> {
    return this.inner.auditFlushed(eventIds);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

describe('RegisterView', () => {
  it('builds once and serves the same indexes while the revision stays', async () => {
    const store = new CountingStore();
    const view = new RegisterView(store);
    const first = await view.current();
    const second = await view.current();
    assert.equal(second, first);
    assert.equal(store.snapshots, 1);
  });

  it('rebuilds after a change to the store and then finds the new system', async () => {
    const store = new CountingStore();
    const view = new RegisterView(store);
    const before = await view.current();
    assert.equal(before.systems.find('Ciceron').kind, 'none');

    await store.apply({
      systems: [buildSystem({ id: 'tanum-kommun/ciceron', organisationId: TANUM.id, name: 'Ciceron' })],
    });
    const after = await view.current();

    assert.notEqual(after, before);
    assert.equal(after.revision, before.revision + 1);
    assert.equal(store.snapshots, 2);
    const found = after.systems.find('Ciceron');
    assert.equal(found.kind === 'one' && found.hit.item.id, 'tanum-kommun/ciceron');
  });

  it('shares one rebuild between concurrent callers', async () => {
    const store = new CountingStore();
    const view = new RegisterView(store);
    const [a, b, c] = await Promise.all([view.current(), view.current(), view.current()]);
    assert.equal(a, b);
    assert.equal(b, c);
    assert.equal(store.snapshots, 1);
  });
});

describe('buildRegisterIndexes', () => {
  const indexes = buildRegisterIndexes(buildScenario(), 7);

  it('keeps the revision it is given', () => assert.equal(indexes.revision, 7));

  it('groups assignments by system, by person and organisation-wide roles by organisation', () => {
    assert.equal(indexes.assignmentsBySystem.get(SYSTEMS.procapita.id)?.length, 5);
    assert.deepEqual(
      indexes.organisationAssignments.get(TANUM.id)?.map((a) => a.role),
      ['it_coordinator', 'it_orderer'],
    );
    assert.ok(
      indexes.assignmentsByPerson.get(PEOPLE.annaBerg.id)!.some((a) => a.role === 'it_orderer'),
      "indexes.assignmentsByPerson.get(PEOPLE.annaBerg.id)!.some((a) => a.role === '...",
    );
  });

  it('finds people by object id and organisations by tenant', () => {
    assert.equal(indexes.peopleByAadObjectId.get('aad-anna'), PEOPLE.annaBerg);
    assert.equal(indexes.organisationsByTenant.get('tenant-tanum'), TANUM);
  });

  it('indexes a generated register of 10,000 systems with 30,000 aliases', () => {
    const systems = Array.from({ length: 10_000 }, (_, i) =>
      buildSystem({
        id: `org-${i % 50}/system-${i}`,
        organisationId: `org-${i % 50}`,
        name: `System ${i}`,
        aliases: [`S${i}`, `Sys-${i}`, `Alias ${i}`],
      }),
    );
    const big = buildRegisterIndexes({
      organisations: [],
      units: [],
      people: [],
      systems,
      roleAssignments: [],
    });
    assert.equal(big.systems.size, 10_000);
    const hit = big.systems.find('sys 4321');
    assert.equal(hit.kind === 'one' && hit.hit.item.id, 'org-21/system-4321');
  });
});
