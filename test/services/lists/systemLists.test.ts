import assert from 'node:assert/strict';
import path from 'node:path';
import { pino } from 'pino';
import { MemoryRegisterStore } from '../../../data/memory/memoryRegisterStore.js';
import type { OrganisationRole, Register } from '../../../data/model.js';
import type { Answer, Asker, SystemListRow } from '../../../services/responsibility/answers.js';
import { loadSampleRegister } from '../../../services/register/importer.js';
import { ResponsibilityService } from '../../../services/responsibility/index.js';
import { RegisterView } from '../../../services/search/registerView.js';
import { pageOf, SYSTEM_LIST_PAGE_SIZE, systemListRows } from '../../../services/lists/index.js';
import { FakeDirectory } from '../../../fakes/fakeDirectory.js';
import { buildAssignment, buildSystem } from '../../../fakes/registerBuilder.js';
import {
  buildScenario,
  FJORDVIK,
  holds,
  NOW,
  PEOPLE,
  SYSTEMS,
  TANUM,
} from '../../fixtures/registerScenario.js';

/** Anna (Tanum) holds no list reader role in the scenario; tests give her one where they need it. */
const ANNA: Asker = { aadObjectId: 'aad-anna', tenantId: 'tenant-tanum', locale: 'sv-SE' };
const KARI: Asker = { aadObjectId: 'aad-kari', tenantId: 'tenant-fjordvik', locale: 'nn-NO' };
const NOBODY: Asker = { aadObjectId: 'aad-nobody', tenantId: 'tenant-elsewhere' };

const SOCIAL = 'tanum-kommun/socialforvaltningen';

function annaAs(role: OrganisationRole, overrides: object = {}) {
  return buildAssignment({
    role,
    personId: PEOPLE.annaBerg.id,
    organisationId: TANUM.id,
    systemId: undefined,
    ...overrides,
  });
}

function setup(register: Register) {
  const store = new MemoryRegisterStore(register);
  const directory = FakeDirectory.fromPeople(register.people);
  const service = new ResponsibilityService({
    store,
    directory,
    logger: pino({ level: 'silent' }),
    now: () => NOW,
  });
  return { service };
}

type ListAnswer = Extract<Answer, { kind: 'systemList' }>;
function listOf(answer: Answer): ListAnswer {
  assert.equal(answer.kind, 'systemList', JSON.stringify(answer).slice(0, 400));
  return answer as ListAnswer;
}
function pageRows(answer: Answer): SystemListRow[] {
  const list = listOf(answer);
  assert.equal(list.result.kind, 'page', JSON.stringify(list.result));
  return list.result.kind === 'page' ? list.result.page.rows : [];
}
const names = (rows: SystemListRow[]) => rows.map((r) => r.system.name);

