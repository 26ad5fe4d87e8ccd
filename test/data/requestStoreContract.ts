import assert from 'node:assert/strict';
import type { RequestStore } from '../../data/requestStore.js';
import { isAnsvarError } from '../../services/errors.js';
import {
  buildAuditEvent,
  buildCardCopy,
  buildOutboxItem,
  buildRequest,
  buildStage,
} from './fixtures/requestBuilder.js';

const conflict = (error: unknown) => isAnsvarError(error, 'RevisionConflict');

/** The RequestStore contract, run against every implementation. `open` gives a fresh, empty store. */
export function describeRequestStoreContract(name: string, open: () => Promise<RequestStore>): void {
  describe(`${name} (RequestStore contract)`, () => {
    let store: RequestStore;

    beforeEach(async () => {
      store = await open();
    });

    afterEach(async () => {
      await store.close();
    });

    describe('get and create', () => {
      it('returns undefined for a request it does not hold', async () => {
        assert.equal(await store.get('no-such-id'), undefined);
      });

      it('returns what was created', async () => {
        const request = buildRequest();
        await store.create(request);
        assert.deepEqual(await store.get(request.id), request);
      });

      it('returns copies: changing a result or the created object does not change the store', async () => {
        const request = buildRequest();
        await store.create(request);
        request.status = 'done';
        const first = await store.get(request.id);
        assert.ok(first);
        first.stages[0]!.approverIds.push('mallory@evil.example');
        first.fields.role = 'admin';
        const second = await store.get(request.id);
        assert.equal(second?.status, 'open');
        assert.deepEqual(second?.stages[0]?.approverIds, ['chef@kommun.se']);
        assert.equal(second?.fields.role, 'handläggare');
        const listed = await store.list({});
        listed[0]!.status = 'cancelled';
        assert.equal((await store.get(request.id))?.status, 'open');
      });

      it('refuses to create a second request with the same id and keeps the first', async () => {
        const request = buildRequest();
        await store.create(request);
        const outbox = buildOutboxItem({ requestId: request.id });
        await assert.rejects(store.create({ ...request, kind: 'equipment' }, { outbox: [outbox] }), conflict);
        assert.equal((await store.get(request.id))?.kind, 'access');
        assert.deepEqual(await store.pendingOutbox(), []);
      });

      it('writes the outbox items and audit events given with create', async () => {
        const request = buildRequest();
        const outbox = buildOutboxItem({ requestId: request.id });
        const audit = buildAuditEvent({ requestId: request.id });
        await store.create(request, { outbox: [outbox], audit: [audit] });
        assert.deepEqual(await store.pendingOutbox(), [outbox]);
        assert.deepEqual(await store.pendingAudit(), [audit]);
      });
    });

    describe('update (compare-and-set)', () => {
      it('writes the change and sets the version to expectedVersion + 1', async () => {
        const request = buildRequest({ version: 1 });
        await store.create(request);
        const next = {
          ...request,
          currentStage: 1,
          stages: [
            {
              ...request.stages[0]!,
              decision: { outcome: 'approved' as const, by: 'chef@kommun.se', at: 'x' },
            },
            request.stages[1]!,
          ],
        };
        const written = await store.update(next, 1);
        assert.equal(written.version, 2);
        const stored = await store.get(request.id);
        assert.equal(stored?.version, 2);
        assert.equal(stored?.currentStage, 1);
        assert.equal(stored?.stages[0]?.decision?.by, 'chef@kommun.se');
      });

      it('keeps the approvers a card could not reach, as written', async () => {
        const request = buildRequest({ version: 1 });
        await store.create(request);
        const unreachable = [
          { personId: 'chef@kommun.se', reason: 'noConversation' as const, at: '2025-03-01T09:01:00.000Z' },
          { personId: 'chef@kommun.se', reason: 'blocked' as const, at: '2025-03-01T09:02:00.000Z' },
        ];
        await store.update({ ...request, unreachable }, 1);
        assert.deepEqual((await store.get(request.id))?.unreachable, unreachable);
        assert.deepEqual((await store.list({ personId: 'anna@kommun.se' }))[0]?.unreachable, unreachable);
      });

      it('refuses a stale version and writes nothing: neither the request nor its outbox items nor audit events', async () => {
        const request = buildRequest({ version: 1 });
        await store.create(request);
        await store.update({ ...request, urgent: true }, 1);
        const outbox = buildOutboxItem({ requestId: request.id });
        const audit = buildAuditEvent({ requestId: request.id, type: 'decided' });
        await assert.rejects(
          store.update({ ...request, status: 'rejected' }, 1, { outbox: [outbox], audit: [audit] }),
          conflict,
        );
        const stored = await store.get(request.id);
        assert.equal(stored?.status, 'open');
        assert.equal(stored?.version, 2);
        assert.deepEqual(await store.pendingOutbox(), []);
        assert.deepEqual(await store.pendingAudit(), []);
      });

      it('refuses to update a request it does not hold', async () => {
        await assert.rejects(store.update(buildRequest(), 1), conflict);
        assert.deepEqual(await store.list({}), []);
      });

      it('writes the outbox items and audit events together with the change', async () => {
        const request = buildRequest();
        await store.create(request);
        const outbox = [
          buildOutboxItem({ requestId: request.id, version: 2, recipientId: 'admin@kommun.se' }),
          buildOutboxItem({
            requestId: request.id,
            version: 2,
            recipientId: 'anna@kommun.se',
            purpose: 'info',
          }),
        ];
        const audit = [buildAuditEvent({ requestId: request.id, type: 'decided', actor: 'chef@kommun.se' })];
        const written = await store.update({ ...request, currentStage: 1 }, request.version, {
          outbox,
          audit,
        });
        assert.equal(written.currentStage, 1);
        assert.deepEqual(await store.pendingOutbox(), outbox);
        assert.deepEqual(await store.pendingAudit(), audit);
      });

      it('lets exactly one of 50 concurrent updates with the same expected version win', async () => {
        const request = buildRequest({ version: 1 });
        await store.create(request);
        const results = await Promise.allSettled(
          Array.from({ length: 50 }, (_, i) =>
            store.update({ ...request, fields: { ...request.fields, winner: i } }, 1, {
              outbox: [buildOutboxItem({ requestId: request.id, recipientId: `p${i}@kommun.se` })],
              audit: [buildAuditEvent({ requestId: request.id, type: 'decided', actor: `p${i}@kommun.se` })],
            }),
          ),
        );
        const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
        assert.equal(won.length, 1);
        for (const r of results) if (r.status === 'rejected') assert.ok(conflict(r.reason), String(r.reason));
        const stored = await store.get(request.id);
        assert.equal(stored?.version, 2);
        assert.equal(stored?.fields.winner, won[0]);
        assert.deepEqual(
          (await store.pendingOutbox()).map((o) => o.recipientId),
          [`p${won[0]}@kommun.se`],
        );
        assert.deepEqual(
          (await store.pendingAudit()).map((e) => e.actor),
          [`p${won[0]}@kommun.se`],
        );
      });
    });

    describe('list', () => {
      const approved = { outcome: 'approved' as const, by: 'chef@kommun.se', at: '2025-03-01T10:00:00.000Z' };

      it('filters by organisation, by person (requester or subject) and by status, newest first', async () => {
        const a = buildRequest({ createdAt: '2025-03-01T09:00:00.000Z', organisationId: 'org-se' });
        const b = buildRequest({
          createdAt: '2025-03-02T09:00:00.000Z',
          organisationId: 'org-no',
          requesterId: 'ola@kommune.no',
          subjectId: 'kari@kommune.no',
        });
        const c = buildRequest({ createdAt: '2025-03-03T09:00:00.000Z', status: 'cancelled' });
        for (const r of [a, b, c]) await store.create(r);
        assert.deepEqual(
          (await store.list({})).map((r) => r.id),
          [c.id, b.id, a.id],
        );
        assert.deepEqual(
          (await store.list({ organisationId: 'org-no' })).map((r) => r.id),
          [b.id],
        );
        assert.deepEqual(
          (await store.list({ personId: 'kari@kommune.no' })).map((r) => r.id),
          [b.id],
        );
        assert.deepEqual(
          (await store.list({ personId: 'OLA@kommune.no' })).map((r) => r.id),
          [b.id],
        );
        assert.deepEqual(
          (await store.list({ status: ['cancelled'] })).map((r) => r.id),
          [c.id],
        );
        assert.deepEqual(
          (await store.list({ status: ['open'], organisationId: 'org-se' })).map((r) => r.id),
          [a.id],
        );
        assert.deepEqual(
          (await store.list({ limit: 2 })).map((r) => r.id),
          [c.id, b.id],
        );
      });

      it('lists as awaiting a person only the open requests whose current stage they approve or whose open task they hold', async () => {
        const atStage0 = buildRequest();
        const atStage1 = buildRequest({
          currentStage: 1,
          stages: [buildStage({ approverIds: ['chef@kommun.se'], decision: approved }), buildStage()],
        });
        const decidedStage = buildRequest({
          stages: [buildStage({ approverIds: ['chef@kommun.se'], decision: approved })],
        });
        const closed = buildRequest({ status: 'cancelled' });
        const task = buildRequest({
          currentStage: 1,
          stages: [buildStage({ decision: approved })],
          task: { assigneeIds: ['admin@kommun.se', 'deputy@kommun.se'] },
        });
        const taskDone = buildRequest({
          currentStage: 1,
          stages: [buildStage({ decision: approved })],
          task: { assigneeIds: ['deputy@kommun.se'], outcome: 'done', by: 'deputy@kommun.se' },
        });
        for (const r of [atStage0, atStage1, decidedStage, closed, task, taskDone]) await store.create(r);
        const ids = async (person: string) =>
          new Set((await store.list({ awaitingPersonId: person })).map((r) => r.id));
        assert.deepEqual(await ids('chef@kommun.se'), new Set([atStage0.id]));
        assert.deepEqual(await ids('admin@kommun.se'), new Set([atStage1.id, task.id]));
        assert.deepEqual(await ids('deputy@kommun.se'), new Set([task.id]));
        assert.deepEqual(await ids('anna@kommun.se'), new Set());
      });
    });

    describe('card copies', () => {
      it('keeps every copy of a request once, as copies', async () => {
        const one = buildCardCopy({ requestId: 'r-1' });
        const two = buildCardCopy({ requestId: 'r-1', recipientId: 'anna@kommun.se' });
        await store.addCardCopy(one);
        await store.addCardCopy(two);
        await store.addCardCopy({ ...one });
        await store.addCardCopy(buildCardCopy({ requestId: 'r-2' }));
        const copies = await store.cardCopies('r-1');
        assert.deepEqual(copies, [one, two]);
        copies[0]!.activityId = 'changed';
        assert.deepEqual(await store.cardCopies('r-1'), [one, two]);
        assert.deepEqual(await store.cardCopies('r-3'), []);
      });
    });

    describe('outbox', () => {
      it('gives undelivered items oldest first, up to the limit, and drops delivered ones', async () => {
        const request = buildRequest();
        const items = [1, 2, 3].map((n) =>
          buildOutboxItem({ requestId: request.id, recipientId: `p${n}@kommun.se` }),
        );
        await store.create(request, { outbox: items.slice(0, 2) });
        await store.update(request, request.version, { outbox: items.slice(2) });
        assert.deepEqual(await store.pendingOutbox(), items);
        assert.deepEqual(await store.pendingOutbox(2), items.slice(0, 2));
        await store.markDelivered(items[0]!.id, '2025-03-01T09:01:00.000Z');
        await store.markDelivered(items[0]!.id, '2025-03-01T09:02:00.000Z');
        assert.deepEqual(await store.pendingOutbox(), items.slice(1));
      });

      it('counts failed attempts and keeps the last error, leaving the item pending', async () => {
        const item = buildOutboxItem();
        await store.create(buildRequest(), { outbox: [item] });
        await store.markAttempt(item.id, '429 Too Many Requests');
        await store.markAttempt(item.id, '502 Bad Gateway');
        assert.deepEqual(await store.pendingOutbox(), [
          { ...item, attempts: 2, lastError: '502 Bad Gateway' },
        ]);
      });
    });

    describe('pending audit events', () => {
      it('keeps recorded events oldest first until they are flushed, and drops only the flushed ones', async () => {
        const request = buildRequest();
        const submitted = buildAuditEvent({ requestId: request.id, type: 'submitted' });
        const routed = buildAuditEvent({ requestId: request.id, type: 'routed', actor: 'system' });
        const delivered = buildAuditEvent({ requestId: request.id, type: 'card_delivered', actor: 'system' });
        await store.create(request, { audit: [submitted, routed] });
        await store.recordAudit([delivered]);
        assert.deepEqual(await store.pendingAudit(), [submitted, routed, delivered]);
        assert.deepEqual(await store.pendingAudit(1), [submitted]);
        await store.auditFlushed([submitted.id, delivered.id, 'unknown']);
        assert.deepEqual(await store.pendingAudit(), [routed]);
      });

      it('holds an event id once even when recorded twice', async () => {
        const event = buildAuditEvent();
        await store.recordAudit([event]);
        await store.recordAudit([{ ...event }]);
        assert.deepEqual(await store.pendingAudit(), [event]);
      });
    });
  });
}
