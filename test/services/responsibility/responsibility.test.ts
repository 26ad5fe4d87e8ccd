import assert from 'node:assert/strict';
import { pino } from 'pino';
import sinon from 'sinon';
import { MemoryRegisterStore } from '../../../data/memory/memoryRegisterStore.js';
import type {
  Organisation,
  OrganisationRole,
  Person,
  Register,
  RoleAssignment,
} from '../../../data/model.js';
import type { Answer, Asker } from '../../../services/responsibility/answers.js';
import { isAnsvarError } from '../../../core/errors.js';
import { ResponsibilityService } from '../../../services/responsibility/index.js';
import { FakeDirectory } from '../../../fakes/fakeDirectory.js';
import { buildAssignment, buildSystem, buildUnit } from '../../../fakes/registerBuilder.js';
import {
  buildScenario,
  FJORDVIK,
  holds,
  NESOY,
  NOW,
  PEOPLE,
  SYSTEMS,
  TANUM,
} from '../../fixtures/registerScenario.js';

const ANNA: Asker = { aadObjectId: 'aad-anna', tenantId: 'tenant-tanum', locale: 'sv-SE' };
const KARI: Asker = { aadObjectId: 'aad-kari', tenantId: 'tenant-fjordvik', locale: 'nn-NO' };
const TANUM_STRANGER: Asker = { aadObjectId: 'aad-stranger', tenantId: 'TENANT-TANUM' };
const NOBODY: Asker = { aadObjectId: 'aad-nobody', tenantId: 'tenant-elsewhere' };

function setup(register: Register = buildScenario()) {
  const store = new MemoryRegisterStore(register);
  const directory = FakeDirectory.fromPeople(register.people);
  const logger = pino({ level: 'silent' });
  const service = new ResponsibilityService({ store, directory, logger, now: () => NOW });
  return { store, directory, logger, service };
}

type Kind<K extends Answer['kind']> = Extract<Answer, { kind: K }>;
function expectKind<K extends Answer['kind']>(answer: Answer, kind: K): Kind<K> {
  assert.equal(answer.kind, kind, JSON.stringify(answer).slice(0, 500));
  return answer as Kind<K>;
}
const holderSummary = (answer: Kind<'system'>) =>
  answer.holders.map((h) => `${h.role}:${h.person.name}:${h.status}`);

