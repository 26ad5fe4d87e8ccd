import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { WorkRequest } from '../../data/requestModel.js';
import {
  ADAPTIVE_CARD,
  MONA_ORDERS_PROJECTORS,
  STORSJO,
  type TeamsUser,
  until,
} from '../fixtures/sampleApp.js';
import { HOSTS, useTestServer } from '../fixtures/testServer.js';
import { executeActions } from '../fixtures/cardQueries.js';

/**
 * Equipment requests end to end over HTTP, as Teams posts them: Mona (Vård- och omsorgsförvaltningen, Storsjö
 * kommun) orders two projectors with the form's submit button; Lina, an IT orderer for her unit, approves; the IT
 * unit (Tobias) quotes; Lina accepts; the IT unit orders, registers the delivery and installs; Mona is told at each
 * step and finds the items registered. Every step is a card click by the person it belongs to; refusals (not on
 * the authorisation list, another unit's orderer, the requester accepting her own quote, a step out of order) change
 * nothing; simultaneous clicks decide each transition once.
 */

const { mona, lina, fredrik, viktor, fatima, tobias, josefin, magnus, aida, patrik } = STORSJO;
/** Everyone on the route of Mona's order: the orderers of her unit and the IT unit. */
const ROUTE = [lina, fredrik, magnus, josefin, aida, tobias, patrik];

