import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { LowRequestStore } from '../../data/lowdb/lowRequestStore.js';
import type { AuditEvent, OutboxItem, WorkRequest } from '../../data/requestModel.js';
import type { RequestEngine } from '../../services/requests/engine.js';
import { executeActions } from '../fixtures/cardQueries.js';
import {
  ADAPTIVE_CARD,
  MONA_ASKS_FOR_RAINDANCE,
  MONA_ORDERS_PROJECTORS,
  sampleRequestEngine,
  STORSJO,
  until,
  type TeamsUser,
} from '../fixtures/sampleApp.js';
import { HOSTS, useTestServer } from '../fixtures/testServer.js';

/**
 * Access requests end to end over HTTP with several Teams users: the real composition root (startApp, local mode) on
 * a temp data dir with the sample register, the embedded request store and the app's own audit log and flusher, and
 * the fake connector. Clicks are `adaptiveCard/action` invokes from the people of data/sample/people.csv (by their
 * `aadObjectId`), as Teams posts them.
 *
 * Requests are submitted through a request engine on the app's own stores (createRequestEngine, as the composition
 * root builds it), so each test starts from a known request; every decision is a click over HTTP.
 *
 * Storsjö kommun's policy (data/policies/storsjo-kommun.json): Mona Jansson's request for Raindance goes to her
 * manager Lina Axelsson, then to Raindance's administrator Ingrid Sundberg. Unless a test says otherwise, Lina and
 * Ingrid have opened Ansvar before (their conversation references are stored), so their cards reach them.
 */

const { mona: MONA, lina: LINA, ingrid: INGRID, fatima: FATIMA, fredrik: FREDRIK } = STORSJO;

