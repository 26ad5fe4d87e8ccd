import assert from 'node:assert/strict';
import type { InventoryItem, Stage } from '../../data/requestModel.js';
import type { RequestStore } from '../../data/requestStore.js';
import { isAnsvarError } from '../../core/errors.js';
import {
  buildAuditEvent,
  buildCardCopy,
  buildInventoryItem,
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
        assert.ok(first, 'first');
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

      it('keeps decisionVersion as written, apart from version (the click check of every instance reads it)', async () => {
        const request = buildRequest({ version: 1, decisionVersion: 1 });
        await store.create(request);
        assert.equal((await store.get(request.id))?.decisionVersion, 1);
        const noted = await store.update({ ...request, notes: [] }, 1);
        assert.equal(noted.version, 2);
        assert.equal(noted.decisionVersion, 1, 'the store does not move it with version');
        await store.update({ ...noted, decisionVersion: 3, currentStage: 1 }, 2);
        const stored = await store.get(request.id);
        assert.deepEqual([stored?.version, stored?.decisionVersion], [3, 3]);
        assert.equal((await store.list({ personId: 'anna@kommun.se' }))[0]?.decisionVersion, 3);
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
      it('answers a lost compare-and-set only once the winning change can be read', async () => {
        const request = buildRequest({ version: 1 });
        await store.create(request);
        const seenByLosers = await Promise.all(
          Array.from({ length: 5 }, (_, i) =>
            store.update({ ...request, fields: { ...request.fields, winner: i } }, 1).then(
              () => undefined,
              async (error: unknown) => {
                assert.ok(conflict(error), String(error));
                return (await store.get(request.id))?.version;
              },
            ),
          ),
        );
        assert.deepEqual(
          seenByLosers.filter((v) => v !== undefined),
          [2, 2, 2, 2],
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

      it('lists as awaiting a person only the open requests whose current step (decision or work) has them and no outcome', async () => {
        const carryOut = (overrides: Partial<Stage> = {}) =>
          buildStage({
            name: 'carry_out',
            type: 'work',
            approverIds: ['admin@kommun.se', 'Deputy@kommun.se'],
            ...overrides,
          });
        const done = { outcome: 'done' as const, by: 'deputy@kommun.se', at: '2025-03-02T10:00:00.000Z' };
        const atStage0 = buildRequest();
        const atStage1 = buildRequest({
          currentStage: 1,
          stages: [buildStage({ approverIds: ['chef@kommun.se'], decision: approved }), buildStage()],
        });
        const decidedStage = buildRequest({
          stages: [buildStage({ approverIds: ['chef@kommun.se'], decision: approved })],
        });
        const closed = buildRequest({ status: 'cancelled' });
        const atWork = buildRequest({
          currentStage: 1,
          stages: [buildStage({ decision: approved }), carryOut()],
        });
        const workDone = buildRequest({
          currentStage: 1,
          stages: [buildStage({ decision: approved }), carryOut({ decision: done })],
        });
        const pastWork = buildRequest({
          currentStage: 2,
          stages: [buildStage({ decision: approved }), carryOut({ decision: done })],
        });
        const workAhead = buildRequest({
          stages: [buildStage({ approverIds: ['chef@kommun.se'] }), carryOut()],
        });
        for (const r of [atStage0, atStage1, decidedStage, closed, atWork, workDone, pastWork, workAhead]) {
          await store.create(r);
        }
        const ids = async (person: string) =>
          new Set((await store.list({ awaitingPersonId: person })).map((r) => r.id));
        assert.deepEqual(await ids('chef@kommun.se'), new Set([atStage0.id, workAhead.id]));
        assert.deepEqual(await ids('admin@kommun.se'), new Set([atStage1.id, atWork.id]));
        assert.deepEqual(await ids('DEPUTY@kommun.se'), new Set([atWork.id]));
        assert.deepEqual(await ids('anna@kommun.se'), new Set());
      });

      it('lists the open requests whose current step has nobody', async () => {
        const nobody = buildRequest({ stages: [buildStage({ approverIds: [] })] });
        const nobodyLater = buildRequest({
          currentStage: 1,
          stages: [buildStage({ decision: approved }), buildStage({ name: 'carry_out', approverIds: [] })],
        });
        const someone = buildRequest({ stages: [buildStage({ approverIds: ['chef@kommun.se'] })] });
        const nobodyButClosed = buildRequest({
          status: 'cancelled',
          stages: [buildStage({ approverIds: [] })],
        });
        const nobodyAhead = buildRequest({
          stages: [
            buildStage({ approverIds: ['chef@kommun.se'] }),
            buildStage({ name: 'b', approverIds: [] }),
          ],
        });
        for (const r of [nobody, nobodyLater, someone, nobodyButClosed, nobodyAhead]) await store.create(r);
        assert.deepEqual(
          new Set((await store.list({ waitingForNobody: true })).map((r) => r.id)),
          new Set([nobody.id, nobodyLater.id]),
        );
      });
    });

    describe('inventory', () => {
      const discarded = (item: InventoryItem): InventoryItem => ({
        ...item,
        status: 'discarded',
        discardedAt: '2025-04-01T09:00:00.000Z',
        discardedBy: 'koordinator@kommun.se',
        discardReason: 'returned to the supplier',
      });

      it('registers the items given with an update together with the change, and returns copies', async () => {
        const request = buildRequest();
        await store.create(request);
        const items = [
          buildInventoryItem({ requestId: request.id }),
          buildInventoryItem({ assetTag: 'INV-1002' }),
        ];
        await store.update({ ...request, currentStage: 1 }, request.version, { inventory: items });
        assert.deepEqual(await store.getInventoryItem(items[0]!.id), items[0]);
        assert.equal(await store.getInventoryItem('no-such-item'), undefined);
        const read = await store.getInventoryItem(items[0]!.id);
        read!.status = 'discarded';
        const listed = await store.inventory({});
        listed[1]!.location = 'changed';
        items[0]!.assetTag = 'changed';
        assert.deepEqual(
          (await store.inventory({})).map((i) => [i.assetTag, i.status, i.location]),
          [
            ['INV-1001', 'in_use', 'Stadshuset, rum 204'],
            ['INV-1002', 'in_use', 'Stadshuset, rum 204'],
          ],
        );
      });

      it('registers the items given with a create', async () => {
        const request = buildRequest();
        const item = buildInventoryItem({ requestId: request.id });
        await store.create(request, { inventory: [item] });
        assert.deepEqual(await store.inventory({ requestId: request.id }), [item]);
      });

      it('refuses an update whose new item id is already stored and writes nothing: no request change, no outbox item, audit event or item', async () => {
        const first = buildRequest();
        const item = buildInventoryItem({ requestId: first.id });
        await store.create(first, { inventory: [item] });
        const request = buildRequest();
        await store.create(request);
        const fresh = buildInventoryItem({ requestId: request.id, assetTag: 'INV-2001' });
        await assert.rejects(
          store.update({ ...request, status: 'done' }, request.version, {
            outbox: [buildOutboxItem({ requestId: request.id })],
            audit: [buildAuditEvent({ requestId: request.id, type: 'inventory_registered' })],
            inventory: [fresh, { ...item, requestId: request.id, assetTag: 'INV-2002' }],
          }),
          conflict,
        );
        assert.deepEqual(await store.get(request.id), request);
        assert.deepEqual(await store.inventory({}), [item]);
        assert.deepEqual(await store.pendingOutbox(), []);
        assert.deepEqual(await store.pendingAudit(), []);
      });

      it('refuses a create that names one item id twice, or one already stored, and creates nothing', async () => {
        const item = buildInventoryItem();
        const twice = buildRequest();
        await assert.rejects(
          store.create(twice, { inventory: [item, { ...item, assetTag: 'INV-9' }] }),
          conflict,
        );
        assert.equal(await store.get(twice.id), undefined);
        assert.deepEqual(await store.inventory({}), []);
        await store.create(buildRequest(), { inventory: [item] });
        const clash = buildRequest();
        await assert.rejects(
          store.create(clash, {
            inventory: [{ ...item }],
            audit: [buildAuditEvent({ requestId: clash.id })],
          }),
          conflict,
        );
        assert.equal(await store.get(clash.id), undefined);
        assert.deepEqual(await store.pendingAudit(), []);
      });

      it('sorts by unit (items without one last), item type and asset tag, and filters by organisation, unit, holder (any case), request and status, up to the limit', async () => {
        const items = [
          buildInventoryItem({ unitId: 'org-se/skola', itemType: 'screen', assetTag: 'B-2' }),
          buildInventoryItem({ unitId: undefined, itemType: 'laptop', assetTag: 'A-1', holderId: undefined }),
          buildInventoryItem({
            unitId: 'org-se/skola',
            itemType: 'screen',
            assetTag: 'B-10',
            requestId: 'r-2',
          }),
          buildInventoryItem({
            unitId: 'org-se/skola',
            itemType: 'projector',
            assetTag: 'Z-9',
            room: 'Aulan',
          }),
          buildInventoryItem({
            unitId: 'org-se/omsorg',
            itemType: 'screen',
            assetTag: 'C-1',
            holderId: 'Ola@Kommun.se',
          }),
          buildInventoryItem({ organisationId: 'org-no', unitId: 'org-no/skule', assetTag: 'N-1' }),
          discarded(buildInventoryItem({ unitId: 'org-se/skola', itemType: 'screen', assetTag: 'B-3' })),
        ];
        await store.create(buildRequest(), { inventory: items });
        const tags = async (filter: Parameters<RequestStore['inventory']>[0]) =>
          (await store.inventory(filter)).map((i) => i.assetTag);
        assert.deepEqual(await tags({}), ['N-1', 'C-1', 'Z-9', 'B-10', 'B-2', 'B-3', 'A-1']);
        assert.deepEqual(await tags({ organisationId: 'org-no' }), ['N-1']);
        assert.deepEqual(await tags({ unitId: 'org-se/skola' }), ['Z-9', 'B-10', 'B-2', 'B-3']);
        assert.deepEqual(await tags({ unitId: 'org-se/skola', status: ['in_use'] }), ['Z-9', 'B-10', 'B-2']);
        assert.deepEqual(await tags({ status: ['discarded'] }), ['B-3']);
        assert.deepEqual(await tags({ holderId: 'ola@kommun.SE' }), ['C-1']);
        assert.deepEqual(await tags({ requestId: 'r-2' }), ['B-10']);
        assert.deepEqual(await tags({ limit: 2 }), ['N-1', 'C-1']);
      });

      it('changes an item with a compare-and-set on its version, together with its audit event', async () => {
        const item = buildInventoryItem({ version: 3 });
        await store.create(buildRequest(), { inventory: [item] });
        const audit = buildAuditEvent({ type: 'inventory_discarded', requestId: undefined });
        const written = await store.updateInventoryItem(discarded(item), 3, { audit: [audit] });
        assert.equal(written.version, 4);
        assert.deepEqual(await store.getInventoryItem(item.id), { ...discarded(item), version: 4 });
        // Stored values are plain JSON: a field set to undefined reads back as absent.
        const json = (value: unknown): unknown => JSON.parse(JSON.stringify(value));
        assert.deepEqual(json(await store.pendingAudit()), [json(audit)]);
        written.status = 'in_use';
        assert.equal((await store.getInventoryItem(item.id))?.status, 'discarded');
      });

      it('refuses a stale or unknown item and writes nothing', async () => {
        const item = buildInventoryItem();
        await store.create(buildRequest(), { inventory: [item] });
        const effects = () => ({
          audit: [buildAuditEvent({ type: 'inventory_discarded' as const })],
          outbox: [buildOutboxItem()],
        });
        await assert.rejects(store.updateInventoryItem(discarded(item), 2, effects()), conflict);
        await assert.rejects(
          store.updateInventoryItem(discarded(buildInventoryItem()), 1, effects()),
          conflict,
        );
        assert.deepEqual(await store.getInventoryItem(item.id), item);
        assert.deepEqual(await store.inventory({}), [item]);
        assert.deepEqual(await store.pendingAudit(), []);
        assert.deepEqual(await store.pendingOutbox(), []);
      });

      it('lets exactly one of 20 concurrent changes of one item with the same expected version win', async () => {
        const item = buildInventoryItem();
        await store.create(buildRequest(), { inventory: [item] });
        const results = await Promise.allSettled(
          Array.from({ length: 20 }, (_, i) =>
            store.updateInventoryItem({ ...discarded(item), discardedBy: `k${i}@kommun.se` }, 1, {
              audit: [buildAuditEvent({ type: 'inventory_discarded', actor: `k${i}@kommun.se` })],
            }),
          ),
        );
        const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
        assert.equal(won.length, 1);
        for (const r of results) if (r.status === 'rejected') assert.ok(conflict(r.reason), String(r.reason));
        const stored = await store.getInventoryItem(item.id);
        assert.equal(stored?.version, 2);
        assert.equal(stored?.discardedBy, `k${won[0]}@kommun.se`);
        assert.deepEqual(
          (await store.pendingAudit()).map((e) => e.actor),
          [`k${won[0]}@kommun.se`],
        );
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

      it('gives an update the copies its recipient holds, and settles it at once when they hold none', async () => {
        const request = buildRequest();
        const [forAnna, forBo] = ['Anna@Kommun.se', 'bo@kommun.se'].map((recipientId) =>
          buildOutboxItem({ requestId: request.id, recipientId, purpose: 'update' }),
        );
        await store.create(request, { outbox: [forAnna!, forBo!] });
        const annas = [1, 2].map((n) =>
          buildCardCopy({ requestId: request.id, recipientId: 'anna@kommun.se', activityId: `a-${n}` }),
        );
        for (const copy of annas) await store.addCardCopy(copy);
        await store.addCardCopy(buildCardCopy({ requestId: 'other', recipientId: 'bo@kommun.se' }));
        const at = '2025-03-01T10:00:00.000Z';

        assert.deepEqual(await store.copiesToUpdate(forAnna!, at), annas, 'her copies, whatever the case');
        assert.deepEqual(await store.copiesToUpdate(forBo!, at), [], "another request's copy is not his");
        assert.deepEqual(
          (await store.pendingOutbox()).map((i) => i.id),
          [forAnna!.id],
          'only the update with nothing to replace left the outbox',
        );
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

      it('hands its only handle every undelivered item to send, oldest first, again until it is delivered', async () => {
        const request = buildRequest();
        const items = [1, 2, 3].map((n) =>
          buildOutboxItem({ requestId: request.id, recipientId: `p${n}@kommun.se` }),
        );
        await store.create(request, { outbox: items });
        assert.deepEqual(await store.claimOutbox(), items);
        assert.deepEqual(await store.claimOutbox(2), items.slice(0, 2), 'a claim is renewed, not lost');
        await store.markDelivered(items[1]!.id, '2025-03-01T09:01:00.000Z');
        assert.deepEqual(await store.claimOutbox(), [items[0], items[2]]);
      });

      it('skips, without counting them, the items the caller already has in hand, and keeps them pending', async () => {
        const request = buildRequest();
        const items = [1, 2, 3, 4].map((n) =>
          buildOutboxItem({ requestId: request.id, recipientId: `p${n}@kommun.se` }),
        );
        await store.create(request, { outbox: items });
        const inHand = new Set([items[0]!.id, items[2]!.id]);
        assert.deepEqual(
          await store.claimOutbox(1, inHand),
          [items[1]],
          'the limit counts what is handed out',
        );
        assert.deepEqual(await store.claimOutbox(undefined, inHand), [items[1], items[3]]);
        assert.deepEqual(await store.claimOutbox(), items, 'the items in hand are still pending');
      });

      it('settles a delivery as one change: the card copy, its audit event and the item out of the outbox', async () => {
        const request = buildRequest();
        const [sent, failed, other] = [1, 2, 3].map((n) =>
          buildOutboxItem({ requestId: request.id, recipientId: `p${n}@kommun.se` }),
        );
        await store.create(request, { outbox: [sent!, failed!, other!] });
        const copy = buildCardCopy({ requestId: request.id, recipientId: 'p1@kommun.se' });
        const delivered = buildAuditEvent({ requestId: request.id, type: 'card_delivered' });
        await store.settleDelivery({
          itemId: sent!.id,
          at: '2025-03-01T09:01:00.000Z',
          cardCopy: copy,
          audit: [delivered],
        });
        const gaveUp = buildAuditEvent({ requestId: request.id, type: 'delivery_failed' });
        await store.settleDelivery({ itemId: failed!.id, at: '2025-03-01T09:02:00.000Z', audit: [gaveUp] });
        assert.deepEqual(await store.pendingOutbox(), [other], 'only the unsettled item is left');
        assert.deepEqual(await store.cardCopies(request.id), [copy]);
        assert.deepEqual(
          (await store.pendingAudit()).map((e) => e.id),
          [delivered.id, gaveUp.id],
        );
      });

      it('settles nothing when the card copy is invalid: the item stays, no audit event is kept', async () => {
        const item = buildOutboxItem();
        await store.create(buildRequest({ id: item.requestId }), { outbox: [item] });
        await assert.rejects(
          store.settleDelivery({
            itemId: item.id,
            at: '2025-03-01T09:01:00.000Z',
            cardCopy: buildCardCopy({ requestId: item.requestId, activityId: '' }),
            audit: [buildAuditEvent({ requestId: item.requestId, type: 'card_delivered' })],
          }),
          (error: unknown) => isAnsvarError(error, 'InvalidInput'),
        );
        assert.deepEqual(await store.pendingOutbox(), [item]);
        assert.deepEqual(await store.pendingAudit(), []);
        assert.deepEqual(await store.cardCopies(item.requestId), []);
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
