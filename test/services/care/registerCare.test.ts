import assert from 'node:assert/strict';
import { MemoryRegisterStore } from '../../../data/memory/memoryRegisterStore.js';
import { isCurrent, type RoleAssignment, type SystemRecord } from '../../../data/model.js';
import type { AuditEvent } from '../../../data/requestModel.js';
import { isAnsvarError } from '../../../core/errors.js';
import { logger } from '../../../core/logger.js';
import type { FieldProblem } from '../../../services/requests/kinds.js';
import { RegisterCareService } from '../../../services/care/index.js';
import { ResponsibilityService } from '../../../services/responsibility/index.js';
import { RegisterView } from '../../../services/search/registerView.js';
import { FakeDirectory } from '../../../fakes/fakeDirectory.js';
import { buildAssignment, buildPerson, buildSystem } from '../../../fakes/registerBuilder.js';
import { buildScenario, holds, NOW, PEOPLE, SYSTEMS, TANUM } from '../../fixtures/registerScenario.js';

/** Lisa Strand is Tanum's IT coordinator; Anna Berg owns Procapita and Treserva; Kari Nordmann is in Fjordvik. */

const LISA = PEOPLE.lisaStrand.id;
const ANNA = PEOPLE.annaBerg.id;
const LATER = new Date('2026-07-01T10:00:00.000Z');

function setup(extra: Parameters<typeof buildScenario>[0] = {}) {
  const register = buildScenario(extra);
  const store = new MemoryRegisterStore(register);
  const view = new RegisterView(store);
  let clock = NOW;
  let seq = 0;
  const care = new RegisterCareService({ store, view, now: () => clock, newId: () => `new-${(seq += 1)}` });
  return {
    store,
    view,
    care,
    setNow: (at: Date) => (clock = at),
    register,
    async assignments(): Promise<RoleAssignment[]> {
      return (await store.snapshot()).roleAssignments;
    },
    async system(id: string): Promise<SystemRecord | undefined> {
      return (await store.snapshot()).systems.find((s) => s.id === id);
    },
    async audit(): Promise<AuditEvent[]> {
      return store.pendingAudit();
    },
  };
}

async function problems(promise: Promise<unknown>): Promise<FieldProblem[]> {
  let found: FieldProblem[] = [];
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(isAnsvarError(error, 'InvalidInput'), String(error));
    found = error.details as FieldProblem[];
    return true;
  });
  return found;
}

const refused = (error: unknown) => isAnsvarError(error, 'NotAnApprover');
const stale = (error: unknown) => isAnsvarError(error, 'RevisionConflict');

