import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { openLowRequestStore } from '../../../data/lowdb/lowRequestStore.js';
import { MemoryRegisterStore } from '../../../data/memory/memoryRegisterStore.js';
import { MemoryRequestStore } from '../../../data/memory/memoryRequestStore.js';
import type { OrganisationRole, RoleAssignment } from '../../../data/model.js';
import type { InventoryItem } from '../../../data/requestModel.js';
import type { RequestStore } from '../../../data/requestStore.js';
import { InventoryService, type DiscardInput } from '../../../services/equipment/inventory.js';
import { isAnsvarError } from '../../../core/errors.js';
import { RegisterView } from '../../../services/search/registerView.js';
import { buildRequest } from '../../data/fixtures/requestBuilder.js';
import { TempDirs } from '../../data/fixtures/tempDirs.js';
import { buildInventoryItem } from '../../data/fixtures/requestBuilder.js';
import {
  buildAssignment,
  buildOrganisation,
  buildPerson,
  buildRegister,
  buildUnit,
} from '../../../fakes/registerBuilder.js';

const NOW = new Date('2025-06-01T12:00:00.000Z');
const ORG = 'testkommun';
const SOCIAL = 'testkommun/socialforvaltningen';
const SCHOOL = 'testkommun/barn-och-utbildning';

const person = (local: string) => `${local}@testkommun.se`;
const COORDINATOR = person('karin.koordinator');
const SECOND_COORDINATOR = person('per.koordinator');
const FORMER_COORDINATOR = person('gunnar.forre');
const IT_UNIT = person('ida.it');
const SOCIAL_ORDERER = person('olle.bestallare');
const SCHOOL_ORDERER = person('sara.bestallare');
const EMPLOYEE = person('anna.berg');
const NEIGHBOUR_COORDINATOR = 'nils.koordinator@grannkommun.se';

function role(personId: string, roleName: OrganisationRole, overrides: Partial<RoleAssignment> = {}) {
  return buildAssignment({
    role: roleName,
    personId,
    organisationId: personId.endsWith('grannkommun.se') ? 'grannkommun' : ORG,
    systemId: undefined,
    ...overrides,
  });
}

function buildView(): RegisterView {
  const people = [
    COORDINATOR,
    SECOND_COORDINATOR,
    FORMER_COORDINATOR,
    IT_UNIT,
    SOCIAL_ORDERER,
    SCHOOL_ORDERER,
    EMPLOYEE,
  ].map((email) => buildPerson({ email, name: email }));
  const register = buildRegister({
    organisations: [buildOrganisation(), buildOrganisation({ id: 'grannkommun', name: 'Grannkommun' })],
    units: [
      buildUnit({ id: SOCIAL, name: 'Socialförvaltningen' }),
      buildUnit({ id: SCHOOL, name: 'Barn- och utbildningsförvaltningen' }),
    ],
    people: [
      ...people,
      buildPerson({ email: NEIGHBOUR_COORDINATOR, name: 'Nils', organisationId: 'grannkommun' }),
    ],
    roleAssignments: [
      role(COORDINATOR, 'it_coordinator'),
      role(SECOND_COORDINATOR, 'it_coordinator'),
      role(FORMER_COORDINATOR, 'it_coordinator', { validTo: '2025-01-01T00:00:00.000Z' }),
      role(IT_UNIT, 'it_unit'),
      role(SOCIAL_ORDERER, 'it_orderer', { unitIds: [SOCIAL] }),
      role(SCHOOL_ORDERER, 'it_orderer', { unitIds: [SCHOOL] }),
      role(NEIGHBOUR_COORDINATOR, 'it_coordinator'),
    ],
  });
  return new RegisterView(new MemoryRegisterStore(register));
}

function item(overrides: Partial<InventoryItem> = {}): InventoryItem {
  return buildInventoryItem({
    organisationId: ORG,
    unitId: SOCIAL,
    holderId: EMPLOYEE,
    registeredBy: IT_UNIT,
    ...overrides,
  });
}

const invalidInput = (field: string, problem: string) => (error: unknown) =>
  isAnsvarError(error, 'InvalidInput') &&
  JSON.stringify(error.details) === JSON.stringify([{ field, problem }]);
