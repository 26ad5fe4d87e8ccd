import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MemoryAuditLog } from '../../../data/memory/memoryAuditLog.js';
import { MemoryRegisterStore } from '../../../data/memory/memoryRegisterStore.js';
import { MemoryRequestStore } from '../../../data/memory/memoryRequestStore.js';
import type { AuditEvent, WorkRequest } from '../../../data/requestModel.js';
import type { ReviewCampaign } from '../../../data/reviewModel.js';
import { MemoryReviewStore } from '../../../data/memory/memoryReviewStore.js';
import { openLowReviewStore } from '../../../data/lowdb/lowReviewStore.js';
import type { ReviewStore } from '../../../data/reviewStore.js';
import { PgReviewStore } from '../../../data/postgres/pgReviewStore.js';
import { MemoryTimerStore } from '../../../data/memory/memoryTimerStore.js';
import { isAnsvarError, type ErrorCode } from '../../../core/errors.js';
import { logger } from '../../../core/logger.js';
import {
  grantedAccesses,
  mergeEntries,
  REVIEW_DUE_KIND,
  REVIEW_START_KIND,
  ReviewService,
} from '../../../services/reviews/reviewService.js';
import { buildRequest } from '../../data/fixtures/requestBuilder.js';
import { buildAppServices } from '../../fixtures/appServices.js';
import { createTestDatabase, type TestDatabase } from '../../fixtures/postgres.js';
import { buildScenario, NOW, PEOPLE, SYSTEMS } from '../../fixtures/registerScenario.js';

/**
 * The access-review campaign on the scenario's Procapita (Tanum): owner Anna, administrator Erik, deputy Sara,
 * IT coordinator Lisa; Mali holds no role that lets her start or decide. Removals go through the real request
 * engine on an in-memory request store.
 */

const ANNA = PEOPLE.annaBerg.id;
const ERIK = PEOPLE.erikLund.id;
const SARA = PEOPLE.saraEk.id;
const LISA = PEOPLE.lisaStrand.id;
const MALI = PEOPLE.maliHolm.id;
const PROCAPITA = SYSTEMS.procapita.id;

const rejectsWith = (code: ErrorCode) => (error: unknown) => isAnsvarError(error, code);

function setup() {
  let now = NOW;
  const store = new MemoryRegisterStore(buildScenario());
  const requestStore = new MemoryRequestStore();
  const services = buildAppServices({ store, requestStore, now: () => now });
  const reviewStore = new MemoryReviewStore();
  const timers = new MemoryTimerStore();
  const audit: AuditEvent[] = [];
  const reviews = new ReviewService({
    store: reviewStore,
    view: services.view,
    engine: services.requests,
    audit: {
      recordAudit: async (events) => {
        audit.push(...events);
      },
    },
    timers,
    granted: async () => [
      { personId: MALI, role: 'Handläggare' },
      { personId: PEOPLE.perNystrom.id, role: 'Läsbehörighet' },
    ],
    now: () => now,
    newId: randomUUID,
    logger,
  });
  return {
    reviews,
    reviewStore,
    requestStore,
    timers,
    audit,
    setNow: (at: Date) => {
      now = at;
    },
  };
}

