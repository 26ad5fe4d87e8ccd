import assert from 'node:assert/strict';
import { pino } from 'pino';
import { MemoryRegisterStore } from '../../../data/memory/memoryRegisterStore.js';
import { MemoryRequestStore } from '../../../data/memory/memoryRequestStore.js';
import type { Register, SystemRecord } from '../../../data/model.js';
import type { WorkRequest } from '../../../data/requestModel.js';
import { GraphDirectory } from '../../../services/directory/graphDirectory.js';
import {
  FINDINGS_PER_KIND,
  HygieneCheck,
  monthsBefore,
  needsAttention,
  type HygieneSettings,
} from '../../../services/hygiene/index.js';
import { RegisterView } from '../../../services/search/registerView.js';
import { buildRequest, buildStage } from '../../data/fixtures/requestBuilder.js';
import { FakeGraphServer, FakeTokenCredential } from '../../../fakes/fakeGraphServer.js';
import { buildAssignment, buildSystem } from '../../../fakes/registerBuilder.js';
import { buildScenario, NOW, PEOPLE, SYSTEMS, TANUM } from '../../fixtures/registerScenario.js';

/**
 * The hygiene check of Tanum against the real GraphDirectory talking to the fake Graph server on 127.0.0.1. In the
 * scenario Tanum's current holders are Anna, Erik, Sara, Mali (system roles) and Lisa (IT coordinator); Erik's
 * account is disabled and Sara is deleted from the directory. Procapita and Treserva have owner and deputy; the
 * other four Tanum systems have nobody.
 */

const silent = pino({ level: 'silent' });
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();

function confirmed(system: SystemRecord, confirmedAt: string | undefined): SystemRecord {
  return confirmedAt === undefined ? system : { ...system, confirmedAt };
}

/** Tanum's systems with their confirmations: Procapita recently, Treserva 13 months ago, Lifecare exactly 12. */
function register(extra: Partial<Register> = {}): Register {
  const scenario = buildScenario(extra);
  const confirmations: Record<string, string> = {
    [SYSTEMS.procapita.id]: '2026-01-01T00:00:00.000Z',
    [SYSTEMS.treserva.id]: '2025-05-01T00:00:00.000Z',
    [SYSTEMS.lifecare.id]: '2025-06-01T10:00:00.000Z',
  };
  return { ...scenario, systems: scenario.systems.map((s) => confirmed(s, confirmations[s.id])) };
}

function tanumRequest(waitedDays: number, overrides: Partial<WorkRequest> = {}): WorkRequest {
  return buildRequest({
    organisationId: TANUM.id,
    systemId: SYSTEMS.procapita.id,
    requesterId: PEOPLE.annaBerg.id,
    createdAt: daysAgo(waitedDays),
    stages: [buildStage({ name: 'administrator', approverIds: [PEOPLE.erikLund.id] })],
    ...overrides,
  });
}

