import assert from 'node:assert/strict';
import { pino } from 'pino';
import { MemoryRegisterStore } from '../../../data/memory/memoryRegisterStore.js';
import { MemoryRequestStore } from '../../../data/memory/memoryRequestStore.js';
import type { OrganisationRole } from '../../../data/model.js';
import type { WorkRequest } from '../../../data/requestModel.js';
import type { Asker } from '../../../services/responsibility/answers.js';
import {
  OPEN_REQUESTS_PAGE_SIZE,
  waitingSince,
  type OpenRequestRow,
  type OpenRequestsAnswer,
} from '../../../services/lists/openRequests.js';
import { ResponsibilityService } from '../../../services/responsibility/index.js';
import { buildRequest, buildStage } from '../../data/fixtures/requestBuilder.js';
import { FakeDirectory } from '../../../fakes/fakeDirectory.js';
import { buildAssignment } from '../../../fakes/registerBuilder.js';
import { buildScenario, FJORDVIK, NOW, PEOPLE, SYSTEMS, TANUM } from '../../fixtures/registerScenario.js';

/** Anna is an IT orderer of Tanum in the scenario; tests make her a list reader where they need one. */
const ANNA: Asker = { aadObjectId: 'aad-anna', tenantId: 'tenant-tanum', locale: 'sv-SE' };
const NOBODY: Asker = { aadObjectId: 'aad-nobody', tenantId: 'tenant-elsewhere' };

const daysAgo = (days: number, hours = 0) =>
  new Date(NOW.getTime() - days * 86_400_000 - hours * 3_600_000).toISOString();

function annaAs(role: OrganisationRole) {
  return buildAssignment({
    role,
    personId: PEOPLE.annaBerg.id,
    organisationId: TANUM.id,
    systemId: undefined,
  });
}

/** An access request of Tanum for Procapita, made by Erik, waiting at its first step for Sara. */
function tanumRequest(overrides: Partial<WorkRequest> = {}): WorkRequest {
  return buildRequest({
    organisationId: TANUM.id,
    systemId: SYSTEMS.procapita.id,
    requesterId: PEOPLE.erikLund.id,
    subjectId: PEOPLE.erikLund.id,
    stages: [
      buildStage({ name: 'administrator', approverIds: [PEOPLE.saraEk.id] }),
      buildStage({ name: 'carry out', type: 'work', approverIds: [PEOPLE.saraEk.id, PEOPLE.maliHolm.id] }),
    ],
    ...overrides,
  });
}

async function setup(requests: WorkRequest[], readerRole: OrganisationRole | 'none' = 'it_coordinator') {
  const register = buildScenario({ roleAssignments: readerRole === 'none' ? [] : [annaAs(readerRole)] });
  const requestStore = new MemoryRequestStore();
  for (const request of requests) await requestStore.create(request);
  const service = new ResponsibilityService({
    store: new MemoryRegisterStore(register),
    directory: FakeDirectory.fromPeople(register.people),
    requestStore,
    logger: pino({ level: 'silent' }),
    now: () => NOW,
  });
  return { service };
}

function rowsOf(answer: OpenRequestsAnswer): OpenRequestRow[] {
  assert.equal(answer.result.kind, 'page', JSON.stringify(answer.result));
  return answer.result.kind === 'page' ? answer.result.page.rows : [];
}