const notAnApprover = (error: unknown) => isAnsvarError(error, 'NotAnApprover');

function describeInventoryService(name: string, openStore: () => Promise<RequestStore>): void {
  describe(`InventoryService on ${name}`, () => {
    let store: RequestStore;
    let service: InventoryService;

    beforeEach(async () => {
      store = await openStore();
      service = new InventoryService({
        requests: store,
        view: buildView(),
        now: () => NOW,
        newId: randomUUID,
      });
    });

    afterEach(async () => {
      await store.close();
    });

    async function register(...items: InventoryItem[]): Promise<void> {
      await store.create(buildRequest({ organisationId: ORG }), { inventory: items });
    }

    const discardBy = (target: InventoryItem, overrides: Partial<DiscardInput> = {}) =>
      service.discard({
        itemId: target.id,
        version: target.version,
        actorId: COORDINATOR,
        reason: 'Returned to the supplier',
        ...overrides,
      });

    describe('listMine', () => {
      it('lists the items in use registered to the person, by type, whatever the case of the id', async () => {
        const screen = item({ itemType: 'screen', assetTag: 'S-1' });
        const laptop = item({ itemType: 'laptop', assetTag: 'L-1', unitId: SCHOOL });
        const discarded = item({ itemType: 'dock', status: 'discarded' });
        const others = item({ holderId: IT_UNIT });
        await register(screen, laptop, discarded, others);
        assert.deepEqual(
          (await service.listMine(EMPLOYEE.toUpperCase())).map((i) => i.id),
          [laptop.id, screen.id],
        );
        assert.deepEqual(await service.listMine(SOCIAL_ORDERER), []);
      });
    });

    describe('listUnit', () => {
      const projector = item({ itemType: 'projector', location: 'Stadshuset, Aulan', holderId: undefined });
      const screen = item({ itemType: 'screen', location: 'Stadshuset, rum 204' });
      const dock = item({ itemType: 'dock', location: 'Stadshuset, rum 204' });
      const gone = item({ itemType: 'camera', location: 'Stadshuset, Aulan', status: 'discarded' });
      const school = item({ unitId: SCHOOL });

      beforeEach(async () => {
        await register(projector, screen, dock, gone, school);
      });

      it("shows an IT coordinator the unit's items in use by location then type, and lets them discard", async () => {
        assert.deepEqual(await service.listUnit(COORDINATOR, SOCIAL), {
          kind: 'items',
          items: [projector, dock, screen],
          mayDiscard: true,
        });
      });

      for (const [who, asker] of [
        ['the IT unit', IT_UNIT],
        ["the unit's IT orderer", SOCIAL_ORDERER],
      ] as const) {
        it(`shows ${who} the unit's items without letting them discard`, async () => {
          const result = await service.listUnit(asker, SOCIAL);
          assert.equal(result.kind, 'items');
          assert.deepEqual(result.kind === 'items' && [result.items.map((i) => i.id), result.mayDiscard], [
            [projector.id, dock.id, screen.id],
            false,
          ]);
        });
      }

      for (const [who, asker] of [
        ["an IT orderer of another unit, naming the organisation's current IT coordinators", SCHOOL_ORDERER],
        ['an employee without a role', EMPLOYEE],
        ['a former IT coordinator', FORMER_COORDINATOR],
        ["another organisation's IT coordinator", NEIGHBOUR_COORDINATOR],
      ] as const) {
        it(`refuses ${who}`, async () => {
          assert.deepEqual(await service.listUnit(asker, SOCIAL), {
            kind: 'refused',
            coordinatorIds: [COORDINATOR, SECOND_COORDINATOR],
          });
        });
      }

      it('answers InvalidInput for a unit the register does not hold', async () => {
        await assert.rejects(
          service.listUnit(COORDINATOR, 'testkommun/okand'),
          invalidInput('unitId', 'unknownUnit'),
        );
      });
    });

    describe('discard', () => {
      it('discards with one compare-and-set and an audit event saying who, why and what', async () => {
        const screen = item({ assetTag: 'INV-7', itemType: 'screen' });
        await register(screen);
        const result = await discardBy(screen, {
          actorId: 'Karin.Koordinator@testkommun.se',
          reason: '  Broken  ',
        });
        const discarded: InventoryItem = {
          ...screen,
          status: 'discarded',
          discardedAt: NOW.toISOString(),
          discardedBy: COORDINATOR,
          discardReason: 'Broken',
          version: 2,
        };
        assert.deepEqual(result, { changed: true, item: discarded });
        assert.deepEqual(await store.getInventoryItem(screen.id), discarded);
        const [event, ...more] = await store.pendingAudit();
        assert.deepEqual(more, []);
        assert.deepEqual(event && { ...event, id: 'x' }, {
          id: 'x',
          at: NOW.toISOString(),
          type: 'inventory_discarded',
          actor: COORDINATOR,
          organisationId: ORG,
          reason: 'Broken',
          details: { itemId: screen.id, assetTag: 'INV-7', itemType: 'screen' },
        });
      });

      for (const [who, actorId] of [
        ["the unit's IT orderer", SOCIAL_ORDERER],
        ['the IT unit', IT_UNIT],
        ['a former IT coordinator', FORMER_COORDINATOR],
        ["another organisation's IT coordinator", NEIGHBOUR_COORDINATOR],
      ] as const) {
        it(`refuses ${who} (NotAnApprover) and changes nothing`, async () => {
          const screen = item();
          await register(screen);
          await assert.rejects(discardBy(screen, { actorId }), notAnApprover);
          await assert.rejects(discardBy(screen, { actorId, version: 9 }), notAnApprover);
          assert.deepEqual(await store.getInventoryItem(screen.id), screen);
          assert.deepEqual(await store.pendingAudit(), []);
        });
      }

      it('needs a reason of at most 2000 characters', async () => {
        const screen = item();
        await register(screen);
        await assert.rejects(discardBy(screen, { reason: '   ' }), invalidInput('reason', 'required'));
        await assert.rejects(
          discardBy(screen, { reason: 'x'.repeat(2001) }),
          invalidInput('reason', 'tooLong'),
        );
        assert.equal((await discardBy(screen, { reason: 'x'.repeat(2000) })).changed, true);
      });

      it('answers InvalidInput for an item it does not hold', async () => {
        await assert.rejects(discardBy(item({ id: 'no-such-item' })), invalidInput('itemId', 'unknownItem'));
      });

      it('changes nothing on a repeated click or a card of an earlier version', async () => {
        const screen = item({ version: 3 });
        await register(screen);
        const stale = await discardBy(screen, { version: 2 });
        assert.deepEqual(stale, { changed: false, item: screen, why: 'stale' });
        const first = await discardBy(screen);
        assert.equal(first.changed, true);
        const again = await discardBy(screen, { actorId: SECOND_COORDINATOR });
        assert.deepEqual(again, { changed: false, item: first.item, why: 'discarded' });
        assert.equal((await store.pendingAudit()).length, 1);
      });

      it('lets exactly one of two concurrent discards change the item; the other answers the discarded item', async () => {
        const screen = item();
        await register(screen);
        const results = await Promise.all([
          discardBy(screen, { reason: 'Broken' }),
          discardBy(screen, { actorId: SECOND_COORDINATOR, reason: 'Returned' }),
        ]);
        assert.equal(results.filter((r) => r.changed).length, 1);
        const stored = await store.getInventoryItem(screen.id);
        assert.equal(stored?.version, 2);
        for (const result of results) {
          assert.deepEqual(result.item, stored);
          if (!result.changed) assert.equal(result.why, 'discarded');
        }
        const events = await store.pendingAudit();
        assert.deepEqual(
          events.map((e) => [e.actor, e.reason]),
          [[stored?.discardedBy, stored?.discardReason]],
        );
      });
    });
  });
}

const dirs = new TempDirs();

describeInventoryService('a memory store', async () => new MemoryRequestStore());

describe('(lowdb)', () => {
  after(async () => {
    await dirs.removeAll();
  });

  describeInventoryService('a lowdb store in a temp dir', async () =>
    openLowRequestStore(await dirs.make(), { archiveIntervalMs: 0, now: () => NOW }),
  );
});