describe('ResponsibilityService', () => {
  describe('who owns a system', () => {
    it("answers the owner of the asker's own system, in the question's language, with the organisation's unit", async () => {
      const { service } = setup();
      const answer = expectKind(await service.ask(ANNA, 'vem äger Procapita'), 'system');
      assert.equal(answer.system.id, SYSTEMS.procapita.id);
      assert.equal(answer.organisation.id, TANUM.id);
      assert.equal(answer.language, 'sv');
      assert.equal(answer.focus, 'owner');
      assert.deepEqual(holderSummary(answer), [
        'owner:Anna Berg:available',
        'administrator:Erik Lund:available',
        'deputy:Sara Ek:available',
        'super_user:Mali Holm:available',
      ]);
      assert.equal(answer.holders[0]!.roleLabel, 'systemägare');
      assert.equal(answer.unit?.name, 'Socialförvaltningen');
      assert.equal(answer.otherOrganisation, false);
      assert.deepEqual(answer.unavailable, []);
    });

    it('lists every current holder for a bare name, ordered owner, administrator, deputy, super user, without ended roles', async () => {
      const { service } = setup();
      const answer = expectKind(await service.ask(ANNA, 'Procapita'), 'system');
      assert.equal(answer.focus, 'all');
      assert.deepEqual(holderSummary(answer), [
        'owner:Anna Berg:available',
        'administrator:Erik Lund:available',
        'deputy:Sara Ek:available',
        'super_user:Mali Holm:available',
      ]);
      assert.ok(
        !answer.holders.some((h) => h.person.id === PEOPLE.perNystrom.id),
        '!answer.holders.some((h) => h.person.id === PEOPLE.perNystrom.id)',
      );
    });

    it('shows a role that has not started yet only from its first day', async () => {
      const later = holds('super_user', PEOPLE.lisaStrand, SYSTEMS.procapita, {
        validFrom: '2026-07-01T00:00:00.000Z',
      });
      const { service } = setup(buildScenario({ roleAssignments: [later] }));
      const answer = expectKind(await service.ask(ANNA, 'superanvändare i Procapita'), 'system');
      assert.deepEqual(
        holderSummary(answer).filter((h) => h.startsWith('super_user:')),
        ['super_user:Mali Holm:available'],
      );
    });

    it("prefers the asker's organisation when two organisations run a system of that name", async () => {
      const { service } = setup();
      const forAnna = expectKind(await service.ask(ANNA, 'vem äger Procapita'), 'system');
      const forKari = expectKind(await service.ask(KARI, 'kven eig Procapita'), 'system');
      assert.equal(forAnna.system.id, SYSTEMS.procapita.id);
      assert.equal(forKari.system.id, SYSTEMS.fjordvikProcapita.id);
      assert.equal(forKari.language, 'nn');
      assert.equal(forKari.holders[0]!.roleLabel, 'fagsystemeigar');
    });

    it("finds a system of another organisation when the asker's has none by that name, and flags it", async () => {
      const { service } = setup();
      const answer = expectKind(await service.ask(ANNA, 'who owns Acos?'), 'system');
      assert.equal(answer.system.id, SYSTEMS.acos.id);
      assert.equal(answer.otherOrganisation, true);
      assert.equal(answer.language, 'en');
      assert.equal(answer.holders[0]!.roleLabel, 'system owner');
    });

    it("prefers another organisation's exact name to loose candidates in the asker's own", async () => {
      const { service } = setup();
      const answer = expectKind(await service.ask(ANNA, 'Visma Flyt Skole'), 'system');
      assert.equal(answer.system.id, SYSTEMS.vismaFlytSkole.id);
      assert.equal(answer.otherOrganisation, true);
    });

    const hinted: { text: string; expected: string }[] = [
      { text: 'vem äger Procapita i Fjordvik', expected: SYSTEMS.fjordvikProcapita.id },
      { text: 'vem äger Procapita i Fjordvik kommune', expected: SYSTEMS.fjordvikProcapita.id },
      { text: 'hvem eier Gerica for Nesøy kommune', expected: SYSTEMS.nesoyGerica.id },
      { text: 'who owns Gerica in Nesoy', expected: SYSTEMS.nesoyGerica.id },
      { text: 'kven eig Procapita i Tanum', expected: SYSTEMS.procapita.id },
    ];
    for (const { text, expected } of hinted) {
      it(`searches only the organisation named in "${text}"`, async () => {
        const { service } = setup();
        const asker = expected === SYSTEMS.procapita.id ? KARI : ANNA;
        const answer = expectKind(await service.ask(asker, text), 'system');
        assert.equal(answer.system.id, expected);
        assert.equal(answer.otherOrganisation, true);
      });
    }

    it('keeps "i …" as part of the name when it names no organisation', async () => {
      const stod = buildSystem({
        id: 'tanum-kommun/stod-i-skolan',
        organisationId: TANUM.id,
        name: 'Stöd i skolan',
      });
      const { service } = setup(buildScenario({ systems: [stod] }));
      const answer = expectKind(await service.ask(ANNA, 'vem äger Stöd i skolan'), 'system');
      assert.equal(answer.system.id, stod.id);
    });

    it('resolves a typo within the asker organisation', async () => {
      const { service } = setup();
      const answer = expectKind(await service.ask(ANNA, 'vem äger Procapitta'), 'system');
      assert.equal(answer.system.id, SYSTEMS.procapita.id);
    });

    it('offers the candidates when a name fits several systems of the organisation', async () => {
      const { service } = setup();
      const answer = expectKind(await service.ask(ANNA, 'vem är systemansvarig för Visma'), 'choose');
      assert.equal(answer.query, 'Visma');
      assert.deepEqual(
        new Set(answer.candidates.map((c) => c.system.id)),
        new Set([SYSTEMS.vismaLon.id, SYSTEMS.vismaPersonec.id]),
      );
      assert.ok(
        answer.candidates.every((c) => c.organisation.id === TANUM.id),
        'answer.candidates.every((c) => c.organisation.id === TANUM.id)',
      );
    });

    it('offers both organisations to an asker nobody knows when both run the system', async () => {
      const { service } = setup();
      const answer = expectKind(await service.ask(NOBODY, 'Gerica'), 'choose');
      assert.deepEqual(
        new Set(answer.candidates.map((c) => `${c.organisation.id}|${c.system.id}`)),
        new Set([`${FJORDVIK.id}|${SYSTEMS.fjordvikGerica.id}`, `${NESOY.id}|${SYSTEMS.nesoyGerica.id}`]),
      );
    });

    it('answers an asker nobody knows, naming the organisation without calling it another one', async () => {
      const { service } = setup();
      const answer = expectKind(await service.ask(NOBODY, 'who owns Acos'), 'system');
      assert.equal(answer.organisation.id, FJORDVIK.id);
      assert.equal(answer.otherOrganisation, false);
    });

    it('places an asker outside the register in the organisation of their tenant', async () => {
      const { service } = setup();
      const answer = expectKind(await service.ask(TANUM_STRANGER, 'Procapita'), 'system');
      assert.equal(answer.system.id, SYSTEMS.procapita.id);
      assert.equal(answer.otherOrganisation, false);
      assert.equal(answer.language, 'sv');
    });

    it('says nothing matched, with close suggestions and the IT coordinators who keep the register', async () => {
      const { service } = setup();
      const answer = expectKind(await service.ask(ANNA, 'vem äger Procapsa'), 'noMatch');
      assert.equal(answer.query, 'Procapsa');
      assert.equal(answer.organisation?.id, TANUM.id);
      assert.equal(answer.suggestions[0]?.system.id, SYSTEMS.procapita.id);
      assert.deepEqual(
        answer.registerKeepers.map((p) => p.id),
        [PEOPLE.lisaStrand.id],
      );
    });

    it('finds a system added to the store after the first question', async () => {
      const { store, service } = setup();
      expectKind(await service.ask(ANNA, 'vem äger Ciceron'), 'noMatch');
      const ciceron = buildSystem({ id: 'tanum-kommun/ciceron', organisationId: TANUM.id, name: 'Ciceron' });
      await store.apply(
        { systems: [ciceron], roleAssignments: [holds('owner', PEOPLE.saraEk, ciceron)] },
        await store.revision(),
      );
      const answer = expectKind(await service.ask(ANNA, 'vem äger Ciceron'), 'system');
      assert.deepEqual(holderSummary(answer), ['owner:Sara Ek:available']);
    });
  });

  describe('focus', () => {
    const cases: { text: string; focus: string }[] = [
      { text: 'vem kan ge mig behörighet till Procapita', focus: 'access' },
      { text: 'vem är ersättare för Procapita', focus: 'deputy' },
      { text: 'super users of Procapita', focus: 'super_user' },
      { text: 'support för Procapita', focus: 'supplier' },
    ];
    for (const { text, focus } of cases) {
      it(`answers "${text}" with focus ${focus} and every current holder, for the card to order`, async () => {
        const { service } = setup();
        const answer = expectKind(await service.ask(ANNA, text), 'system');
        assert.equal(answer.focus, focus);
        assert.deepEqual(
          answer.holders.map((h) => h.role),
          ['owner', 'administrator', 'deputy', 'super_user'],
        );
      });
    }
  });

  describe('holders who cannot act now', () => {
    it('points from an administrator out of office to the deputy', async () => {
      const { directory, service } = setup();
      directory.setOutOfOffice(PEOPLE.erikLund.email, '2026-06-10T00:00:00.000Z');
      const answer = expectKind(await service.ask(ANNA, 'vem är systemansvarig för Procapita'), 'system');
      const administrator = answer.holders.find((h) => h.role === 'administrator')!;
      assert.equal(administrator.status, 'outOfOffice');
      assert.equal(administrator.outOfOfficeUntil, '2026-06-10T00:00:00.000Z');
      assert.equal(answer.unavailable.length, 1);
      assert.equal(answer.unavailable[0]!.holder.person.id, PEOPLE.erikLund.id);
      assert.deepEqual(
        answer.unavailable[0]!.turnTo.map((h) => `${h.role}:${h.person.id}`),
        [`deputy:${PEOPLE.saraEk.id}`],
      );
    });

    it('points from a deputy who is away to the administrator', async () => {
      const { directory, service } = setup();
      directory.setOutOfOffice(PEOPLE.saraEk.email);
      const answer = expectKind(await service.ask(ANNA, 'vem är ersättare för Procapita'), 'system');
      assert.deepEqual(
        answer.unavailable[0]!.turnTo.map((h) => h.person.id),
        [PEOPLE.erikLund.id],
      );
    });

    it('flags a disabled account and one gone from the directory', async () => {
      const { directory, service } = setup();
      directory.disable(PEOPLE.erikLund.email).remove(PEOPLE.saraEk.email);
      const answer = expectKind(await service.ask(ANNA, 'Procapita'), 'system');
      assert.deepEqual(holderSummary(answer), [
        'owner:Anna Berg:available',
        'administrator:Erik Lund:disabled',
        'deputy:Sara Ek:notFound',
        'super_user:Mali Holm:available',
      ]);
      const administrator = answer.unavailable.find((u) => u.holder.role === 'administrator');
      assert.deepEqual(
        administrator?.turnTo.map((h) => h.person.id),
        [PEOPLE.annaBerg.id],
      );
    });

    it('asks the directory once for all holders', async () => {
      const { directory, service } = setup();
      await service.ask(ANNA, 'Procapita');
      assert.equal(directory.calls.statusOf, 1);
      assert.deepEqual(
        new Set(directory.statusRequests[0]),
        new Set([PEOPLE.annaBerg.email, PEOPLE.erikLund.email, PEOPLE.saraEk.email, PEOPLE.maliHolm.email]),
      );
    });

    it('still answers without status flags when the directory is unreachable, and logs a warning', async () => {
      const { directory, logger, service } = setup();
      const warn = sinon.spy(logger, 'warn');
      directory.setUnavailable();
      const answer = expectKind(await service.ask(TANUM_STRANGER, 'Procapita'), 'system');
      assert.equal(answer.holders.length, 4);
      assert.ok(
        answer.holders.every((h) => h.status === 'available'),
        "answer.holders.every((h) => h.status === 'available')",
      );
      assert.deepEqual(answer.unavailable, []);
      assert.ok(warn.called, 'warn.called');
    });

    it('passes other directory failures on', async () => {
      const { directory, service } = setup();
      sinon.stub(directory, 'statusOf').rejects(new Error('bug'));
      await assert.rejects(service.ask(ANNA, 'Procapita'), /bug/);
    });
  });

  describe('roles of a person', () => {
    it("lists the asker's own current roles, organisation roles with their units", async () => {
      const { service } = setup();
      const answer = expectKind(await service.ask(ANNA, 'vad äger jag'), 'personRoles');
      assert.equal(answer.self, true);
      assert.equal(answer.person.id, PEOPLE.annaBerg.id);
      assert.deepEqual(
        answer.roles.map((r) => `${r.role}:${r.system?.name ?? '-'}:${r.roleLabel}`),
        ['owner:Procapita:systemägare', 'owner:Treserva:systemägare', 'it_orderer:-:IT-beställare'],
      );
      assert.deepEqual(
        answer.roles[2]!.units?.map((u) => u.name),
        ['Socialförvaltningen'],
      );
    });

    it('lists the roles of a person named in the question', async () => {
      const { service } = setup();
      const answer = expectKind(await service.ask(ANNA, 'vad äger Erik Lund'), 'personRoles');
      assert.equal(answer.self, false);
      assert.deepEqual(
        answer.roles.map((r) => `${r.role}:${r.system?.id}`),
        [`administrator:${SYSTEMS.procapita.id}`, `deputy:${SYSTEMS.treserva.id}`],
      );
    });

    it('leaves out ended roles', async () => {
      const { service } = setup();
      const answer = expectKind(await service.ask(ANNA, 'what does Per Nyström own?'), 'personRoles');
      assert.deepEqual(answer.roles, []);
    });

    it('offers the people a name fits when it fits several', async () => {
      const { service } = setup();
      const answer = expectKind(await service.ask(KARI, 'kva eig Nordmann'), 'unknownPerson');
      assert.equal(answer.query, 'Nordmann');
      assert.deepEqual(
        new Set(answer.suggestions.map((p) => p.id)),
        new Set([PEOPLE.kariNordmann.id, PEOPLE.olaNordmann.id]),
      );
    });

    it('says it does not know an asker who is in neither register nor directory', async () => {
      const { service } = setup();
      const answer = expectKind(await service.ask(NOBODY, 'my roles'), 'unknownPerson');
      assert.deepEqual(answer.suggestions, []);
    });

    it('gives an asker known only to the directory an empty list of roles', async () => {
      const { directory, service } = setup();
      directory.add({ id: 'aad-new', upn: 'new.person@tanum.example', displayName: 'New Person' });
      const answer = expectKind(await service.ask({ aadObjectId: 'aad-new' }, 'mina roller'), 'personRoles');
      assert.equal(answer.person.name, 'New Person');
      assert.deepEqual(answer.roles, []);
    });

    it('looks a person up by id for a card button, and rejects an unknown id', async () => {
      const { service } = setup();
      const answer = expectKind(await service.rolesOf(KARI, PEOPLE.kariNordmann.id, 'nn'), 'personRoles');
      assert.equal(answer.self, true);
      assert.deepEqual(
        answer.roles.map((r) => r.roleLabel),
        ['fagsystemeigar', 'fagsystemeigar'],
      );
      await assert.rejects(service.rolesOf(KARI, 'nobody@nowhere', 'nn'), (e) =>
        isAnsvarError(e, 'UnknownPerson'),
      );
    });
  });

  describe('organisation roles', () => {
    const KULTUR = buildUnit({
      id: 'tanum-kommun/kultur-och-fritidsforvaltningen',
      organisationId: TANUM.id,
      name: 'Kultur- och fritidsförvaltningen',
    });
    const SOCIAL_ID = 'tanum-kommun/socialforvaltningen';
    const holdsFor = (
      role: OrganisationRole,
      who: Person,
      organisation: Organisation,
      overrides: Partial<RoleAssignment> = {},
    ) =>
      buildAssignment({
        role,
        personId: who.id,
        organisationId: organisation.id,
        systemId: undefined,
        ...overrides,
      });
    /** The scenario plus more orderers (Sara Ek on two rows), a data protection officer and an ended coordinator. */
    const withOrganisationRoles = () =>
      buildScenario({
        units: [KULTUR],
        roleAssignments: [
          holdsFor('it_orderer', PEOPLE.erikLund, TANUM, { unitIds: [KULTUR.id] }),
          holdsFor('it_orderer', PEOPLE.saraEk, TANUM, { unitIds: [SOCIAL_ID] }),
          holdsFor('it_orderer', PEOPLE.saraEk, TANUM, { unitIds: [KULTUR.id] }),
          holdsFor('data_protection_officer', PEOPLE.ingridVik, FJORDVIK),
          holdsFor('it_coordinator', PEOPLE.perNystrom, TANUM, { validTo: '2025-01-01T00:00:00.000Z' }),
        ],
      });
    const holderNames = (answer: Kind<'organisationRole'>) => answer.holders.map((h) => h.person.name);

    it("names the asker's organisation's IT coordinators in its words, leaving out ended roles", async () => {
      const { service } = setup(withOrganisationRoles());
      const answer = expectKind(await service.ask(ANNA, 'vem är IT-samordnare?'), 'organisationRole');
      assert.equal(answer.role, 'it_coordinator');
      assert.equal(answer.organisation?.id, TANUM.id);
      assert.equal(answer.language, 'sv');
      assert.equal(answer.roleLabel, 'IT-samordnare');
      assert.deepEqual(holderNames(answer), ['Lisa Strand']);
      assert.deepEqual(answer.registerKeepers, []);
    });

    it("answers a Nynorsk asker about their own organisation's personvernombod", async () => {
      const { service } = setup(withOrganisationRoles());
      const answer = expectKind(await service.ask(KARI, 'kven er personvernombod'), 'organisationRole');
      assert.equal(answer.organisation?.id, FJORDVIK.id);
      assert.equal(answer.roleLabel, 'personvernombod');
      assert.deepEqual(holderNames(answer), ['Ingrid Vik']);
    });

    it('answers for the organisation the question names', async () => {
      const { service } = setup(withOrganisationRoles());
      const answer = expectKind(
        await service.ask(ANNA, 'who is the data protection officer in Fjordvik'),
        'organisationRole',
      );
      assert.equal(answer.organisation?.id, FJORDVIK.id);
      assert.equal(answer.language, 'en');
      assert.equal(answer.roleLabel, 'data protection officer');
      assert.deepEqual(holderNames(answer), ['Ingrid Vik']);
    });

    it('lists every IT orderer once, with all the units of their authorisation list, when no unit is named', async () => {
      const { service } = setup(withOrganisationRoles());
      const answer = expectKind(await service.ask(ANNA, 'vem är IT-beställare'), 'organisationRole');
      assert.equal(answer.unit, undefined);
      assert.deepEqual(
        answer.holders.map((h) => `${h.person.name}: ${h.units?.map((u) => u.name).join(', ')}`),
        [
          'Anna Berg: Socialförvaltningen',
          'Erik Lund: Kultur- och fritidsförvaltningen',
          'Sara Ek: Socialförvaltningen, Kultur- och fritidsförvaltningen',
        ],
      );
    });

    const unitQuestions: { text: string; unitId: string; holders: string[] }[] = [
      {
        text: 'vem är IT-beställare för Socialförvaltningen?',
        unitId: SOCIAL_ID,
        holders: ['Anna Berg', 'Sara Ek'],
      },
      {
        text: 'vem är IT-beställare för socialforvaltningen',
        unitId: SOCIAL_ID,
        holders: ['Anna Berg', 'Sara Ek'],
      },
      { text: 'who may order for unit kultur', unitId: KULTUR.id, holders: ['Erik Lund', 'Sara Ek'] },
      {
        text: 'vem kan beställa utrustning för Kultur- och fritidsförvaltningen',
        unitId: KULTUR.id,
        holders: ['Erik Lund', 'Sara Ek'],
      },
    ];
    for (const { text, unitId, holders } of unitQuestions) {
      it(`answers "${text}" with only the orderers authorised for that unit`, async () => {
        const { service } = setup(withOrganisationRoles());
        const answer = expectKind(await service.ask(ANNA, text), 'organisationRole');
        assert.equal(answer.role, 'it_orderer');
        assert.equal(answer.unit?.id, unitId);
        assert.deepEqual(holderNames(answer), holders);
      });
    }

    it('looks for the unit in the organisation named after it', async () => {
      const { service } = setup(withOrganisationRoles());
      const answer = expectKind(
        await service.ask(KARI, 'vem är IT-beställare för Socialförvaltningen i Tanum'),
        'organisationRole',
      );
      assert.equal(answer.organisation?.id, TANUM.id);
      assert.equal(answer.unit?.id, SOCIAL_ID);
    });

    it('says which unit it could not find and lists all orderers', async () => {
      const { service } = setup(withOrganisationRoles());
      const answer = expectKind(
        await service.ask(ANNA, 'vem är IT-beställare för Ankeborg'),
        'organisationRole',
      );
      assert.equal(answer.unit, undefined);
      assert.equal(answer.unknownUnit, 'Ankeborg');
      assert.deepEqual(holderNames(answer), ['Anna Berg', 'Erik Lund', 'Sara Ek']);
    });

    it('says nobody holds the role and names the IT coordinators who keep the register', async () => {
      const { service } = setup(withOrganisationRoles());
      const answer = expectKind(await service.ask(ANNA, 'vem är dataskyddsombud?'), 'organisationRole');
      assert.deepEqual(answer.holders, []);
      assert.deepEqual(
        answer.registerKeepers.map((p) => p.id),
        [PEOPLE.lisaStrand.id],
      );
    });

    it('flags holders who are away or disabled, asking the directory once for all of them', async () => {
      const { directory, service } = setup(withOrganisationRoles());
      directory
        .setOutOfOffice(PEOPLE.erikLund.email, '2026-06-10T00:00:00.000Z')
        .disable(PEOPLE.saraEk.email);
      const answer = expectKind(await service.ask(ANNA, 'vem är IT-beställare'), 'organisationRole');
      assert.deepEqual(
        answer.holders.map((h) => `${h.person.name}:${h.status}:${h.outOfOfficeUntil ?? '-'}`),
        ['Anna Berg:available:-', 'Erik Lund:outOfOffice:2026-06-10T00:00:00.000Z', 'Sara Ek:disabled:-'],
      );
      assert.equal(directory.calls.statusOf, 1);
    });

    it('asks an asker of unknown organisation which organisation they mean, listing them', async () => {
      const { service } = setup(withOrganisationRoles());
      const answer = expectKind(
        await service.ask(NOBODY, 'who is the data protection officer'),
        'organisationRole',
      );
      assert.equal(answer.organisation, undefined);
      assert.deepEqual(answer.holders, []);
      assert.deepEqual(
        answer.organisations.map((o) => o.name),
        ['Fjordvik kommune', 'Nesøy kommune', 'Tanums kommun'],
      );
    });
  });

  describe('by id, greetings and language', () => {
    it('answers about a system by id, and rejects an unknown id', async () => {
      const { service } = setup();
      const answer = expectKind(
        await service.systemAnswer(KARI, SYSTEMS.procapita.id, 'all', 'nb'),
        'system',
      );
      assert.equal(answer.otherOrganisation, true);
      assert.equal(answer.language, 'nb');
      assert.equal(answer.holders[0]!.roleLabel, 'systemeier');
      await assert.rejects(service.systemAnswer(KARI, 'nope/nope', 'all', 'nb'), (e) =>
        isAnsvarError(e, 'UnknownSystem'),
      );
    });

    it('greets a known asker with help and an unknown one with a welcome', async () => {
      const { service } = setup();
      expectKind(await service.ask(ANNA, 'hej'), 'help');
      const welcome = expectKind(await service.ask(TANUM_STRANGER, 'hej'), 'welcome');
      assert.equal(welcome.organisation?.id, TANUM.id);
    });

    it('answers what it does not understand with help', async () => {
      const { service } = setup();
      const answer = expectKind(
        await service.ask(ANNA, 'what is the weather like in Stockholm today'),
        'help',
      );
      assert.equal(answer.organisation?.id, TANUM.id);
    });

    const languages: { asker: Asker; text: string; expected: string }[] = [
      { asker: { ...KARI, locale: 'en-US' }, text: 'Procapita', expected: 'en' },
      { asker: { ...KARI, locale: undefined }, text: 'Procapita', expected: 'nn' },
      { asker: { ...KARI, locale: 'sv-SE' }, text: 'hvem eier Procapita', expected: 'nb' },
      { asker: { ...ANNA, locale: undefined }, text: 'mine roller', expected: 'nb' },
      { asker: { ...KARI, locale: undefined }, text: 'mine roller', expected: 'nn' },
    ];
    for (const { asker, text, expected } of languages) {
      it(`answers "${text}" from ${asker.aadObjectId} with locale ${asker.locale ?? 'none'} in ${expected}`, async () => {
        const { service } = setup();
        assert.equal((await service.ask(asker, text)).language, expected);
      });
    }
  });
});