describe('open requests', () => {
  it("lists the organisation's open requests only, oldest first, with whom and since when they wait", async () => {
    const old = tanumRequest({ createdAt: daysAgo(9) });
    const recent = tanumRequest({ createdAt: daysAgo(1), urgent: true, fields: { change: 'stop' } });
    const done = tanumRequest({ createdAt: daysAgo(20), status: 'done' });
    const elsewhere = tanumRequest({ createdAt: daysAgo(30), organisationId: FJORDVIK.id });
    const { service } = await setup([recent, done, old, elsewhere]);
    const rows = rowsOf(await service.openRequests(ANNA, { page: 0 }, 'sv'));
    assert.deepEqual(
      rows.map((r) => r.requestId),
      [old.id, recent.id],
    );
    assert.deepEqual(rows[0], {
      requestId: old.id,
      kind: 'access',
      change: 'new',
      about: 'Procapita',
      requesterName: 'Erik Lund',
      urgent: false,
      stepName: 'administrator',
      stepType: 'decision',
      waitingFor: ['Sara Ek'],
      waitingSince: old.createdAt,
      waitingDays: 9,
    });
    assert.equal(rows[1]?.change, 'stop');
    assert.equal(rows[1]?.urgent, true);
  });

  it('counts the wait from the latest decision of the earlier steps, and names the people of the current one', async () => {
    const request = tanumRequest({ createdAt: daysAgo(10), currentStage: 1 });
    request.stages[0]!.decision = { outcome: 'approved', by: PEOPLE.saraEk.id, at: daysAgo(3) };
    assert.equal(waitingSince(request), daysAgo(3));
    const { service } = await setup([request]);
    const [row] = rowsOf(await service.openRequests(ANNA, { page: 0 }, 'sv'));
    assert.equal(row?.waitingDays, 3);
    assert.equal(row?.stepType, 'work');
    assert.deepEqual(row?.waitingFor, ['Sara Ek', 'Mali Holm']);
  });

  it('keeps only the requests whose current step has waited more than N days', async () => {
    const stalled = tanumRequest({ createdAt: daysAgo(6) });
    const justOver = tanumRequest({ createdAt: daysAgo(5, 1) });
    const exactly = tanumRequest({ createdAt: daysAgo(5) });
    const movedOn = tanumRequest({ createdAt: daysAgo(12), currentStage: 1 });
    movedOn.stages[0]!.decision = { outcome: 'approved', by: PEOPLE.saraEk.id, at: daysAgo(2) };
    const { service } = await setup([stalled, justOver, exactly, movedOn]);
    const answer = await service.openRequests(ANNA, { olderThanDays: 5, page: 0 }, 'sv');
    assert.equal(answer.olderThanDays, 5);
    assert.deepEqual(
      rowsOf(answer).map((r) => r.requestId),
      [stalled.id, justOver.id],
    );
  });

  it('groups by kind, the kind with the oldest request first, each oldest first', async () => {
    const access1 = tanumRequest({ createdAt: daysAgo(4) });
    const equipment1 = tanumRequest({
      kind: 'equipment',
      createdAt: daysAgo(8),
      fields: { itemType: 'projector', quantity: 1 },
    });
    delete equipment1.systemId;
    const access2 = tanumRequest({ createdAt: daysAgo(7) });
    const equipment2 = tanumRequest({
      kind: 'equipment',
      createdAt: daysAgo(2),
      fields: { itemType: 'screen', model: 'Dell P2425', quantity: 2 },
    });
    delete equipment2.systemId;
    const { service } = await setup([access1, equipment1, access2, equipment2]);
    const rows = rowsOf(await service.openRequests(ANNA, { page: 0 }, 'sv'));
    assert.deepEqual(
      rows.map((r) => `${r.kind} ${r.about} ${r.waitingDays}`),
      ['equipment projector 8', 'equipment 2 × Dell P2425 2', 'access Procapita 7', 'access Procapita 4'],
    );
  });

  it('pages the list, and a page past the end gives the last page', async () => {
    const requests = Array.from({ length: 2 * OPEN_REQUESTS_PAGE_SIZE + 5 }, (_, i) =>
      tanumRequest({ createdAt: daysAgo(100 - i) }),
    );
    const { service } = await setup(requests);
    const second = await service.openRequests(ANNA, { page: 1 }, 'sv');
    assert.equal(second.result.kind, 'page');
    if (second.result.kind !== 'page') return;
    assert.equal(second.result.page.pageCount, 3);
    assert.equal(second.result.page.total, requests.length);
    assert.equal(second.result.page.rows[0]?.requestId, requests[OPEN_REQUESTS_PAGE_SIZE]!.id);
    const beyond = await service.openRequests(ANNA, { page: 99 }, 'sv');
    assert.equal(beyond.result.kind === 'page' ? beyond.result.page.rows.length : -1, 5);
  });

  for (const role of ['it_unit', 'security_officer'] as const) {
    it(`shows the list to the organisation's ${role} too`, async () => {
      const { service } = await setup([tanumRequest()], role);
      assert.equal(rowsOf(await service.openRequests(ANNA, { page: 0 }, 'sv')).length, 1);
    });
  }

  it('refuses an IT orderer and names the IT coordinators, showing no request', async () => {
    const { service } = await setup([tanumRequest()], 'none');
    const answer = await service.openRequests(ANNA, { page: 0 }, 'sv');
    assert.equal(answer.organisation?.id, TANUM.id);
    assert.deepEqual(answer.result, {
      kind: 'refused',
      registerKeepers: [{ id: PEOPLE.lisaStrand.id, name: 'Lisa Strand', email: PEOPLE.lisaStrand.email }],
    });
  });

  it('refuses someone of unknown organisation without naming anyone', async () => {
    const { service } = await setup([tanumRequest()]);
    const answer = await service.openRequests(NOBODY, { page: 0 }, 'en');
    assert.equal(answer.organisation, undefined);
    assert.deepEqual(answer.result, { kind: 'refused', registerKeepers: [] });
  });

  it('leaves the question to the bot: as a message it is not a register answer', async () => {
    const { service } = await setup([]);
    const answer = await service.ask(ANNA, 'ärenden som väntat mer än 3 dagar');
    assert.equal(answer.kind, 'help');
  });
});