describe('ReviewService (services/reviews)', () => {
  describe('starting a campaign', () => {
    it('lets the owner or an IT coordinator start one, nobody else', async () => {
      const { reviews } = setup();
      await assert.rejects(
        reviews.start({ actorId: MALI, systemId: PROCAPITA }),
        rejectsWith('NotAnApprover'),
      );
      await assert.rejects(
        reviews.start({ actorId: ERIK, systemId: PROCAPITA }),
        rejectsWith('NotAnApprover'),
      );
      const { campaign, created } = await reviews.start({ actorId: LISA, systemId: PROCAPITA });
      assert.equal(created, true);
      assert.equal(campaign.startedBy, LISA);
      assert.equal(campaign.status, 'open');
      assert.deepEqual(campaign.reviewerIds.sort(), [ERIK, SARA].sort());
    });

    it('lists the accesses granted through Ansvar with the imported list, one entry per person and role', async () => {
      const { reviews } = setup();
      await reviews.importAccessList({
        systemId: PROCAPITA,
        organisationId: SYSTEMS.procapita.organisationId,
        importedAt: NOW.toISOString(),
        source: 'procapita-users.csv',
        rows: [
          { personId: MALI.toUpperCase(), role: 'handläggare' },
          { personId: SARA, role: 'Administratör' },
        ],
      });
      const { campaign } = await reviews.start({ actorId: ANNA, systemId: PROCAPITA });
      assert.deepEqual(
        campaign.entries.map((e) => [e.personId, e.role, e.sources.join('+')]),
        [
          [MALI, 'Handläggare', 'ansvar+imported'],
          [PEOPLE.perNystrom.id, 'Läsbehörighet', 'ansvar'],
          [SARA, 'Administratör', 'imported'],
        ],
      );
    });

    it('makes one campaign of two starts at the same moment', async () => {
      const { reviews, reviewStore, timers, audit } = setup();
      const [a, b] = await Promise.all([
        reviews.start({ actorId: ANNA, systemId: PROCAPITA }),
        reviews.start({ actorId: LISA, systemId: PROCAPITA }),
      ]);
      assert.equal(a.campaign.id, b.campaign.id);
      assert.deepEqual([a.created, b.created].sort(), [false, true]);
      assert.equal((await reviewStore.list({ systemId: PROCAPITA })).length, 1);
      assert.equal((await timers.group(`review:${a.campaign.id}`)).length, 1);
      assert.equal(audit.filter((e) => e.type === 'review_started').length, 1);
    });

    it('keeps one campaign per system at a time, plans its due time and audits the start', async () => {
      const { reviews, timers, audit } = setup();
      const first = await reviews.start({ actorId: ANNA, systemId: PROCAPITA, yearly: true });
      const again = await reviews.start({ actorId: LISA, systemId: PROCAPITA });
      assert.equal(again.created, false);
      assert.equal(again.campaign.id, first.campaign.id);
      const [due] = await timers.group(`review:${first.campaign.id}`);
      assert.equal(due?.kind, REVIEW_DUE_KIND);
      assert.equal(due?.dueAt, new Date(NOW.getTime() + 30 * 86_400_000).toISOString());
      assert.deepEqual(
        audit.map((e) => [e.type, e.actor, e.systemId, e.details?.entries]),
        [['review_started', ANNA, PROCAPITA, 2]],
      );
    });
  });

  describe('deciding', () => {
    it('removes what the administrator chose, with the reason, as stop requests; keeps all the rest', async () => {
      const { reviews, requestStore, audit, timers } = setup();
      const { campaign } = await reviews.start({ actorId: ANNA, systemId: PROCAPITA, yearly: true });
      const decided = await reviews.decide({
        actorId: ERIK.toUpperCase(),
        campaignId: campaign.id,
        version: campaign.version,
        removals: [{ personId: MALI, role: 'Handläggare', reason: '  Har bytt tjänst  ' }],
      });
      assert.equal(decided.status, 'done');
      assert.equal(decided.decision?.by, ERIK);
      assert.deepEqual(
        decided.decision?.items.map((i) => [i.personId, i.outcome, i.reason]),
        [
          [MALI, 'remove', 'Har bytt tjänst'],
          [PEOPLE.perNystrom.id, 'keep', undefined],
        ],
      );
      const stopId = decided.decision?.items[0]?.stopRequestId;
      assert.ok(stopId, 'the removal names its stop request');
      const stop = await requestStore.get(stopId);
      assert.equal(stop?.subjectId, MALI);
      assert.equal(stop?.requesterId, ERIK);
      assert.equal(stop?.systemId, PROCAPITA);
      assert.equal(stop?.fields.change, 'stop');
      assert.equal(stop?.fields.justification, 'Har bytt tjänst');
      const removal = audit.find((e) => e.type === 'review_decided' && e.onBehalfOf === MALI);
      assert.equal(removal?.reason, 'Har bytt tjänst');
      assert.equal(removal?.actor, ERIK);
      const summary = audit.find((e) => e.type === 'review_decided' && e.onBehalfOf === undefined);
      assert.deepEqual([summary?.details?.kept, summary?.details?.removed], [1, 1]);
      const [next] = await timers.group(`review-start:${PROCAPITA}`);
      assert.equal(next?.kind, REVIEW_START_KIND);
      assert.equal(next?.dueAt, '2027-06-01T10:00:00.000Z');
    });

    it('decides once: a repeated click is AlreadyDecided and makes no second stop request', async () => {
      const { reviews, requestStore } = setup();
      const { campaign } = await reviews.start({ actorId: ANNA, systemId: PROCAPITA });
      const removals = [{ personId: MALI, role: 'Handläggare', reason: 'Slutat' }];
      await reviews.decide({ actorId: ERIK, campaignId: campaign.id, version: 0, removals });
      await assert.rejects(
        reviews.decide({ actorId: SARA, campaignId: campaign.id, version: 0, removals }),
        rejectsWith('AlreadyDecided'),
      );
      const stops = (await requestStore.list({ personId: MALI })).filter((r) => r.fields.change === 'stop');
      assert.equal(stops.length, 1);
    });

    it('refuses a removal without a reason and writes nothing', async () => {
      const { reviews, requestStore, reviewStore } = setup();
      const { campaign } = await reviews.start({ actorId: ANNA, systemId: PROCAPITA });
      await assert.rejects(
        reviews.decide({
          actorId: ERIK,
          campaignId: campaign.id,
          version: 0,
          removals: [{ personId: MALI, role: 'Handläggare', reason: '   ' }],
        }),
        (error: unknown) =>
          isAnsvarError(error, 'InvalidInput') &&
          JSON.stringify(error.details) ===
            JSON.stringify([{ field: `reason:${MALI}:Handläggare`, problem: 'required' }]),
      );
      assert.equal((await reviewStore.get(campaign.id))?.status, 'open');
      assert.equal((await requestStore.list({ personId: MALI })).length, 0);
    });

    it('lets only the administrator or deputy decide before the due time; the owner only after it', async () => {
      const { reviews, setNow } = setup();
      const { campaign } = await reviews.start({ actorId: LISA, systemId: PROCAPITA });
      for (const actorId of [MALI, LISA, ANNA])
        await assert.rejects(
          reviews.decide({ actorId, campaignId: campaign.id, version: 0, removals: [] }),
          rejectsWith('NotAnApprover'),
        );
      setNow(new Date(Date.parse(campaign.dueAt) + 1000));
      const decided = await reviews.decide({
        actorId: ANNA,
        campaignId: campaign.id,
        version: 0,
        removals: [],
      });
      assert.equal(decided.decision?.by, ANNA);
      assert.deepEqual(
        decided.decision?.items.map((i) => i.outcome),
        ['keep', 'keep'],
      );
    });

    it('refuses a card of an older version (RevisionConflict)', async () => {
      const { reviews } = setup();
      const { campaign } = await reviews.start({ actorId: LISA, systemId: PROCAPITA });
      await reviews.markOverdue(campaign.id);
      await assert.rejects(
        reviews.decide({ actorId: ERIK, campaignId: campaign.id, version: 0, removals: [] }),
        rejectsWith('RevisionConflict'),
      );
    });
  });

  it('after a crash between the decision and its effects, recover makes the stop requests and audit once', async () => {
    const { reviews, reviewStore, requestStore, audit } = setup();
    const { campaign } = await reviews.start({ actorId: LISA, systemId: PROCAPITA });
    // The process stopped right after the campaign was written: no audit, no stop request yet.
    await reviewStore.update(
      {
        ...campaign,
        status: 'done',
        decision: {
          by: ERIK,
          at: NOW.toISOString(),
          items: [
            {
              personId: MALI,
              role: 'Handläggare',
              outcome: 'remove',
              reason: 'Slutat',
              stopRequestId: 'stop-1',
            },
            { personId: PEOPLE.perNystrom.id, role: 'Läsbehörighet', outcome: 'keep' },
          ],
        },
      },
      campaign.version,
    );
    audit.length = 0;
    assert.equal(await reviews.recover(), 1);
    assert.equal(await reviews.recover(), 1);
    assert.equal((await requestStore.get('stop-1'))?.subjectId, MALI);
    assert.equal((await requestStore.list({ personId: MALI })).length, 1, 'one stop request after two runs');
    const ids = audit.filter((e) => e.type === 'review_decided').map((e) => e.id);
    assert.equal(ids.length, 4, 'two events per run');
    assert.equal(new Set(ids).size, 2, 'the same two ids each time, so the audit log keeps them once');
  });

  describe('no answer by the due time', () => {
    it('removes nothing, names the owners once and audits it', async () => {
      const { reviews, requestStore, audit } = setup();
      const { campaign } = await reviews.start({ actorId: LISA, systemId: PROCAPITA });
      const overdue = await reviews.markOverdue(campaign.id);
      assert.equal(overdue?.status, 'overdue');
      assert.deepEqual(overdue?.ownerIds, [ANNA]);
      assert.equal(await reviews.markOverdue(campaign.id), undefined, 'a second run does nothing');
      assert.equal((await requestStore.list({})).length, 0, 'nothing removed');
      assert.deepEqual(
        audit.filter((e) => e.type === 'review_overdue').map((e) => e.details?.owners),
        [ANNA],
      );
    });

    it('leaves a decided campaign alone', async () => {
      const { reviews } = setup();
      const { campaign } = await reviews.start({ actorId: LISA, systemId: PROCAPITA });
      await reviews.decide({ actorId: ERIK, campaignId: campaign.id, version: 0, removals: [] });
      assert.equal(await reviews.markOverdue(campaign.id), undefined);
      assert.equal((await reviews.get(campaign.id))?.status, 'done');
    });
  });

  it('shows the progress to the list readers of the organisation only', async () => {
    const { reviews } = setup();
    const { campaign } = await reviews.start({ actorId: LISA, systemId: PROCAPITA });
    await reviews.decide({
      actorId: SARA,
      campaignId: campaign.id,
      version: 0,
      removals: [{ personId: MALI, role: 'Handläggare', reason: 'Slutat' }],
    });
    const rows = await reviews.progress(LISA, SYSTEMS.procapita.organisationId);
    assert.deepEqual(
      rows.map((r) => [r.system?.name, r.campaign.status, r.kept, r.removed]),
      [['Procapita', 'done', 1, 1]],
    );
    await assert.rejects(
      reviews.progress(ERIK, SYSTEMS.procapita.organisationId),
      rejectsWith('NotAnApprover'),
    );
  });
});