describe('HygieneCheck', () => {
  let graph: FakeGraphServer;

  beforeEach(async () => {
    graph = await FakeGraphServer.start();
    for (const person of Object.values(PEOPLE)) graph.addUser({ userPrincipalName: person.email });
    graph.setDisabled(PEOPLE.erikLund.email);
    graph.deleteUser(PEOPLE.saraEk.email);
  });

  afterEach(async () => {
    await graph.close();
  });

  async function build(
    options: { register?: Register; requests?: WorkRequest[]; settings?: HygieneSettings } = {},
  ): Promise<HygieneCheck> {
    const requestStore = new MemoryRequestStore();
    for (const request of options.requests ?? []) await requestStore.create(request);
    const directory = new GraphDirectory(
      { baseUrl: graph.baseUrl, timeoutMs: 2000, cacheTtlSeconds: 300 },
      { credential: new FakeTokenCredential(graph.token), now: () => NOW, sleep: async () => {} },
    );
    return new HygieneCheck(
      {
        view: new RegisterView(new MemoryRegisterStore(options.register ?? register())),
        directory,
        requestStore,
        now: () => NOW,
        logger: silent,
      },
      options.settings,
    );
  }

  describe('role holders in the directory', () => {
    it('names the disabled and the deleted holder, each with every role they hold, from one $batch', async () => {
      const report = await (await build()).check(TANUM.id);

      assert.equal(report.directoryChecked, true);
      assert.equal(report.holders.total, 2);
      assert.deepEqual(
        report.holders.items.map((f) => [
          f.person.name,
          f.status,
          f.roles.map((r) => `${r.role}:${r.system?.name ?? ''}`),
        ]),
        [
          ['Erik Lund', 'disabled', ['administrator:Procapita', 'deputy:Treserva']],
          ['Sara Ek', 'gone', ['deputy:Procapita', 'administrator:Treserva']],
        ],
      );
      // Anna, Erik, Sara, Mali and Lisa: two requests each, in one $batch; nothing asked outside it.
      assert.deepEqual(graph.batchSizes(), [10]);
      assert.deepEqual(
        graph.requests.filter((r) => !r.inBatch && r.path !== '/$batch'),
        [],
      );
    });

    it('checks organisation roles too, and asks nothing about ended roles', async () => {
      graph.deleteUser(PEOPLE.lisaStrand.email);
      const report = await (await build()).check(TANUM.id);

      const lisa = report.holders.items.find((f) => f.person.id === PEOPLE.lisaStrand.id);
      assert.deepEqual(lisa?.roles, [{ role: 'it_coordinator' }]);
      const asked = graph.requests.filter((r) => r.inBatch).map((r) => r.path);
      assert.ok(!asked.some((p) => p.includes(PEOPLE.perNystrom.email)), asked.join(', '));
    });

    it('keeps every $batch within Graph limit of 20 when an organisation has many holders', async () => {
      const extra = Array.from({ length: 25 }, (_, i) =>
        buildAssignment({
          role: 'it_unit',
          personId: `it${i}@tanum.example`,
          organisationId: TANUM.id,
          systemId: undefined,
        }),
      );
      const report = await (await build({ register: register({ roleAssignments: extra }) })).check(TANUM.id);

      // The 25 people unknown to the register and to Graph are gone; the count is exact, the list capped.
      assert.equal(report.holders.total, 27);
      assert.equal(report.holders.items.length, FINDINGS_PER_KIND);
      assert.ok(
        graph.batchSizes().every((size) => size <= 20),
        graph.batchSizes().join(','),
      );
      assert.equal(
        graph.batchSizes().reduce((a, b) => a + b, 0),
        60,
      );
    });

    it('says the directory could not be checked when Graph is down, and still lists the other findings', async () => {
      graph.failAll(500);
      const report = await (await build({ requests: [tanumRequest(9)] })).check(TANUM.id);

      assert.equal(report.directoryChecked, false);
      assert.equal(report.holders.total, 0);
      assert.equal(report.noOwner.total, 4);
      assert.equal(report.noDeputy.total, 4);
      assert.equal(report.overdue.total, 1);
      assert.equal(needsAttention(report), true);
    });
  });

  describe('gaps and confirmations', () => {
    it('lists the systems without owner and without deputy as the responsibility lists do', async () => {
      const report = await (await build()).check(TANUM.id);
      const names = ['Lifecare', 'Public 360', 'Visma Lön', 'Visma Personec'];
      assert.deepEqual(
        report.noOwner.items.map((r) => r.system.name),
        names,
      );
      assert.deepEqual(
        report.noDeputy.items.map((r) => r.system.name),
        names,
      );
    });

    it('names systems never confirmed first, then those confirmed more than 12 months ago, oldest first', async () => {
      const retired = buildSystem({
        id: 'tanum-kommun/gammal',
        organisationId: TANUM.id,
        name: 'Gammal',
        lifecycle: 'retired',
      });
      const report = await (await build({ register: register({ systems: [retired] }) })).check(TANUM.id);

      // Procapita (5 months) and Lifecare (exactly 12 months) are fine; the retired system is left out.
      assert.deepEqual(
        report.unconfirmed.items.map((f) => [f.system.name, f.confirmedAt]),
        [
          ['Public 360', undefined],
          ['Visma Lön', undefined],
          ['Visma Personec', undefined],
          ['Treserva', '2025-05-01T00:00:00.000Z'],
        ],
      );
    });

    it('names systems with no risk analysis first, then those older than 12 months, never a recent or retired one', async () => {
      const at = (id: string, riskAnalysisAt: string) => ({ id, riskAnalysisAt });
      const analyses = [
        at(SYSTEMS.procapita.id, '2026-02-01T00:00:00.000Z'),
        at(SYSTEMS.treserva.id, '2025-03-01T00:00:00.000Z'),
        at(SYSTEMS.lifecare.id, '2025-06-01T10:00:00.000Z'),
      ];
      const base = register({
        systems: [
          buildSystem({
            id: 'tanum-kommun/gammal',
            organisationId: TANUM.id,
            name: 'Gammal',
            lifecycle: 'retired',
          }),
        ],
      });
      const systems = base.systems.map((s) => {
        const found = analyses.find((a) => a.id === s.id);
        return found ? { ...s, riskAnalysisAt: found.riskAnalysisAt } : s;
      });
      const report = await (await build({ register: { ...base, systems } })).check(TANUM.id);

      // Procapita (4 months) and Lifecare (exactly 12 months) are fine; the retired system is left out.
      assert.deepEqual(
        report.riskAnalysis.items.map((f) => [f.system.name, f.riskAnalysisAt]),
        [
          ['Public 360', undefined],
          ['Visma Lön', undefined],
          ['Visma Personec', undefined],
          ['Treserva', '2025-03-01T00:00:00.000Z'],
        ],
      );
      assert.equal(report.riskAnalysis.total, 4);
    });

    it('takes the number of months from the settings', async () => {
      const check = await build({ settings: { unconfirmedMonths: 3, overdueDays: 5 } });
      const report = await check.check(TANUM.id);
      assert.deepEqual(
        report.unconfirmed.items.map((f) => f.system.name),
        ['Public 360', 'Visma Lön', 'Visma Personec', 'Treserva', 'Lifecare', 'Procapita'],
      );
    });

    it('counts calendar months back, the 31st falling on the shorter month end', () => {
      assert.equal(
        monthsBefore(new Date('2026-03-31T07:00:00Z'), 1).toISOString(),
        '2026-02-28T07:00:00.000Z',
      );
      assert.equal(
        monthsBefore(new Date('2026-06-01T10:00:00Z'), 12).toISOString(),
        '2025-06-01T10:00:00.000Z',
      );
    });
  });

  describe('overdue requests', () => {
    it('names open requests waiting more than 5 days, oldest first, and no closed or newer one', async () => {
      const old = tanumRequest(12, { id: 'r-old' });
      const overdue = tanumRequest(6, { id: 'r-overdue' });
      const fresh = tanumRequest(4, { id: 'r-fresh' });
      const closed = tanumRequest(30, { id: 'r-closed', status: 'done' });
      const report = await (await build({ requests: [overdue, fresh, closed, old] })).check(TANUM.id);

      assert.equal(report.overdue.total, 2);
      assert.deepEqual(
        report.overdue.items.map((r) => [r.requestId, r.waitingDays]),
        [
          ['r-old', 12],
          ['r-overdue', 6],
        ],
      );
    });

    it('takes the number of days from the settings', async () => {
      const check = await build({
        requests: [tanumRequest(6), tanumRequest(4)],
        settings: { unconfirmedMonths: 12, overdueDays: 3 },
      });
      assert.equal((await check.check(TANUM.id)).overdue.total, 2);
    });
  });

  describe('who may run it', () => {
    it('lets an IT coordinator of the organisation run it', async () => {
      const access = await (await build()).access(PEOPLE.lisaStrand.id, TANUM);
      assert.deepEqual(access, { allowed: true, organisation: TANUM });
    });

    it('refuses an IT orderer, naming the IT coordinators', async () => {
      const access = await (await build()).access(PEOPLE.annaBerg.id, TANUM);
      assert.equal(access.allowed, false);
      assert.deepEqual(access.allowed ? [] : access.registerKeepers.map((k) => k.name), ['Lisa Strand']);
    });

    it('refuses someone of no known organisation, with nobody to name', async () => {
      assert.deepEqual(await (await build()).access(undefined, undefined), {
        allowed: false,
        registerKeepers: [],
      });
    });
  });

  it('has nothing to report for a tidy organisation', async () => {
    const tidy = { id: 'tidy', name: 'Tidy', language: 'en' } as const;
    const system = buildSystem({
      id: 'tidy/app',
      organisationId: 'tidy',
      name: 'App',
      confirmedAt: daysAgo(10),
      riskAnalysisAt: daysAgo(100),
    });
    const roles = (['owner', 'administrator', 'deputy'] as const).map((role) =>
      buildAssignment({ role, personId: PEOPLE.annaBerg.id, organisationId: 'tidy', systemId: system.id }),
    );
    const check = await build({
      register: register({ organisations: [tidy], systems: [system], roleAssignments: roles }),
    });
    const report = await check.check('tidy');
    assert.equal(needsAttention(report), false, JSON.stringify(report));
  });

  it('refuses an unknown organisation', async () => {
    const check = await build();
    await assert.rejects(check.check('nowhere'), { name: 'AnsvarError', code: 'UnknownOrganisation' });
  });
});