describe('RegisterCareService', () => {
  describe('who may', () => {
    it('refuses every change from someone without a list reader role, and writes nothing', async () => {
      const { care, store } = setup();
      await assert.rejects(care.addSystem(ANNA, { organisationId: TANUM.id, name: 'Ciceron' }, 0), refused);
      await assert.rejects(
        care.editSystem(ANNA, { systemId: SYSTEMS.procapita.id, supplier: 'X' }, 0),
        refused,
      );
      await assert.rejects(
        care.assignRole(ANNA, { role: 'deputy', personId: ANNA, systemId: SYSTEMS.treserva.id }, 0),
        refused,
      );
      await assert.rejects(care.handoverPlan(ANNA, ANNA, PEOPLE.erikLund.id), refused);
      assert.equal(await store.revision(), 0);
      assert.deepEqual(await store.pendingAudit(), []);
    });

    it('lets an IT coordinator care only for their own organisation', async () => {
      const { care } = setup();
      await assert.rejects(
        care.editSystem(LISA, { systemId: SYSTEMS.acos.id, supplier: 'Acos AS' }, 0),
        refused,
      );
      assert.deepEqual(
        (await care.careOrganisations(LISA)).map((o) => o.id),
        [TANUM.id],
      );
    });

    it('lets the IT unit, the IT manager and the security officer care, but not one whose role has ended', async () => {
      const people = ['it_unit', 'it_manager', 'security_officer'].map((role, i) =>
        buildPerson({ email: `p${i}@tanum.example`, organisationId: TANUM.id, name: role }),
      );
      const ended = buildPerson({ email: 'ended@tanum.example', organisationId: TANUM.id, name: 'Ended' });
      const { care } = setup({
        people: [...people, ended],
        roleAssignments: [
          ...(['it_unit', 'it_manager', 'security_officer'] as const).map((role, i) =>
            buildAssignment({ role, personId: people[i]!.id, organisationId: TANUM.id, systemId: undefined }),
          ),
          buildAssignment({
            role: 'it_coordinator',
            personId: ended.id,
            organisationId: TANUM.id,
            systemId: undefined,
            validTo: '2026-01-01T00:00:00.000Z',
          }),
        ],
      });
      for (const person of people) {
        assert.equal((await care.careOrganisations(person.id)).length, 1, person.name);
      }
      await assert.rejects(
        care.editSystem(ended.id, { systemId: SYSTEMS.treserva.id, supplier: 'X' }, 0),
        refused,
      );
    });
  });

  describe('systems', () => {
    it('adds a system with its id from the name, and one audit event', async () => {
      const { care, system, audit } = setup();
      const result = await care.addSystem(
        LISA,
        {
          organisationId: TANUM.id,
          name: ' Ciceron ',
          aliases: ['CIC', 'CIC'],
          unitId: 'tanum-kommun/socialforvaltningen',
          supplier: 'Formpipe',
          processesPersonalData: true,
        },
        0,
      );
      assert.equal(result.systemId, 'tanum-kommun/ciceron');
      assert.equal(result.revision, 1);
      assert.deepEqual(await system('tanum-kommun/ciceron'), {
        id: 'tanum-kommun/ciceron',
        organisationId: TANUM.id,
        name: 'Ciceron',
        aliases: ['CIC'],
        unitId: 'tanum-kommun/socialforvaltningen',
        supplier: 'Formpipe',
        lifecycle: 'active',
        processesPersonalData: true,
      });
      const [event] = await audit();
      assert.equal(event?.type, 'register_changed');
      assert.equal(event?.actor, LISA);
      assert.equal(event?.details?.change, 'added');
      assert.equal(event?.details?.name, 'Ciceron');
      assert.deepEqual(result.auditIds, [event?.id]);
    });

    it('refuses a name already in use, a unit of another organisation and an empty name, as field problems', async () => {
      const { care, store } = setup();
      assert.deepEqual(
        await problems(care.addSystem(LISA, { organisationId: TANUM.id, name: 'procapita' }, 0)),
        [{ field: 'name', problem: 'exists' }],
      );
      assert.deepEqual(
        await problems(
          care.addSystem(LISA, { organisationId: TANUM.id, name: 'New', unitId: 'fjordvik-kommune/x' }, 0),
        ),
        [{ field: 'unitId', problem: 'invalidChoice' }],
      );
      assert.deepEqual(await problems(care.addSystem(LISA, { organisationId: TANUM.id, name: '  ' }, 0)), [
        { field: 'name', problem: 'required' },
      ]);
      assert.equal(await store.revision(), 0);
    });

    it('edits aliases, supplier and unit with one audit event per changed field, before and after', async () => {
      const { care, system, audit } = setup();
      await care.editSystem(
        LISA,
        { systemId: SYSTEMS.procapita.id, aliases: ['PCA', 'Procapita VoO'], supplier: 'CGI', unitId: '' },
        0,
      );
      const after = await system(SYSTEMS.procapita.id);
      assert.deepEqual(after?.aliases, ['PCA', 'Procapita VoO']);
      assert.equal(after?.unitId, undefined);
      assert.equal(after?.supplier, 'CGI');
      assert.deepEqual(
        (await audit()).map((e) => e.details),
        [
          {
            entity: 'system',
            id: SYSTEMS.procapita.id,
            field: 'aliases',
            before: 'PCA',
            after: 'PCA; Procapita VoO',
          },
          {
            entity: 'system',
            id: SYSTEMS.procapita.id,
            field: 'unitId',
            before: 'tanum-kommun/socialforvaltningen',
            after: null,
          },
        ],
      );
    });

    it('lets only the current owner confirm the entry, and records when', async () => {
      const { care, system, audit } = setup();
      await assert.rejects(care.confirmSystem(LISA, { systemId: SYSTEMS.procapita.id }, 0), refused);
      await care.confirmSystem(ANNA, { systemId: SYSTEMS.procapita.id }, 0);
      assert.equal((await system(SYSTEMS.procapita.id))?.confirmedAt, NOW.toISOString());
      assert.deepEqual((await audit())[0]?.details, {
        entity: 'system',
        id: SYSTEMS.procapita.id,
        field: 'confirmedAt',
        before: null,
        after: NOW.toISOString(),
      });
    });

    it('records the risk-analysis date, supplier and personal data the owner corrects while confirming, each audited', async () => {
      const { care, system, audit } = setup();
      const before = (await system(SYSTEMS.procapita.id))!;
      await care.confirmSystem(
        ANNA,
        {
          systemId: SYSTEMS.procapita.id,
          supplier: 'Tietoevry',
          processesPersonalData: before.processesPersonalData,
          riskAnalysisAt: '2026-03-02',
        },
        0,
      );
      const after = await system(SYSTEMS.procapita.id);
      assert.equal(after?.riskAnalysisAt, '2026-03-02T00:00:00.000Z');
      assert.equal(after?.supplier, 'Tietoevry');
      assert.equal(after?.confirmedAt, NOW.toISOString());
      assert.deepEqual(
        (await audit()).map((e) => [e.details?.field, e.details?.after]),
        [
          ['confirmedAt', NOW.toISOString()],
          ['supplier', 'Tietoevry'],
          ['riskAnalysisAt', '2026-03-02T00:00:00.000Z'],
        ],
      );
    });

    it('refuses a risk-analysis date after today or not a date, and writes nothing', async () => {
      const { care, system } = setup();
      for (const riskAnalysisAt of ['2026-06-02', 'last spring']) {
        await assert.rejects(
          care.confirmSystem(ANNA, { systemId: SYSTEMS.procapita.id, riskAnalysisAt }, 0),
          (error: unknown) =>
            isAnsvarError(error, 'InvalidInput') && JSON.stringify(error.details).includes('riskAnalysisAt'),
        );
      }
      assert.equal((await system(SYSTEMS.procapita.id))?.confirmedAt, undefined);
    });
  });

  describe('roles', () => {
    it('assigns a system role from now, replacing the holders chosen, and keeps the old one as history', async () => {
      const { care, assignments, audit, setNow, store, view } = setup();
      const before = (await assignments()).find(
        (a) => a.role === 'owner' && a.systemId === SYSTEMS.procapita.id,
      )!;
      const result = await care.assignRole(
        LISA,
        {
          role: 'owner',
          personId: PEOPLE.maliHolm.email.toUpperCase(),
          systemId: SYSTEMS.procapita.id,
          endAssignmentIds: [before.id],
        },
        0,
      );
      const all = await assignments();
      const created = all.find((a) => a.id === result.assignmentId)!;
      assert.deepEqual(created, {
        id: result.assignmentId,
        organisationId: TANUM.id,
        role: 'owner',
        personId: PEOPLE.maliHolm.id,
        systemId: SYSTEMS.procapita.id,
        validFrom: NOW.toISOString(),
      });
      assert.equal(all.find((a) => a.id === before.id)?.validTo, NOW.toISOString(), 'ended, not deleted');
      assert.deepEqual(result.notify.sort(), [ANNA, PEOPLE.maliHolm.id].sort());
      assert.deepEqual(
        (await audit()).map((e) => `${e.details?.change} ${e.details?.personId}`),
        [`ended ${ANNA}`, `assigned ${PEOPLE.maliHolm.id}`],
      );

      // History: the owner on a day before the change is still Anna.
      setNow(LATER);
      const responsibility = new ResponsibilityService({
        store,
        view,
        directory: FakeDirectory.fromPeople(buildScenario().people),
        now: () => LATER,
        logger,
      });
      const asker = { aadObjectId: 'aad-erik' };
      const owners = async (text: string) => {
        const answer = await responsibility.ask(asker, text);
        assert.equal(answer.kind, 'system', text);
        return answer.kind === 'system'
          ? answer.holders.filter((h) => h.role === 'owner').map((h) => h.person.id)
          : [];
      };
      assert.deepEqual(await owners('who owned Procapita on 2026-05-01'), [ANNA]);
      assert.deepEqual(await owners('who owns Procapita'), [PEOPLE.maliHolm.id]);
    });

    it('refuses someone who already holds the role, an unknown person and an unknown system', async () => {
      const { care } = setup();
      assert.deepEqual(
        await problems(
          care.assignRole(
            LISA,
            { role: 'deputy', personId: PEOPLE.saraEk.id, systemId: SYSTEMS.procapita.id },
            0,
          ),
        ),
        [{ field: 'personId', problem: 'alreadyHolds' }],
      );
      assert.deepEqual(
        await problems(
          care.assignRole(LISA, { role: 'deputy', personId: 'nobody@x', systemId: SYSTEMS.procapita.id }, 0),
        ),
        [{ field: 'personId', problem: 'unknownPerson' }],
      );
      assert.deepEqual(
        await problems(
          care.assignRole(LISA, { role: 'deputy', personId: ANNA, systemId: 'tanum-kommun/none' }, 0),
        ),
        [{ field: 'systemId', problem: 'unknownSystem' }],
      );
      assert.deepEqual(
        await problems(
          care.assignRole(LISA, { role: 'it_orderer', personId: ANNA, organisationId: TANUM.id }, 0),
        ),
        [{ field: 'unitIds', problem: 'required' }],
      );
    });

    it('gives an IT orderer a new authorisation list by ending the old assignment', async () => {
      const unit = { id: 'tanum-kommun/skola', organisationId: TANUM.id, name: 'Skola' };
      const { care, assignments } = setup({ units: [unit] });
      await care.assignRole(
        LISA,
        {
          role: 'it_orderer',
          personId: ANNA,
          organisationId: TANUM.id,
          unitIds: ['tanum-kommun/socialforvaltningen', unit.id],
        },
        0,
      );
      const orderer = (await assignments()).filter((a) => a.role === 'it_orderer' && a.personId === ANNA);
      assert.equal(orderer.length, 2);
      assert.deepEqual(
        orderer.filter((a) => isCurrent(a, NOW)).map((a) => a.unitIds),
        [['tanum-kommun/socialforvaltningen', unit.id]],
      );
    });

    it('ends a role by setting validTo, never by deleting it', async () => {
      const { care, assignments, register } = setup();
      const deputy = register.roleAssignments.find(
        (a) => a.role === 'deputy' && a.systemId === SYSTEMS.procapita.id,
      )!;
      const result = await care.endRole(LISA, { assignmentId: deputy.id }, 0);
      const all = await assignments();
      assert.equal(all.length, register.roleAssignments.length);
      assert.equal(all.find((a) => a.id === deputy.id)?.validTo, NOW.toISOString());
      assert.deepEqual(result.notify, [PEOPLE.saraEk.id]);
      assert.deepEqual(await problems(care.endRole(LISA, { assignmentId: deputy.id }, 1)), [
        { field: 'assignmentId', problem: 'notCurrent' },
      ]);
    });

    it('refuses a confirmation from a card that showed an older revision, writing nothing', async () => {
      const { care, store } = setup();
      await care.editSystem(LISA, { systemId: SYSTEMS.treserva.id, supplier: 'Tieto' }, 0);
      await assert.rejects(
        care.assignRole(LISA, { role: 'deputy', personId: ANNA, systemId: SYSTEMS.lifecare.id }, 0),
        stale,
      );
      assert.equal(await store.revision(), 1);
      assert.equal((await store.pendingAudit()).length, 1);
    });
  });

  describe('handover', () => {
    /** Anna owns 30 systems besides her scenario roles. */
    function manyRoles() {
      const systems = Array.from({ length: 30 }, (_, i) =>
        buildSystem({
          id: `tanum-kommun/s${i}`,
          organisationId: TANUM.id,
          name: `System ${String(i).padStart(2, '0')}`,
        }),
      );
      return {
        systems,
        roleAssignments: systems.map((s) => holds('owner', PEOPLE.annaBerg, s)),
      };
    }

    it('lists every current role of the person in the organisations the actor cares for', async () => {
      const { care } = setup({
        roleAssignments: [
          holds('owner', PEOPLE.annaBerg, SYSTEMS.acos),
          holds('deputy', PEOPLE.annaBerg, SYSTEMS.lifecare, { validTo: '2026-01-01T00:00:00.000Z' }),
        ],
      });
      const plan = await care.handoverPlan(LISA, ANNA, PEOPLE.erikLund.id);
      assert.deepEqual(
        plan.roles.map((r) => `${r.assignment.role} ${r.system?.name ?? r.organisation.name}`),
        ['owner Procapita', 'owner Treserva', 'it_orderer Tanums kommun'],
        'not the Fjordvik role, nor the ended one',
      );
      assert.deepEqual(
        plan.roles[2]?.units.map((u) => u.name),
        ['Socialförvaltningen'],
      );
      assert.equal(plan.revision, 0);
    });

    it('hands 30 roles and more over in one register change, with one handover event and one per role', async () => {
      const { care, store, assignments, audit } = setup(manyRoles());
      const plan = await care.handoverPlan(LISA, ANNA, PEOPLE.erikLund.id);
      assert.equal(plan.roles.length, 33);
      const result = await care.handover(LISA, { fromId: ANNA, toId: PEOPLE.erikLund.id }, plan.revision);
      assert.equal(result.revision, 1, 'one apply');
      assert.equal(await store.revision(), 1);
      assert.equal(result.moved, 33);
      assert.deepEqual(result.notify, [ANNA, PEOPLE.erikLund.id]);

      const all = await assignments();
      assert.equal(all.filter((a) => a.personId === ANNA && isCurrent(a, NOW)).length, 0);
      const erik = all.filter((a) => a.personId === PEOPLE.erikLund.id && isCurrent(a, NOW));
      assert.equal(erik.filter((a) => a.role === 'owner').length, 32);
      assert.deepEqual(erik.find((a) => a.role === 'it_orderer')?.unitIds, [
        'tanum-kommun/socialforvaltningen',
      ]);
      const events = await audit();
      assert.equal(events.filter((e) => e.type === 'handover').length, 1);
      assert.equal(events.filter((e) => e.type === 'register_changed').length, 33);
      assert.deepEqual(events.find((e) => e.type === 'handover')?.details, {
        from: ANNA,
        to: PEOPLE.erikLund.id,
        roles: 33,
        kept: 0,
      });
    });

    it('keeps the roles left unchosen with the old holder and does not duplicate a role the new holder has', async () => {
      const { care, register, assignments } = setup();
      const treserva = register.roleAssignments.find(
        (a) => a.role === 'owner' && a.systemId === SYSTEMS.treserva.id,
      )!;
      // Erik already is deputy of Treserva; Sara takes over Anna's roles but keeps none of Treserva.
      const result = await care.handover(
        LISA,
        { fromId: ANNA, toId: PEOPLE.saraEk.id, keepAssignmentIds: [treserva.id] },
        0,
      );
      assert.equal(result.moved, 2);
      const current = (await assignments()).filter((a) => isCurrent(a, NOW));
      assert.ok(
        current.some((a) => a.id === treserva.id),
        'kept',
      );
      assert.ok(
        current.some(
          (a) => a.personId === PEOPLE.saraEk.id && a.role === 'owner' && a.systemId === SYSTEMS.procapita.id,
        ),
        "current.some( (a) => a.personId === PEOPLE.saraEk.id && a.role === 'owner' &&...",
      );
    });

    it('refuses a handover to the same person, and one confirmed on a stale card', async () => {
      const { care } = setup();
      assert.deepEqual(await problems(care.handoverPlan(LISA, ANNA, ANNA.toUpperCase())), [
        { field: 'toId', problem: 'samePerson' },
      ]);
      await care.editSystem(LISA, { systemId: SYSTEMS.treserva.id, supplier: 'Tieto' }, 0);
      await assert.rejects(care.handover(LISA, { fromId: ANNA, toId: PEOPLE.erikLund.id }, 0), stale);
    });

    it('refuses a handover with every role left unchosen', async () => {
      const { care } = setup();
      const plan = await care.handoverPlan(LISA, ANNA, PEOPLE.erikLund.id);
      assert.deepEqual(
        await problems(
          care.handover(
            LISA,
            {
              fromId: ANNA,
              toId: PEOPLE.erikLund.id,
              keepAssignmentIds: plan.roles.map((r) => r.assignment.id),
            },
            0,
          ),
        ),
        [{ field: 'roles', problem: 'required' }],
      );
    });
  });
});