describe('mergeEntries and grantedAccesses', () => {
  it('merges one entry per person and role, case-insensitively, sorted', () => {
    assert.deepEqual(
      mergeEntries([{ personId: 'B@x', role: 'Läs' }], {
        systemId: 's',
        organisationId: 'o',
        importedAt: NOW.toISOString(),
        source: 'f.csv',
        rows: [
          { personId: 'b@x', role: 'läs' },
          { personId: 'a@x', role: 'Skriv' },
        ],
      }),
      [
        { personId: 'a@x', role: 'Skriv', sources: ['imported'] },
        { personId: 'b@x', role: 'Läs', sources: ['ansvar', 'imported'] },
      ],
    );
  });

  it('follows the access requests carried out: new and change grant, stop takes away, open ones do not count', async () => {
    const audit = new MemoryAuditLog();
    const requests = new Map<string, WorkRequest>();
    const carriedOut = async (request: WorkRequest) => {
      requests.set(request.id, request);
      await audit.append([
        {
          id: randomUUID(),
          at: NOW.toISOString(),
          type: 'carried_out',
          actor: ERIK,
          requestId: request.id,
          requestKind: 'access',
          systemId: PROCAPITA,
        },
      ]);
    };
    const access = (
      subjectId: string,
      change: string,
      role: string,
      status: WorkRequest['status'] = 'done',
    ) => buildRequest({ subjectId, systemId: PROCAPITA, status, fields: { change, role } });
    await carriedOut(access(MALI, 'new', 'Läs'));
    await carriedOut(access(SARA, 'new', 'Läs'));
    await carriedOut(access(MALI, 'change', 'Skriv'));
    await carriedOut(access(SARA, 'stop', 'Läs'));
    await carriedOut(access(ANNA, 'new', 'Admin', 'open'));
    const granted = await grantedAccesses({ audit, get: async (id) => requests.get(id) }, PROCAPITA);
    assert.deepEqual(granted, [{ personId: MALI, role: 'Skriv' }]);
  });
});