describe('responsibility lists', () => {
  describe('who may', () => {
    for (const role of ['it_coordinator', 'it_unit', 'it_manager', 'security_officer'] as const) {
      it(`shows the list to the organisation's ${role}`, async () => {
        const { service } = setup(buildScenario({ roleAssignments: [annaAs(role)] }));
        const answer = listOf(await service.ask(ANNA, 'system utan ersättare'));
        assert.equal(answer.result.kind, 'page');
        assert.equal(answer.organisation?.id, TANUM.id);
        assert.equal(answer.language, 'sv');
      });
    }

    it('refuses an IT orderer and names the IT coordinators instead of showing any system', async () => {
      // Anna is an it_orderer of Tanum in the scenario; Lisa Strand is its IT coordinator.
      const { service } = setup(buildScenario());
      const answer = listOf(await service.ask(ANNA, 'lista system'));
      assert.deepEqual(answer.result, {
        kind: 'refused',
        registerKeepers: [{ id: PEOPLE.lisaStrand.id, name: 'Lisa Strand', email: PEOPLE.lisaStrand.email }],
      });
    });

    it("refuses the IT coordinator of another organisation: lists are of the asker's own", async () => {
      const { service } = setup(
        buildScenario({ roleAssignments: [annaAs('it_coordinator', { organisationId: FJORDVIK.id })] }),
      );
      assert.equal(listOf(await service.ask(ANNA, 'list systems')).result.kind, 'refused');
    });

    it('refuses a coordinator whose role has ended', async () => {
      const { service } = setup(
        buildScenario({
          roleAssignments: [annaAs('it_coordinator', { validTo: '2026-01-01T00:00:00.000Z' })],
        }),
      );
      assert.equal(listOf(await service.ask(ANNA, 'list systems')).result.kind, 'refused');
    });

    it('refuses someone of unknown organisation, with nobody to name', async () => {
      const { service } = setup(buildScenario());
      const answer = listOf(await service.ask(NOBODY, 'systems without an owner'));
      assert.deepEqual(answer.result, { kind: 'refused', registerKeepers: [] });
      assert.equal(answer.organisation, undefined);
    });

    it('checks again on a paging click', async () => {
      const { service } = setup(buildScenario());
      const answer = listOf(await service.systemListPage(ANNA, { list: 'all', page: 1 }, 'sv'));
      assert.equal(answer.result.kind, 'refused');
    });
  });

  describe('over the scenario register', () => {
    const coordinator = () => setup(buildScenario({ roleAssignments: [annaAs('it_coordinator')] }));

    it('lists every Tanum system, the unit first, then by name, with holder names and the ended administrator left out', async () => {
      const { service } = coordinator();
      const rows = pageRows(await service.ask(ANNA, 'lista system'));
      assert.deepEqual(names(rows), [
        'Procapita',
        'Lifecare',
        'Public 360',
        'Treserva',
        'Visma Lön',
        'Visma Personec',
      ]);
      assert.equal(rows[0]!.unit?.id, SOCIAL);
      assert.deepEqual(rows[0]!.owners, ['Anna Berg']);
      assert.deepEqual(rows[0]!.administrators, ['Erik Lund']);
      assert.deepEqual(rows[0]!.deputies, ['Sara Ek']);
    });

    it('lists the Tanum systems without a deputy', async () => {
      const { service } = coordinator();
      const rows = pageRows(await service.ask(ANNA, 'system utan ersättare'));
      assert.deepEqual(names(rows), ['Lifecare', 'Public 360', 'Visma Lön', 'Visma Personec']);
    });

    it('lists the systems without an owner, counting only current owners and leaving retired systems out', async () => {
      const retired = buildSystem({
        id: 'tanum-kommun/w3d3',
        organisationId: TANUM.id,
        name: 'W3D3',
        lifecycle: 'retired',
      });
      const { service } = setup(
        buildScenario({
          systems: [retired],
          roleAssignments: [
            annaAs('it_coordinator'),
            holds('owner', PEOPLE.saraEk, SYSTEMS.lifecare, { validTo: '2026-01-01T00:00:00.000Z' }),
            holds('owner', PEOPLE.saraEk, SYSTEMS.public360, { validFrom: '2026-09-01T00:00:00.000Z' }),
            holds('owner', PEOPLE.saraEk, SYSTEMS.vismaLon),
          ],
        }),
      );
      const rows = pageRows(await service.ask(ANNA, 'systems without an owner'));
      assert.deepEqual(names(rows), ['Lifecare', 'Public 360', 'Visma Personec']);
      const all = pageRows(await service.ask(ANNA, 'list systems'));
      assert.ok(names(all).includes('W3D3'), 'the full list keeps retired systems');
    });

    it('limits the list to a named unit, and reports a unit name that fits none', async () => {
      const { service } = coordinator();
      const unit = listOf(await service.ask(ANNA, 'lista system för enhet Socialförvaltningen'));
      assert.equal(unit.unit?.id, SOCIAL);
      assert.deepEqual(names(pageRows(unit)), ['Procapita']);
      const unknown = listOf(await service.ask(ANNA, 'lista system för enhet Gatukontoret'));
      assert.equal(unknown.unknownUnit, 'Gatukontoret');
      assert.equal(names(pageRows(unknown)).length, 6);
    });

    it("pages by unit id only within the asker's organisation", async () => {
      const { service } = coordinator();
      const own = listOf(await service.systemListPage(ANNA, { list: 'all', unitId: SOCIAL, page: 0 }, 'sv'));
      assert.deepEqual(names(pageRows(own)), ['Procapita']);
      const foreign = listOf(
        await service.systemListPage(
          ANNA,
          { list: 'all', unitId: 'fjordvik-kommune/oppvekst', page: 0 },
          'sv',
        ),
      );
      assert.equal(foreign.unit, undefined);
      assert.equal(foreign.unknownUnit, 'fjordvik-kommune/oppvekst');
    });

    it("answers a Fjordvik coordinator about Fjordvik's systems in Nynorsk", async () => {
      const { service } = setup(
        buildScenario({
          roleAssignments: [
            buildAssignment({
              role: 'it_coordinator',
              personId: PEOPLE.kariNordmann.id,
              organisationId: FJORDVIK.id,
              systemId: undefined,
            }),
          ],
        }),
      );
      const answer = listOf(await service.ask(KARI, 'system utan stedfortredar'));
      assert.equal(answer.language, 'nn');
      assert.deepEqual(names(pageRows(answer)), ['Acos Websak', 'Gerica', 'Procapita', 'Visma Flyt Skule']);
    });
  });

  describe('paging', () => {
    const manySystems = (count: number) =>
      Array.from({ length: count }, (_, i) =>
        buildSystem({
          id: `tanum-kommun/s${String(i).padStart(3, '0')}`,
          organisationId: TANUM.id,
          name: `System ${String(i).padStart(3, '0')}`,
          unitId: i % 2 === 0 ? SOCIAL : undefined,
        }),
      );

    it('cuts pages at the page size and clamps a page past the end to the last one', () => {
      const rows = Array.from({ length: 2 * SYSTEM_LIST_PAGE_SIZE + 1 }, (_, i) => ({
        i,
      })) as unknown as SystemListRow[];
      assert.deepEqual(
        [0, 1, 2].map((p) => pageOf(rows, p).rows.length),
        [SYSTEM_LIST_PAGE_SIZE, SYSTEM_LIST_PAGE_SIZE, 1],
      );
      assert.equal(pageOf(rows, 3).page, 2);
      assert.equal(pageOf(rows, -1).page, 0);
      assert.deepEqual(pageOf([], 4), { rows: [], page: 0, pageCount: 1, total: 0 });
      assert.equal(pageOf(rows.slice(0, SYSTEM_LIST_PAGE_SIZE), 0).pageCount, 1);
      assert.equal(pageOf(rows.slice(0, SYSTEM_LIST_PAGE_SIZE + 1), 0).pageCount, 2);
    });

    it('gives the second page the systems after the first, in the same order', async () => {
      const { service } = setup(
        buildScenario({ systems: manySystems(40), roleAssignments: [annaAs('it_coordinator')] }),
      );
      const first = listOf(await service.ask(ANNA, 'lista system'));
      const second = listOf(await service.systemListPage(ANNA, { list: 'all', page: 1 }, 'sv'));
      assert.ok(
        first.result.kind === 'page' && second.result.kind === 'page',
        'fails the behaviour the test names',
      );
      assert.equal(first.result.page.total, 46);
      assert.equal(first.result.page.pageCount, 2);
      const together = [...first.result.page.rows, ...second.result.page.rows];
      assert.equal(new Set(names(together)).size, 46);
      assert.equal(together[0]!.system.name, 'Procapita');
      assert.equal(together[20]!.unit?.id, SOCIAL);
      assert.equal(
        together[21]!.unit,
        undefined,
        'units first: Procapita and 20 even systems, then the rest',
      );
    });
  });

  describe('over the sample register', () => {
    it('finds the gaps data/sample/README.md lists: 9 systems without a deputy, 1 without an owner', async () => {
      const store = new MemoryRegisterStore();
      await loadSampleRegister(store, path.resolve('data/sample'));
      // The import starts every role now, so the gaps are read a minute later.
      const indexes = await new RegisterView(store).current();
      const all = (list: 'noDeputy' | 'noOwner') =>
        [...indexes.organisations.values()].flatMap((o) =>
          systemListRows(indexes, o, list, undefined, new Date(Date.now() + 60_000)).map(
            (r) => `${r.system.name} (${o.name})`,
          ),
        );
      const noDeputy = all('noDeputy');
      assert.equal(noDeputy.length, 9, noDeputy.join(', '));
      assert.deepEqual(noDeputy.sort(), [
        'Familia (Fjordvik kommune)',
        'Framsikt (Fjordvik kommune)',
        'Hypergene (Storsjö kommun)',
        'Infodoc (Nesøy kommune)',
        'Komtek (Nesøy kommune)',
        'Matrikkelen (Nesøy kommune)',
        'Skolskjutsplanering (Storsjö kommun)',
        'Visma Flyt Barnehage (Breidal kommune)',
        'Winlas (Storsjö kommun)',
      ]);
      assert.deepEqual(all('noOwner'), ['Mina meddelanden (Storsjö kommun)']);
    });

    it('lists the systems without a current administrator or super user: exactly those', async () => {
      const store = new MemoryRegisterStore();
      await loadSampleRegister(store, path.resolve('data/sample'));
      const indexes = await new RegisterView(store).current();
      const later = new Date(Date.now() + 60_000);
      for (const [list, role] of [
        ['noAdministrator', 'administrator'],
        ['noSuperUser', 'super_user'],
      ] as const) {
        const expected = indexes.register.systems
          .filter(
            (s) =>
              s.lifecycle !== 'retired' &&
              !indexes.register.roleAssignments.some(
                (a) =>
                  a.systemId === s.id &&
                  a.role === role &&
                  (a.validTo === undefined || a.validTo > later.toISOString()),
              ),
          )
          .map((s) => s.id)
          .sort();
        const listed = [...indexes.organisations.values()]
          .flatMap((o) => systemListRows(indexes, o, list, undefined, later).map((r) => r.system.id))
          .sort();
        // The sample register has systems without a super user, and an administrator for every system.
        if (list === 'noSuperUser') assert.ok(listed.length > 0, 'some system has no super user');
        assert.deepEqual(listed, expected, list);
      }
    });
  });
});