for (const host of HOSTS)
  describe(`access requests over HTTP with several Teams users (startApp + stores + audit log + fake connector), ${host} host`, function () {
    this.timeout(30_000);
    let requests: LowRequestStore;
    let engine: RequestEngine;
    let outboxWritten: OutboxItem[];
    const { connector, sample } = useTestServer({ host, sample: true });

    beforeEach(async () => {
      ({ requests, outboxWritten } = sample);
      engine = await sampleRequestEngine(sample);
    });

    const opensAnsvar = (user: TeamsUser) => sample.opensAnsvar(user);

    async function monaAsksForRaindance(reachable: TeamsUser[] = [LINA, INGRID]): Promise<WorkRequest> {
      for (const user of reachable) await opensAnsvar(user);
      const { request } = await engine.submit(MONA_ASKS_FOR_RAINDANCE);
      return request;
    }

    function click(user: TeamsUser, verb: string, request: Pick<WorkRequest, 'id' | 'version'>, extra = {}) {
      return sample.click(user, verb, { requestId: request.id, version: request.version, ...extra });
    }

    /** The `verb` button of the first card about `requestId` that reached `user`'s chat, as Teams would post it. */
    async function firstButton(user: TeamsUser, requestId: string, verb: string) {
      const chat = `a:personal-${user.aadObjectId}`;
      return until(async () => {
        for (const call of connector.calls) {
          if (call.conversationId !== chat || (call.kind !== 'send' && call.kind !== 'reply')) continue;
          const content = (call.body.attachments as { content: unknown }[] | undefined)?.[0]?.content;
          const button = executeActions(content).find(
            (a) => a.verb === verb && a.data.requestId === requestId,
          );
          if (button) return button;
        }
        return undefined;
      }, `${user.name}'s card with ${verb}`);
    }

    /** The card of an invoke's answer. */
    function answerCard(res: { json(): unknown }): unknown {
      const body = res.json() as { type?: string; value?: unknown };
      assert.equal(body.type, ADAPTIVE_CARD, 'answered with a card');
      return body.value;
    }

    /** Waits until the store has no pending audit events, then returns the log's events of `requestId`. */
    async function flushedAudit(requestId: string): Promise<AuditEvent[]> {
      return (await sample.flushedAudit()).filter((e) => e.requestId === requestId);
    }

    it('routes Mona’s Raindance request to her manager Lina, then Ingrid; both approve by button; the audit log holds each step once', async () => {
      const submitted = await monaAsksForRaindance();
      assert.deepEqual(
        submitted.stages.map((s) => [s.name, s.approverIds]),
        [
          ['manager', [LINA.email]],
          ['administrator', [INGRID.email]],
          ['carry_out', [INGRID.email, 'mattias.aberg@storsjo.example']],
        ],
      );
      assert.ok(
        outboxWritten.some((i) => i.purpose === 'decide' && i.recipientId === LINA.email),
        "outboxWritten.some((i) => i.purpose === 'decide' && i.recipientId === LINA.em...",
      );

      const byLina = await click(LINA, 'request.approve', submitted);
      assert.equal(byLina.status, 200);
      const linaBody = byLina.json() as { statusCode: number; type: string };
      assert.equal(linaBody.statusCode, 200);
      assert.equal(linaBody.type, ADAPTIVE_CARD);
      const afterLina = (await requests.get(submitted.id))!;
      assert.equal(afterLina.currentStage, 1);
      assert.equal(afterLina.stages[0]?.decision?.by, LINA.email);
      assert.ok(
        outboxWritten.some(
          (i) => i.purpose === 'decide' && i.recipientId === INGRID.email && i.version === afterLina.version,
        ),
        'Ingrid is sent a decide card',
      );

      const byIngrid = await click(INGRID, 'request.approve', afterLina);
      assert.equal(byIngrid.status, 200);
      const afterIngrid = (await requests.get(submitted.id))!;
      assert.equal(afterIngrid.stages[1]?.decision?.by, INGRID.email);
      assert.equal(afterIngrid.stages[1]?.decision?.outcome, 'approved');
      assert.ok(
        outboxWritten.some(
          (i) => i.purpose === 'info' && i.recipientId === MONA.email && i.version === afterIngrid.version,
        ),
        'Mona is told',
      );

      const events = await flushedAudit(submitted.id);
      const decided = events.filter((e) => e.type === 'decided');
      assert.deepEqual(
        decided.map((e) => [e.actor, e.details?.stage, e.details?.outcome, e.onBehalfOf]),
        [
          [LINA.email, 'manager', 'approved', MONA.email],
          [INGRID.email, 'administrator', 'approved', MONA.email],
        ],
      );
      assert.equal(events.filter((e) => e.type === 'submitted').length, 1);
      assert.equal(new Set(events.map((e) => e.id)).size, events.length, 'no event twice in the log');
    });

    it('refuses an approve click from Fatima, who is on no stage, and from Mona on her own request, leaving the request unchanged', async () => {
      const submitted = await monaAsksForRaindance();
      const outboxBefore = outboxWritten.length;

      for (const user of [FATIMA, MONA]) {
        const res = await click(user, 'request.approve', submitted);
        assert.ok(res.status < 500, `${user.name}: no server error (${res.status})`);
        assert.doesNotMatch(res.text, /NotAnApprover|\bat .*\.ts:\d+/, 'no internal error text');
        const body = res.json() as { type?: string };
        assert.notEqual(body.type, ADAPTIVE_CARD, `${user.name} is not shown a decided card`);
      }

      const stored = (await requests.get(submitted.id))!;
      assert.equal(stored.version, submitted.version);
      assert.equal(stored.currentStage, 0);
      assert.equal(stored.stages[0]?.decision, undefined);
      assert.equal(outboxWritten.length, outboxBefore, 'nobody is notified');
      const events = await flushedAudit(submitted.id);
      assert.deepEqual(
        events.filter((e) => e.type === 'decided'),
        [],
      );
    });

    it('decides once when Lina’s approve arrives 50 times at once: one decision, one audit record, one notification per recipient', async () => {
      const submitted = await monaAsksForRaindance();
      const outboxBefore = outboxWritten.length;

      const responses = await Promise.all(
        Array.from({ length: 50 }, () => click(LINA, 'request.approve', submitted)),
      );
      assert.deepEqual(
        [...new Set(responses.map((r) => r.status))],
        [200],
        'every click is answered, none with an error',
      );

      const stored = (await requests.get(submitted.id))!;
      assert.equal(stored.version, submitted.version + 1, 'one compare-and-set won');
      assert.equal(stored.currentStage, 1);
      assert.equal(stored.stages[0]?.decision?.by, LINA.email);

      const notifications = outboxWritten.slice(outboxBefore);
      const keys = notifications.map((i) => `${i.purpose} ${i.recipientId}`).sort();
      assert.deepEqual(keys, [`decide ${INGRID.email}`, `info ${MONA.email}`, `update ${LINA.email}`]);
      assert.ok(
        notifications.every((i) => i.version === stored.version),
        'notifications.every((i) => i.version === stored.version)',
      );

      const events = await flushedAudit(submitted.id);
      assert.equal(events.filter((e) => e.type === 'decided').length, 1);
      assert.equal(new Set(events.map((e) => e.id)).size, events.length);
    });

    it('lets Lina approve Mona’s order from the first card she got, after Fredrik, the other IT orderer, was noted unreachable', async () => {
      await opensAnsvar(LINA); // Fredrik never opened Ansvar: his decide card cannot be sent.
      const submittedRes = await sample.click(MONA, 'equipment.submit', {
        formId: randomUUID(),
        ...MONA_ORDERS_PROJECTORS,
      });
      assert.equal(submittedRes.status, 200);
      const [order] = await requests.list({ personId: MONA.email });
      assert.ok(order, 'the order is stored');
      assert.deepEqual(order.stages[0]?.approverIds.sort(), [FREDRIK.email, LINA.email].sort());
      const button = await firstButton(LINA, order.id, 'request.approve');
      // Her card as first sent, at the submitted version. The outbox delivers side by side, so the copy that reached
      // her may already show the note about Fredrik; a click on one sent just before it carries this.
      const approve = { ...button, data: { ...button.data, version: order.version } };
      const noted = await until(async () => {
        const now = await requests.get(order.id);
        return now?.unreachable?.some((u) => u.personId === FREDRIK.email) ? now : undefined;
      }, 'Fredrik noted as unreachable');
      assert.ok(noted.version > order.version, 'the note changed the request');

      const byLina = await sample.click(LINA, approve.verb, approve.data);

      assert.equal(byLina.status, 200);
      const card = JSON.stringify(answerCard(byLina));
      assert.ok(!card.includes('Redan godkänd'), 'not answered as already decided');
      const after = (await requests.get(order.id))!;
      assert.equal(after.stages[0]?.decision?.by, LINA.email, 'the first click decides');
      assert.equal(after.stages[0]?.decision?.outcome, 'approved');
      assert.ok(after.currentStage >= 1, 'the order moved on to the quote');
      const events = await flushedAudit(order.id);
      assert.equal(events.filter((e) => e.type === 'decided').length, 1);
    });

    it('lets Lina approve from her first card after Mona added a note, and still refuses that card once decided, with the refreshed card', async () => {
      // Submitted with the form's button, as Mona would: the app delivers Lina's card at once.
      for (const user of [LINA, INGRID]) await opensAnsvar(user);
      const formId = randomUUID();
      const { systemId, fields } = MONA_ASKS_FOR_RAINDANCE;
      const form = await sample.click(MONA, 'request.submit', { systemId, formId, ...fields });
      assert.equal(form.status, 200);
      const submitted = (await requests.get(formId))!;
      assert.ok(submitted, 'the request is stored');
      const approve = await firstButton(LINA, submitted.id, 'request.approve');
      assert.equal(approve.data.version, submitted.version, 'Lina’s first card shows the submitted version');
      const note = await click(MONA, 'request.note', submitted, {
        noteText: 'Jag behöver det före bokslutet',
      });
      assert.equal(note.status, 200);
      const noted = (await requests.get(submitted.id))!;
      assert.equal(noted.version, submitted.version + 1);
      assert.equal(noted.notes?.length, 1);

      const byLina = await sample.click(LINA, approve.verb, approve.data);
      assert.equal(byLina.status, 200);
      answerCard(byLina);
      const decided = (await requests.get(submitted.id))!;
      assert.equal(decided.version, noted.version + 1, 'decided on the current version');
      assert.equal(decided.currentStage, 1);
      assert.equal(decided.stages[0]?.decision?.by, LINA.email);

      // A note after the decision does not make the first card current again.
      const later = await click(MONA, 'request.note', decided, { noteText: 'Tack Lina' });
      assert.equal(later.status, 200);
      const current = (await requests.get(submitted.id))!;
      assert.equal(current.version, decided.version + 1);
      const outboxBefore = outboxWritten.length;
      const again = await sample.click(LINA, approve.verb, approve.data);
      assert.equal(again.status, 200);
      const refreshed = answerCard(again);
      assert.ok(
        JSON.stringify(refreshed).includes('Redan godkänd av Lina Axelsson'),
        'answered with who decided',
      );
      const noteButton = executeActions(refreshed).find((a) => a.verb === 'request.note');
      assert.equal(
        noteButton?.data.version,
        current.version,
        'the refreshed card carries the current version',
      );
      assert.ok(
        !executeActions(refreshed).some((a) => a.verb === 'request.approve'),
        'no approve button any more',
      );
      assert.deepEqual(await requests.get(submitted.id), current, 'nothing changed');
      assert.equal(outboxWritten.length, outboxBefore, 'nobody is notified');
      const events = await flushedAudit(submitted.id);
      assert.equal(events.filter((e) => e.type === 'decided').length, 1);
    });

    it('tells Mona whom to contact when Ingrid, who never opened Ansvar, cannot be sent her decide card', async () => {
      const submitted = await monaAsksForRaindance([MONA, LINA]);
      const byLina = await click(LINA, 'request.approve', submitted);
      assert.equal(byLina.status, 200);

      const note =
        'Ingrid Sundberg kunde inte nås i Teams (har inte öppnat Ansvar). Kontakta personen direkt: ingrid.sundberg@storsjo.example';
      const monasChat = `a:personal-${MONA.aadObjectId}`;
      const card = await until(async () => {
        const sent = connector.calls.filter(
          (c) => c.conversationId === monasChat && (c.kind === 'send' || c.kind === 'reply'),
        );
        return sent
          .map((c) => (c.body.attachments as { content: unknown }[] | undefined)?.[0]?.content)
          .find((content) => JSON.stringify(content ?? null).includes(note));
      }, 'Mona’s card with the note');
      const json = JSON.stringify(card);
      assert.ok(json.includes(JSON.stringify({ type: 'TextRun', text: note })), 'the note is a TextRun');
      assert.ok(
        json.includes('https://teams.microsoft.com/l/chat/0/0?users=ingrid.sundberg%40storsjo.example'),
        'with a Teams chat link',
      );
      assert.ok(!json.includes('${'), "!json.includes('${')");

      await until(async () => ((await requests.pendingOutbox()).length === 0 ? true : undefined), 'delivery');
      const stored = (await requests.get(submitted.id))!;
      assert.deepEqual(
        stored.unreachable?.map((u) => [u.personId, u.reason]),
        [[INGRID.email, 'noConversation']],
      );
      assert.equal(stored.currentStage, 1, 'still waiting for Ingrid');
      const events = await flushedAudit(submitted.id);
      assert.deepEqual(
        events.filter((e) => e.type === 'recipient_unreachable').map((e) => [e.details?.personId, e.reason]),
        [[INGRID.email, 'noConversation']],
      );
      assert.ok(
        events.some(
          (e) =>
            e.type === 'delivery_failed' &&
            e.details?.recipientId === INGRID.email &&
            e.details?.purpose === 'decide',
        ),
        "events.some( (e) => e.type === 'delivery_failed' && e.details?.recipientId ==...",
      );
      assert.equal(
        connector.calls.filter((c) => c.conversationId === `a:personal-${INGRID.aadObjectId}`).length,
        0,
        'nothing reaches Ingrid',
      );
    });
  });