describe('the review stores', () => {
  const campaign = (overrides: Partial<ReviewCampaign> = {}): ReviewCampaign => ({
    id: randomUUID(),
    organisationId: 'tanum-kommun',
    systemId: PROCAPITA,
    startedBy: LISA,
    startedAt: NOW.toISOString(),
    dueAt: NOW.toISOString(),
    yearly: false,
    status: 'open',
    reviewerIds: [ERIK],
    entries: [],
    version: 0,
    ...overrides,
  });

  async function contract(store: ReviewStore): Promise<ReviewCampaign> {
    const first = campaign();
    await store.create(first);
    await assert.rejects(store.create(first), rejectsWith('RevisionConflict'));
    const updated = await store.update({ ...first, status: 'overdue' }, 0);
    assert.equal(updated.version, 1);
    await assert.rejects(store.update({ ...first, status: 'done' }, 0), rejectsWith('RevisionConflict'));
    // One running campaign per system: a second one is refused; a finished one of the same system is kept.
    await assert.rejects(store.create(campaign()), rejectsWith('RevisionConflict'));
    const older = campaign({
      startedAt: '2025-06-01T10:00:00.000Z',
      organisationId: 'other',
      status: 'done',
    });
    await store.create(older);
    assert.deepEqual(
      (await store.list({ systemId: PROCAPITA })).map((c) => c.id),
      [first.id, older.id],
    );
    assert.deepEqual(
      (await store.list({ organisationId: 'other' })).map((c) => c.id),
      [older.id],
    );
    return updated;
  }

  it('keeps the contract in memory', async () => {
    await contract(new MemoryReviewStore());
  });

  it('keeps the contract in its durable file, and finds everything again after reopening', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ansvar-reviews-'));
    try {
      const store = await openLowReviewStore(dir);
      const written = await contract(store);
      await store.putAccessList({
        systemId: PROCAPITA,
        organisationId: 'tanum-kommun',
        importedAt: NOW.toISOString(),
        source: 'users.csv',
        rows: [{ personId: MALI, role: 'Läs' }],
      });
      await store.close();
      const reopened = await openLowReviewStore(dir);
      assert.deepEqual(await reopened.get(written.id), written);
      assert.equal((await reopened.accessList(PROCAPITA))?.rows[0]?.personId, MALI);
      await reopened.close();
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  describe('in PostgreSQL', function () {
    this.timeout(30_000);
    let db: TestDatabase;
    before(async () => {
      db = await createTestDatabase();
    });
    after(async () => {
      await db.drop();
    });

    it('keeps the contract, and of two instances deciding one campaign at once exactly one wins', async () => {
      const store = new PgReviewStore(db.pool);
      await contract(store);
      const open = campaign({ systemId: 'another-system' });
      await store.create(open);
      const other = new PgReviewStore(db.pool);
      // Two instances starting a campaign of one system at once: one is created, the other refused.
      const starts = await Promise.allSettled([
        store.create(campaign({ systemId: 'third-system' })),
        other.create(campaign({ systemId: 'third-system' })),
      ]);
      assert.deepEqual(starts.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
      assert.equal((await store.list({ systemId: 'third-system' })).length, 1);
      const results = await Promise.allSettled([
        store.update({ ...open, status: 'done' }, 0),
        other.update({ ...open, status: 'done' }, 0),
      ]);
      assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
      assert.equal((await other.get(open.id))?.version, 1);
      await store.putAccessList({
        systemId: PROCAPITA,
        organisationId: 'tanum-kommun',
        importedAt: NOW.toISOString(),
        source: 'users.csv',
        rows: [{ personId: MALI, role: 'Läs' }],
      });
      await store.putAccessList({
        systemId: PROCAPITA,
        organisationId: 'tanum-kommun',
        importedAt: NOW.toISOString(),
        source: 'users-2.csv',
        rows: [],
      });
      assert.equal((await other.accessList(PROCAPITA))?.source, 'users-2.csv');
    });
  });
});