for (const host of HOSTS)
  describe(`equipment requests over HTTP with the requester, an IT orderer and the IT unit, ${host} host`, function () {
    this.timeout(60_000);
    const { connector, sample } = useTestServer({ host, sample: true });
    beforeEach(async () => {
      // Everyone on the route has opened Ansvar, so every card reaches them (nobody is noted as unreachable, which
      // would change the request in the background while the test clicks).
      for (const user of ROUTE) await sample.opensAnsvar(user);
    });

    async function current(id: string): Promise<WorkRequest> {
      const request = await sample.requests.get(id);
      assert.ok(request, `request ${id} is stored`);
      return request;
    }

    async function monaOrders(): Promise<WorkRequest> {
      const res = await sample.click(mona, 'equipment.submit', {
        formId: randomUUID(),
        ...MONA_ORDERS_PROJECTORS,
      });
      assert.equal(res.status, 200);
      assert.equal((res.json() as { type?: string }).type, ADAPTIVE_CARD, 'Mona sees her request card');
      const [request] = await sample.requests.list({ personId: mona.email });
      assert.ok(request, 'the order is stored');
      return request;
    }

    /** One click on the request's current step; `values` are the card's inputs for a work step. */
    async function act(
      user: TeamsUser,
      verb: string,
      request: WorkRequest,
      values: Record<string, unknown> = {},
    ) {
      const res = await sample.click(user, verb, {
        requestId: request.id,
        version: request.version,
        ...values,
      });
      assert.equal(res.status, 200, `${user.name} ${verb}: ${res.text}`);
      return current(request.id);
    }

    function step(request: WorkRequest): string | undefined {
      return request.status === 'open' ? request.stages[request.currentStage]?.name : request.status;
    }

    it('runs the whole order: orderer approves, IT unit quotes, orderer accepts, ordered, delivered, installed; Mona is told and sees the items', async () => {
      let request = await monaOrders();
      assert.equal(request.kind, 'equipment');
      assert.equal(request.unitId, 'storsjo-kommun/vard-och-omsorgsforvaltningen');
      assert.deepEqual(request.stages[0]?.approverIds.sort(), [fredrik.email, lina.email].sort());
      assert.ok(
        sample.outboxWritten.some((i) => i.purpose === 'decide' && i.recipientId === lina.email),
        'Lina is sent the card to approve',
      );

      request = await act(lina, 'request.approve', request);
      assert.equal(step(request), 'quote');
      assert.ok(request.stages[1]!.approverIds.includes(tobias.email), 'the IT unit quotes');
      request = await act(tobias, 'task.done', request, { cost: '7 990', delivery: 'Två veckor' });
      assert.equal(step(request), 'accept_quote');
      assert.deepEqual(request.stages[1]?.values, { cost: 7990, delivery: 'Två veckor' });
      request = await act(lina, 'request.approve', request);
      assert.equal(step(request), 'order');
      request = await act(tobias, 'task.done', request, { note: 'Beställd hos Atea' });
      assert.equal(step(request), 'deliver');
      request = await act(tobias, 'task.done', request, {
        assetTags: 'ST-4711\nST-4712',
        location: 'Vårdcentralen Storsjö, rum 201 och 202',
        holder: 'Konferensrum Storsjön',
      });
      assert.equal(step(request), 'install');
      request = await act(tobias, 'task.done', request);
      assert.equal(request.status, 'done');

      const toldMona = sample.outboxWritten.filter(
        (i) => i.purpose === 'info' && i.recipientId === mona.email,
      );
      assert.equal(
        toldMona.length,
        6,
        'Mona is told of each of the six steps (the submission she sees in its answer)',
      );
      const items = await sample.requests.inventory({ requestId: request.id });
      assert.deepEqual(
        items.map((i) => [i.assetTag, i.itemType, i.room, i.unitId]),
        [
          ['ST-4711', 'projector', 'Konferensrum Storsjön', request.unitId],
          ['ST-4712', 'projector', 'Konferensrum Storsjön', request.unitId],
        ],
      );

      const events = (await sample.flushedAudit()).filter((e) => e.requestId === request.id);
      assert.deepEqual(
        events
          .filter((e) => e.type === 'decided' || e.type === 'carried_out')
          .map((e) => [e.actor, e.details?.step ?? e.details?.stage]),
        [
          [lina.email, 'it_orderer'],
          [tobias.email, 'quote'],
          [lina.email, 'accept_quote'],
          [tobias.email, 'order'],
          [tobias.email, 'deliver'],
          [tobias.email, 'install'],
        ],
      );
      assert.equal(events.filter((e) => e.type === 'inventory_registered').length, 2);
    });

    it('refuses people off the unit’s list, another unit’s orderer, Mona accepting her own quote, and a step out of order', async () => {
      let request = await monaOrders();
      for (const outsider of [fatima, viktor, tobias, josefin, mona]) {
        const res = await sample.click(outsider, 'request.approve', {
          requestId: request.id,
          version: request.version,
        });
        assert.ok(res.status < 500, `${outsider.name}: no server error`);
        assert.doesNotMatch(res.text, /NotAnApprover|\bat .*\.ts:\d+/, 'no internal error text');
        if (outsider === fatima || outsider === viktor) {
          // Not on the request at all: not even shown it.
          assert.notEqual(
            (res.json() as { type?: string }).type,
            ADAPTIVE_CARD,
            `${outsider.name} is not shown the request`,
          );
        }
      }
      const unchanged = await current(request.id);
      assert.equal(unchanged.currentStage, 0, 'nobody off the list moved it on');
      assert.equal(unchanged.stages[0]?.decision, undefined, 'nobody off the list decided');

      // Out of order: the IT unit reports a delivery while the order still waits for the orderer.
      const early = await sample.click(tobias, 'task.done', {
        requestId: request.id,
        version: request.version,
        assetTags: 'X-1, X-2',
        location: 'Förrådet',
      });
      assert.ok(early.status < 500, 'no server error');
      assert.equal((await current(request.id)).currentStage, 0, 'the early delivery changed nothing');
      assert.deepEqual(await sample.requests.inventory({ requestId: request.id }), []);

      request = await act(lina, 'request.approve', request);
      request = await act(tobias, 'task.done', request, { cost: '100', delivery: 'I morgon' });
      assert.equal(step(request), 'accept_quote');
      const own = await sample.click(mona, 'request.approve', {
        requestId: request.id,
        version: request.version,
      });
      assert.ok(own.status < 500, 'own.status < 500');
      assert.equal(
        step(await current(request.id)),
        'accept_quote',
        'Mona cannot accept the quote of her own order',
      );
    });

    it('decides each transition once when both orderers click at the same time, and when the IT unit double-clicks', async () => {
      let request = await monaOrders();
      const clicks = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          sample.click(i % 2 === 0 ? lina : fredrik, 'request.approve', {
            requestId: request.id,
            version: request.version,
          }),
        ),
      );
      assert.deepEqual([...new Set(clicks.map((r) => r.status))], [200]);
      request = await current(request.id);
      assert.equal(request.currentStage, 1);
      const quotes = await Promise.all(
        Array.from({ length: 10 }, () =>
          sample.click(tobias, 'task.done', {
            requestId: request.id,
            version: request.version,
            cost: '5',
            delivery: 'Nu',
          }),
        ),
      );
      assert.deepEqual([...new Set(quotes.map((r) => r.status))], [200]);
      const after = await current(request.id);
      assert.equal(after.version, request.version + 1, 'one quote recorded');
      const events = (await sample.flushedAudit()).filter((e) => e.requestId === request.id);
      assert.equal(events.filter((e) => e.type === 'decided').length, 1);
      assert.equal(events.filter((e) => e.type === 'carried_out').length, 1);
    });

    it('skips the orderer step when Lina orders for her own unit, and lets her accept the quote', async () => {
      const res = await sample.click(lina, 'equipment.submit', {
        formId: randomUUID(),
        ...MONA_ORDERS_PROJECTORS,
        forWhom: '',
      });
      assert.equal(res.status, 200);
      let [request] = await sample.requests.list({ personId: lina.email });
      assert.ok(request, 'request');
      assert.equal(step(request), 'quote');
      request = await act(tobias, 'task.done', request, { cost: '12 000', delivery: 'Tre veckor' });
      request = await act(lina, 'request.approve', request);
      assert.equal(step(request), 'order');
    });

    it('brings an order that had no orderer to the one an IT coordinator adds to the unit’s list in Teams', async () => {
      // Nobody is on the list for Mona's unit any more (Lina and Fredrik moved on).
      const snapshot = await sample.register.snapshot();
      const ended = snapshot.roleAssignments
        .filter((a) => a.role === 'it_orderer' && [lina.email, fredrik.email].includes(a.personId))
        .map((a) => ({ ...a, validTo: new Date(Date.now() - 60_000).toISOString() }));
      assert.equal(ended.length, 2, 'the sample has Lina and Fredrik as orderers');
      await sample.register.apply({ roleAssignments: ended }, snapshot.revision);
      const request = await monaOrders();
      assert.deepEqual(request.stages[0]?.approverIds, [], 'the order has an orderer after all');

      await sample.opensAnsvar(viktor);
      const res = await sample.say(
        josefin,
        'gör Viktor Sund till IT-beställare för Vård- och omsorgsförvaltningen',
      );
      assert.equal(res.status, 200);
      const reply = await until(
        async () =>
          connector.activities.find((a) => Array.isArray(a.attachments) && a.attachments.length > 0) as
            { attachments: { content: unknown }[] } | undefined,
        'the confirmation card',
      );
      const assign = executeActions(reply.attachments[0]!.content).find((a) => a.verb === 'role.assign');
      assert.ok(assign, 'the coordinator is asked to confirm');
      const confirmed = await sample.click(josefin, 'role.assign', assign.data);
      assert.equal(confirmed.status, 200, confirmed.text);

      const rerouted = await until(async () => {
        const now = await current(request.id);
        return now.stages[0]!.approverIds.length > 0 ? now : undefined;
      }, 'the order routed again');
      assert.deepEqual(rerouted.stages[0]?.approverIds, [viktor.email]);
      await until(
        async () =>
          sample.outboxWritten.some((i) => i.purpose === 'decide' && i.recipientId === viktor.email)
            ? true
            : undefined,
        'the card for Viktor',
      );
      const approved = await act(viktor, 'request.approve', rerouted);
      assert.equal(step(approved), 'quote', 'the new orderer cannot approve');
    });
  });
