import assert from 'node:assert/strict';
import type { WorkRequest } from '../../../data/requestModel.js';
import { isAnsvarError } from '../../../core/errors.js';
import type { FieldProblem } from '../../../services/requests/kinds.js';
import { holds } from '../../fixtures/registerScenario.js';
import {
  accessRequest,
  accessScenario,
  buildHarness,
  newOutbox,
  NOW,
  P,
  summary,
  SYSTEMS,
  VALID_ACCESS_FIELDS,
  type Harness,
} from './requestFixtures.js';

/** Submitted by Ida for herself in Tanum: manager Karl, then administrator Erik; task Erik + deputy Sara. */
async function submitted(h: Harness = buildHarness()): Promise<Harness & { request: WorkRequest }> {
  const { request } = await h.engine.submit(accessRequest());
  return { ...h, request };
}

/**
 * Ida's request once Karl approved it: Procapita has two administrators here (Erik and Göran), so the
 * administrator step waits for either; both got their card at `atAdministrators.version`.
 */
async function atTwoAdministrators(): Promise<
  Harness & { request: WorkRequest; atAdministrators: WorkRequest }
> {
  const h = buildHarness({
    register: accessScenario({ roleAssignments: [holds('administrator', P.goranWestin, SYSTEMS.procapita)] }),
  });
  const { request } = await h.engine.submit(accessRequest());
  const byKarl = await h.engine.decide({
    requestId: request.id,
    version: request.version,
    actorId: P.karlStrom.id,
    outcome: 'approved',
  });
  assert.ok(byKarl.changed, 'Karl approves');
  assert.deepEqual(byKarl.request.stages[1]?.approverIds, [P.erikLund.id, P.goranWestin.id]);
  return { ...h, request, atAdministrators: byKarl.request };
}

function isCode(code: string, problems?: FieldProblem[]) {
  return (error: unknown) => {
    assert.ok(isAnsvarError(error), String(error));
    assert.equal(error.code, code);
    if (problems) assert.deepEqual(error.details, problems);
    return true;
  };
}

describe('request engine', () => {
  describe('submit', () => {
    const invalid: { name: string; fields: Record<string, unknown>; problems: FieldProblem[] }[] = [
      {
        name: 'a new access without justification',
        fields: { ...VALID_ACCESS_FIELDS, justification: '  ' },
        problems: [{ field: 'justification', problem: 'required' }],
      },
      {
        name: 'an end date before the start date',
        fields: { ...VALID_ACCESS_FIELDS, endDate: '2026-06-01' },
        problems: [{ field: 'endDate', problem: 'endBeforeStart' }],
      },
      {
        name: 'no policy confirmation where the organisation requires it',
        fields: { ...VALID_ACCESS_FIELDS, policyConfirmed: 'false' },
        problems: [{ field: 'policyConfirmed', problem: 'mustConfirm' }],
      },
      {
        name: 'an unknown change and a malformed date',
        fields: { ...VALID_ACCESS_FIELDS, change: 'delete', startDate: '15/6/2026' },
        problems: [
          { field: 'change', problem: 'invalidChoice' },
          { field: 'startDate', problem: 'invalidDate' },
        ],
      },
    ];
    for (const c of invalid) {
      it(`refuses ${c.name} with per-field problems and stores nothing`, async () => {
        const h = buildHarness();
        await assert.rejects(
          h.engine.submit(accessRequest({ fields: c.fields })),
          isCode('InvalidInput', c.problems),
        );
        assert.deepEqual(await h.requests.list({}), []);
        assert.deepEqual(await h.requests.pendingOutbox(), []);
        assert.deepEqual(await h.requests.pendingAudit(), []);
      });
    }

    it('refuses an access request without a system, and one for a system the register does not hold', async () => {
      const h = buildHarness();
      await assert.rejects(
        h.engine.submit(accessRequest({ systemId: undefined })),
        isCode('InvalidInput', [{ field: 'system', problem: 'required' }]),
      );
      await assert.rejects(
        h.engine.submit(accessRequest({ systemId: 'tanum-kommun/nope' })),
        isCode('UnknownSystem'),
      );
      assert.deepEqual(await h.requests.list({}), []);
    });

    it('accepts a stop without justification or policy confirmation, and marks it urgent', async () => {
      const { engine } = buildHarness();
      const { request } = await engine.submit(
        accessRequest({ fields: { change: 'stop', startDate: '2026-06-02', justification: '', role: '' } }),
      );
      assert.equal(request.urgent, true);
      assert.deepEqual(request.fields, {
        change: 'stop',
        role: null,
        justification: null,
        startDate: '2026-06-02',
        endDate: null,
        policyConfirmed: false,
      });
    });

    it('sends a decide card to the first stage’s approvers and tells the subject, not the requester again', async () => {
      const h = buildHarness();
      await h.engine.submit(accessRequest({ requesterId: P.annaBerg.id, subjectId: P.idaSjo.id }));
      // The requester sees the request card in the answer to their submit.
      assert.deepEqual(summary(await h.requests.pendingOutbox()), [
        `decide ${P.karlStrom.id}`,
        `info ${P.idaSjo.id}`,
      ]);
      const own = buildHarness();
      await own.engine.submit(accessRequest());
      assert.deepEqual(summary(await own.requests.pendingOutbox()), [`decide ${P.karlStrom.id}`]);
      const audit = await h.requests.pendingAudit();
      assert.equal(audit[0]?.type, 'submitted');
      assert.equal(audit[0]?.actor, P.annaBerg.id);
      assert.equal(audit[0]?.onBehalfOf, P.idaSjo.id);
    });

    it('returns the first request when the same submission arrives twice', async () => {
      const h = buildHarness();
      const first = await h.engine.submit(accessRequest({ requestId: 'card-1' }));
      const second = await h.engine.submit(accessRequest({ requestId: 'card-1' }));
      assert.equal(first.created, true);
      assert.equal(second.created, false);
      assert.equal((await h.requests.list({})).length, 1);
    });
  });

  describe('decide', () => {
    it('advances to the next stage on approval: new approvers get a card, earlier copies are updated, requester told', async () => {
      const h = await submitted();
      const before = await h.requests.pendingOutbox();
      const result = await h.engine.decide({
        requestId: h.request.id,
        version: h.request.version,
        actorId: P.karlStrom.id,
        outcome: 'approved',
      });
      assert.equal(result.changed, true);
      assert.equal(result.request.currentStage, 1);
      assert.equal(result.request.version, h.request.version + 1);
      assert.deepEqual(result.request.stages[0]?.decision, {
        outcome: 'approved',
        by: P.karlStrom.id,
        at: '2026-06-01T10:00:00.000Z',
      });
      assert.deepEqual(summary(await newOutbox(h.requests, before)), [
        `decide ${P.erikLund.id}`,
        `info ${P.idaSjo.id}`,
        `update ${P.karlStrom.id}`,
      ]);
    });

    const refused: { name: string; actor: string }[] = [
      { name: 'the requester', actor: P.idaSjo.id },
      { name: 'someone who is not an approver', actor: P.maliHolm.id },
      { name: 'an approver of a later stage', actor: P.erikLund.id },
    ];
    for (const c of refused) {
      it(`refuses a decision from ${c.name} and leaves the request unchanged`, async () => {
        const h = await submitted();
        const outbox = await h.requests.pendingOutbox();
        await assert.rejects(
          h.engine.decide({
            requestId: h.request.id,
            version: h.request.version,
            actorId: c.actor,
            outcome: 'approved',
          }),
          isCode('NotAnApprover'),
        );
        assert.deepEqual(await h.requests.get(h.request.id), h.request);
        assert.deepEqual(await h.requests.pendingOutbox(), outbox);
      });
    }

    it('refuses a decision from the subject when someone else asked for them', async () => {
      const h = buildHarness();
      const { request } = await h.engine.submit(
        accessRequest({ requesterId: P.annaBerg.id, subjectId: P.idaSjo.id }),
      );
      await assert.rejects(
        h.engine.decide({
          requestId: request.id,
          version: request.version,
          actorId: P.idaSjo.id,
          outcome: 'approved',
        }),
        isCode('NotAnApprover'),
      );
      assert.deepEqual(await h.requests.get(request.id), request);
    });

    it('refuses the requester and the subject even where a stored route names them as approvers', async () => {
      const h = await submitted();
      const tampered: WorkRequest = structuredClone(h.request);
      tampered.id = 'tampered';
      tampered.subjectId = P.saraEk.id;
      tampered.stages[0]!.approverIds = [P.idaSjo.id, P.saraEk.id, P.karlStrom.id];
      await h.requests.create(tampered);
      for (const actorId of [P.idaSjo.id, P.saraEk.id]) {
        await assert.rejects(
          h.engine.decide({ requestId: 'tampered', version: tampered.version, actorId, outcome: 'approved' }),
          isCode('NotAnApprover'),
        );
      }
      assert.deepEqual(await h.requests.get('tampered'), tampered);
    });

    for (const reason of [undefined, '', '   ']) {
      it(`refuses a rejection without a reason (${JSON.stringify(reason)}) and leaves the request unchanged`, async () => {
        const h = await submitted();
        await assert.rejects(
          h.engine.decide({
            requestId: h.request.id,
            version: h.request.version,
            actorId: P.karlStrom.id,
            outcome: 'rejected',
            ...(reason === undefined ? {} : { reason }),
          }),
          isCode('InvalidInput', [{ field: 'reason', problem: 'required' }]),
        );
        assert.deepEqual(await h.requests.get(h.request.id), h.request);
      });
    }

    it('closes the request on a rejection with a reason and updates every copy', async () => {
      const h = await submitted();
      const before = await h.requests.pendingOutbox();
      const result = await h.engine.decide({
        requestId: h.request.id,
        version: h.request.version,
        actorId: P.karlStrom.id,
        outcome: 'rejected',
        reason: 'Fel system',
      });
      assert.equal(result.request.status, 'rejected');
      assert.equal(result.request.stages[0]?.decision?.reason, 'Fel system');
      assert.deepEqual(summary(await newOutbox(h.requests, before)), [
        `info ${P.idaSjo.id}`,
        `update ${P.karlStrom.id}`,
      ]);
    });

    it('answers a repeated click with the current state, saying who decided when, and changes nothing', async () => {
      const h = await submitted();
      const click = {
        requestId: h.request.id,
        version: h.request.version,
        actorId: P.karlStrom.id,
        outcome: 'approved' as const,
      };
      const first = await h.engine.decide(click);
      const outbox = await h.requests.pendingOutbox();
      const again = await h.engine.decide(click);
      assert.equal(again.changed, false);
      assert.deepEqual(again.request, first.request);
      assert.ok(!again.changed, '!again.changed');
      assert.equal(again.why, 'stale');
      assert.deepEqual(again.last, {
        action: 'approved',
        by: P.karlStrom.id,
        at: '2026-06-01T10:00:00.000Z',
        stage: 'manager',
      });
      assert.deepEqual(await h.requests.pendingOutbox(), outbox);
    });

    it('does not approve a cancelled request: the click returns the cancelled state', async () => {
      const h = await submitted();
      const cancelled = await h.engine.cancel({
        requestId: h.request.id,
        version: h.request.version,
        actorId: P.idaSjo.id,
      });
      assert.equal(cancelled.request.status, 'cancelled');
      const late = await h.engine.decide({
        requestId: h.request.id,
        version: h.request.version,
        actorId: P.karlStrom.id,
        outcome: 'approved',
      });
      assert.ok(!late.changed, '!late.changed');
      assert.equal(late.why, 'closed');
      assert.equal(late.last?.action, 'cancelled');
      const stored = await h.requests.get(h.request.id);
      assert.equal(stored?.status, 'cancelled');
      assert.equal(stored?.stages[0]?.decision, undefined);
    });

    it('settles 50 concurrent approvals with exactly one decision and one set of notifications', async () => {
      const h = await submitted();
      const before = await h.requests.pendingOutbox();
      const auditBefore = (await h.requests.pendingAudit()).length;
      const results = await Promise.all(
        Array.from({ length: 50 }, () =>
          h.engine.decide({
            requestId: h.request.id,
            version: h.request.version,
            actorId: P.karlStrom.id,
            outcome: 'approved',
          }),
        ),
      );
      assert.equal(results.filter((r) => r.changed).length, 1);
      const stored = await h.requests.get(h.request.id);
      assert.equal(stored?.version, h.request.version + 1);
      assert.ok(
        results.every((r) => r.request.version === stored?.version),
        'results.every((r) => r.request.version === stored?.version)',
      );
      assert.deepEqual(summary(await newOutbox(h.requests, before)), [
        `decide ${P.erikLund.id}`,
        `info ${P.idaSjo.id}`,
        `update ${P.karlStrom.id}`,
      ]);
      const decided = (await h.requests.pendingAudit())
        .slice(auditBefore)
        .filter((e) => e.type === 'decided');
      assert.equal(decided.length, 1);
    });
  });

  describe('cancel', () => {
    it('refuses a cancel from anyone but the requester', async () => {
      const h = await submitted();
      await assert.rejects(
        h.engine.cancel({ requestId: h.request.id, version: h.request.version, actorId: P.karlStrom.id }),
        isCode('NotAnApprover'),
      );
      assert.equal((await h.requests.get(h.request.id))?.status, 'open');
    });

    it('lets the requester cancel an open request and updates the approvers’ cards', async () => {
      const h = await submitted();
      const before = await h.requests.pendingOutbox();
      const result = await h.engine.cancel({
        requestId: h.request.id,
        version: h.request.version,
        actorId: P.idaSjo.id,
      });
      assert.equal(result.request.status, 'cancelled');
      assert.equal(result.request.cancelledBy, P.idaSjo.id);
      assert.deepEqual(summary(await newOutbox(h.requests, before)), [
        `info ${P.idaSjo.id}`,
        `update ${P.karlStrom.id}`,
      ]);
    });
  });

  describe('the whole flow', () => {
    it('runs submit → manager → administrator → task done, telling requester and subject at the end', async () => {
      const h = buildHarness();
      const { request } = await h.engine.submit(
        accessRequest({ requesterId: P.annaBerg.id, subjectId: P.idaSjo.id }),
      );
      const manager = await h.engine.decide({
        requestId: request.id,
        version: request.version,
        actorId: P.karlStrom.id,
        outcome: 'approved',
      });
      const beforeTask = await h.requests.pendingOutbox();
      const administrator = await h.engine.decide({
        requestId: request.id,
        version: manager.request.version,
        actorId: P.erikLund.id,
        outcome: 'approved',
      });
      assert.equal(administrator.request.status, 'open');
      assert.equal(administrator.request.currentStage, 2);
      assert.deepEqual(summary(await newOutbox(h.requests, beforeTask)), [
        `info ${P.annaBerg.id}`,
        `info ${P.idaSjo.id}`,
        `task ${P.erikLund.id}`,
        `task ${P.saraEk.id}`,
        `update ${P.erikLund.id}`,
        `update ${P.karlStrom.id}`,
      ]);
      assert.deepEqual(
        (await h.engine.listAwaiting(P.saraEk.id)).map((r) => r.id),
        [request.id],
      );

      await assert.rejects(
        h.engine.completeStep({
          requestId: request.id,
          version: administrator.request.version,
          actorId: P.karlStrom.id,
          outcome: 'done',
        }),
        isCode('NotAnApprover'),
      );
      await assert.rejects(
        h.engine.completeStep({
          requestId: request.id,
          version: administrator.request.version,
          actorId: P.saraEk.id,
          outcome: 'failed',
        }),
        isCode('InvalidInput', [{ field: 'note', problem: 'required' }]),
      );
      const beforeDone = await h.requests.pendingOutbox();
      const done = await h.engine.completeStep({
        requestId: request.id,
        version: administrator.request.version,
        actorId: P.saraEk.id,
        outcome: 'done',
        note: 'Behörighet tilldelad',
      });
      assert.equal(done.request.status, 'done');
      assert.deepEqual(done.request.stages.at(-1), {
        name: 'carry_out',
        type: 'work',
        role: 'system_administrator',
        approverIds: [P.erikLund.id, P.saraEk.id],
        skipped: [],
        decision: {
          outcome: 'done',
          by: P.saraEk.id,
          at: '2026-06-01T10:00:00.000Z',
          reason: 'Behörighet tilldelad',
        },
      });
      assert.deepEqual(summary(await newOutbox(h.requests, beforeDone)), [
        `info ${P.annaBerg.id}`,
        `info ${P.idaSjo.id}`,
        `update ${P.erikLund.id}`,
        `update ${P.karlStrom.id}`,
        `update ${P.saraEk.id}`,
      ]);
      const types = (await h.requests.pendingAudit()).map((e) => e.type);
      assert.deepEqual(
        types.filter((t) => t !== 'routed' && t !== 'skipped_holder'),
        ['submitted', 'decided', 'decided', 'carried_out'],
      );
      assert.deepEqual(await h.engine.listAwaiting(P.saraEk.id), []);
      assert.deepEqual(
        (await h.engine.listMine(P.idaSjo.id)).map((r) => r.status),
        ['done'],
      );
      assert.deepEqual(
        (await h.engine.listMine(P.annaBerg.id)).map((r) => r.id),
        [request.id],
      );
    });

    it('lists what waits for an approver of the current stage only', async () => {
      const h = await submitted();
      assert.deepEqual(
        (await h.engine.listAwaiting(P.karlStrom.id)).map((r) => r.id),
        [h.request.id],
      );
      assert.deepEqual(await h.engine.listAwaiting(P.erikLund.id), []);
    });

    it('routes Fjordvik requests through the IKT-bestillar and the fagsystemansvarleg to done', async () => {
      const h = buildHarness();
      const { request } = await h.engine.submit(
        accessRequest({
          requesterId: P.astridKleppe.id,
          systemId: SYSTEMS.fjordvikProcapita.id,
          fields: { ...VALID_ACCESS_FIELDS, policyConfirmed: '' },
        }),
      );
      const a = await h.engine.decide({
        requestId: request.id,
        version: request.version,
        actorId: P.kariBjorlo.id,
        outcome: 'approved',
      });
      const b = await h.engine.decide({
        requestId: request.id,
        version: a.request.version,
        actorId: P.olaNordmann.id,
        outcome: 'approved',
      });
      const done = await h.engine.completeStep({
        requestId: request.id,
        version: b.request.version,
        actorId: P.olaNordmann.id,
        outcome: 'done',
      });
      assert.equal(done.request.status, 'done');
    });
  });

  describe('stale cards: judged by what the card decides on, not by every change', () => {
    it('lets Erik decide from his first card after Göran, the other administrator, was noted unreachable', async () => {
      const h = await atTwoAdministrators();
      const noted = await h.engine.noteUnreachable({
        requestId: h.request.id,
        personId: P.goranWestin.id,
        reason: 'noConversation',
      });
      assert.ok(noted.changed, 'the note is written');
      assert.equal(noted.request.version, h.atAdministrators.version + 1);
      assert.equal(
        noted.request.decisionVersion,
        h.atAdministrators.version,
        'a note leaves decisionVersion',
      );

      const byErik = await h.engine.decide({
        requestId: h.request.id,
        version: h.atAdministrators.version,
        actorId: P.erikLund.id,
        outcome: 'approved',
      });

      assert.ok(byErik.changed, 'the click on the first card decides');
      const stored = (await h.requests.get(h.request.id))!;
      assert.equal(stored.version, noted.request.version + 1, 'written on the current version');
      assert.equal(stored.decisionVersion, stored.version);
      assert.equal(stored.stages[1]?.decision?.by, P.erikLund.id);
      assert.deepEqual(
        stored.unreachable?.map((u) => u.personId),
        [P.goranWestin.id],
      );
    });

    it('lets Karl decide from his first card after Ida added a note, and writes both', async () => {
      const h = await submitted();
      const note = await h.engine.addNote({
        requestId: h.request.id,
        version: h.request.version,
        actorId: P.idaSjo.id,
        text: 'Jag börjar den 15 juni',
      });
      assert.ok(note.changed, 'the note is written');

      const byKarl = await h.engine.decide({
        requestId: h.request.id,
        version: h.request.version,
        actorId: P.karlStrom.id,
        outcome: 'approved',
      });

      assert.ok(byKarl.changed, 'the click on the first card decides');
      const stored = (await h.requests.get(h.request.id))!;
      assert.equal(stored.version, h.request.version + 2);
      assert.equal(stored.currentStage, 1);
      assert.deepEqual(
        stored.notes?.map((n) => n.text),
        ['Jag börjar den 15 juni'],
      );
    });

    it('lets Ida cancel from her first card after a note', async () => {
      const h = await submitted();
      await h.engine.addNote({
        requestId: h.request.id,
        version: h.request.version,
        actorId: P.karlStrom.id,
        text: 'Vilken roll behövs?',
      });
      const cancelled = await h.engine.cancel({
        requestId: h.request.id,
        version: h.request.version,
        actorId: P.idaSjo.id,
      });
      assert.ok(cancelled.changed, 'cancelled');
      assert.equal(cancelled.request.status, 'cancelled');
    });

    it('still refuses a card from before a decision when a note came after it: the refreshed state, nothing written', async () => {
      const h = await submitted();
      const first = { requestId: h.request.id, version: h.request.version, actorId: P.karlStrom.id };
      await h.engine.addNote({ ...first, actorId: P.idaSjo.id, text: 'Brådskande' });
      const decided = await h.engine.decide({ ...first, outcome: 'approved' });
      assert.ok(decided.changed, 'Karl approves');
      await h.engine.addNote({ ...first, actorId: P.idaSjo.id, text: 'Tack!' });
      const outbox = await h.requests.pendingOutbox();
      const audit = await h.requests.pendingAudit();
      const before = (await h.requests.get(h.request.id))!;

      for (const version of [h.request.version, h.request.version + 1]) {
        const again = await h.engine.decide({ ...first, version, outcome: 'rejected', reason: 'Fel' });
        assert.ok(!again.changed, `the card of version ${version} is stale`);
        assert.equal(again.why, 'stale');
        assert.deepEqual(again.request, before, 'answered with the current request');
        assert.equal(again.last?.action, 'approved');
      }
      assert.deepEqual(await h.requests.get(h.request.id), before);
      assert.deepEqual(await h.requests.pendingOutbox(), outbox);
      assert.deepEqual(await h.requests.pendingAudit(), audit);
    });

    it('refuses a card from before an escalation (the step’s people changed) and one of a version the request never had', async () => {
      const h = await atTwoAdministrators();
      const escalated = await h.engine.escalate({
        requestId: h.request.id,
        stage: 1,
        level: 1,
        afterWorkingDays: 3,
      });
      assert.ok(escalated.changed, 'the deputy is added');
      assert.ok(
        escalated.request.stages[1]?.approverIds.includes(P.saraEk.id),
        'Sara is among the step’s people',
      );
      for (const version of [h.atAdministrators.version, escalated.request.version + 1]) {
        const click = await h.engine.decide({
          requestId: h.request.id,
          version,
          actorId: P.erikLund.id,
          outcome: 'approved',
        });
        assert.ok(!click.changed, `version ${version} is stale`);
        assert.equal(click.why, 'stale');
      }
      const current = await h.engine.decide({
        requestId: h.request.id,
        version: escalated.request.version,
        actorId: P.erikLund.id,
        outcome: 'approved',
      });
      assert.ok(current.changed, 'the refreshed card decides');
    });

    it('makes a click again when a note won its compare-and-set, and decides once', async () => {
      const h = await submitted();
      const original = h.requests.update.bind(h.requests);
      let raced = 0;
      h.requests.update = async (next, expectedVersion, effects) => {
        if (raced === 0 && next.stages[0]?.decision) {
          raced += 1;
          // Göran's card could not be delivered, noted between the click's read and its write.
          await h.engine.addNote({
            requestId: next.id,
            version: expectedVersion,
            actorId: P.idaSjo.id,
            text: 'Noterat under klicket',
          });
        }
        return original(next, expectedVersion, effects);
      };
      const auditBefore = (await h.requests.pendingAudit()).length;
      const result = await h.engine.decide({
        requestId: h.request.id,
        version: h.request.version,
        actorId: P.karlStrom.id,
        outcome: 'approved',
      });
      assert.equal(raced, 1, 'the note raced the click');
      assert.ok(result.changed, 'the click decides on its second compare-and-set');
      const stored = (await h.requests.get(h.request.id))!;
      assert.equal(stored.version, h.request.version + 2);
      assert.equal(stored.notes?.length, 1);
      assert.equal(stored.stages[0]?.decision?.by, P.karlStrom.id);
      const decided = (await h.requests.pendingAudit())
        .slice(auditBefore)
        .filter((e) => e.type === 'decided');
      assert.equal(decided.length, 1);
    });

    it('settles Erik and Göran clicking at once after a note: one decision, the other answered stale', async () => {
      const h = await atTwoAdministrators();
      await h.engine.noteUnreachable({
        requestId: h.request.id,
        personId: P.goranWestin.id,
        reason: 'failed',
      });
      const auditBefore = (await h.requests.pendingAudit()).length;
      const clicks = await Promise.all(
        [P.erikLund.id, P.goranWestin.id, P.erikLund.id, P.goranWestin.id].map((actorId) =>
          h.engine.decide({
            requestId: h.request.id,
            version: h.atAdministrators.version,
            actorId,
            outcome: 'approved',
          }),
        ),
      );
      assert.equal(clicks.filter((c) => c.changed).length, 1);
      const stored = (await h.requests.get(h.request.id))!;
      assert.equal(stored.version, h.atAdministrators.version + 2);
      const decided = (await h.requests.pendingAudit())
        .slice(auditBefore)
        .filter((e) => e.type === 'decided');
      assert.equal(decided.length, 1);
    });

    it('counts every change of a request stored before decisionVersion existed', async () => {
      const h = await submitted();
      const legacy = structuredClone(h.request);
      delete legacy.decisionVersion;
      legacy.notes = [{ by: P.idaSjo.id, at: NOW.toISOString(), text: 'Gammal', version: 1 }];
      await h.requests.update(legacy, h.request.version);
      const first = { requestId: h.request.id, actorId: P.karlStrom.id, outcome: 'approved' as const };
      const stale = await h.engine.decide({ ...first, version: h.request.version });
      assert.ok(!stale.changed, 'a card from before the stored change is stale');
      await h.engine.addNote({
        requestId: h.request.id,
        version: h.request.version + 1,
        actorId: P.idaSjo.id,
        text: 'Ny',
      });
      const decided = await h.engine.decide({ ...first, version: h.request.version + 1 });
      assert.ok(decided.changed, 'a card of the last stored version survives a new note');
    });
  });

  describe('noteUnreachable', () => {
    it('records the note, audits it and tells the requester and the subject, in one change', async () => {
      const h = await submitted();
      const before = await h.requests.pendingOutbox();
      const auditBefore = (await h.requests.pendingAudit()).length;

      const result = await h.engine.noteUnreachable({
        requestId: h.request.id,
        personId: P.karlStrom.id.toUpperCase(),
        reason: 'noConversation',
      });

      assert.equal(result.changed, true);
      const stored = (await h.requests.get(h.request.id))!;
      assert.equal(stored.version, h.request.version + 1);
      assert.deepEqual(stored.unreachable, [
        { personId: P.karlStrom.id, reason: 'noConversation', at: NOW.toISOString() },
      ]);
      assert.deepEqual(result.request, stored);
      const added = await newOutbox(h.requests, before);
      assert.deepEqual(summary(added), [`info ${P.idaSjo.id}`, `update ${P.karlStrom.id}`]);
      assert.ok(
        added.every((i) => i.version === stored.version && i.requestId === stored.id),
        'added.every((i) => i.version === stored.version && i.requestId === stored.id)',
      );
      const audit = (await h.requests.pendingAudit()).slice(auditBefore);
      assert.deepEqual(
        audit.map((e) => [e.type, e.actor, e.requestId, e.reason, e.details?.personId]),
        [['recipient_unreachable', 'system', h.request.id, 'noConversation', P.karlStrom.id]],
      );
    });

    it('tells a requester who asked for someone else as well as the subject, and refreshes the card holders’ copies', async () => {
      const h = buildHarness();
      const { request } = await h.engine.submit(
        accessRequest({ requesterId: P.annaBerg.id, subjectId: P.idaSjo.id }),
      );
      const before = await h.requests.pendingOutbox();
      await h.engine.noteUnreachable({ requestId: request.id, personId: P.karlStrom.id, reason: 'blocked' });
      assert.deepEqual(summary(await newOutbox(h.requests, before)), [
        `info ${P.annaBerg.id}`,
        `info ${P.idaSjo.id}`,
        `update ${P.karlStrom.id}`,
      ]);
    });

    it('changes nothing the second time for the same person and reason, and records a new reason', async () => {
      const h = await submitted();
      const input = { requestId: h.request.id, personId: P.karlStrom.id, reason: 'noConversation' as const };
      await h.engine.noteUnreachable(input);
      const outbox = await h.requests.pendingOutbox();
      const audit = await h.requests.pendingAudit();
      const version = (await h.requests.get(h.request.id))!.version;

      const again = await h.engine.noteUnreachable(input);

      assert.equal(again.changed, false);
      assert.equal(again.request.version, version);
      assert.deepEqual(await h.requests.pendingOutbox(), outbox);
      assert.deepEqual(await h.requests.pendingAudit(), audit);
      const blocked = await h.engine.noteUnreachable({ ...input, reason: 'blocked' });
      assert.equal(blocked.changed, true);
      assert.deepEqual(
        blocked.request.unreachable?.map((u) => u.reason),
        ['noConversation', 'blocked'],
      );
    });

    it('writes one note when the same outcome is reported ten times at once (one compare-and-set wins)', async () => {
      const h = await submitted();
      const auditBefore = (await h.requests.pendingAudit()).length;
      const results = await Promise.all(
        Array.from({ length: 10 }, () =>
          h.engine.noteUnreachable({ requestId: h.request.id, personId: P.karlStrom.id, reason: 'failed' }),
        ),
      );
      assert.equal(results.filter((r) => r.changed).length, 1);
      const stored = (await h.requests.get(h.request.id))!;
      assert.equal(stored.version, h.request.version + 1);
      assert.equal(stored.unreachable?.length, 1);
      const audit = (await h.requests.pendingAudit()).slice(auditBefore);
      assert.equal(audit.filter((e) => e.type === 'recipient_unreachable').length, 1);
    });

    it('tries again on a lost compare-and-set and keeps both the change that won and the note', async () => {
      // The store lets another change (here: the request marked urgent) win just before the note's write.
      const h = await submitted();
      const original = h.requests.update.bind(h.requests);
      let raced = false;
      h.requests.update = async (next, expectedVersion, effects) => {
        if (!raced) {
          raced = true;
          const current = (await h.requests.get(next.id))!;
          await original({ ...current, urgent: true }, current.version);
        }
        return original(next, expectedVersion, effects);
      };
      const result = await h.engine.noteUnreachable({
        requestId: h.request.id,
        personId: P.karlStrom.id,
        reason: 'noConversation',
      });
      assert.equal(result.changed, true);
      const stored = (await h.requests.get(h.request.id))!;
      assert.equal(stored.version, h.request.version + 2);
      assert.equal(stored.urgent, true, 'the change that won is kept');
      assert.equal(stored.unreachable?.length, 1);
    });

    it('does nothing for someone who has nothing to do on the request now', async () => {
      const h = await submitted();
      const outbox = await h.requests.pendingOutbox();
      const audit = await h.requests.pendingAudit();
      for (const personId of [P.erikLund.id, P.idaSjo.id, P.goranWestin.id]) {
        const result = await h.engine.noteUnreachable({
          requestId: h.request.id,
          personId,
          reason: 'blocked',
        });
        assert.equal(result.changed, false, personId);
      }
      const decided = await h.engine.decide({
        requestId: h.request.id,
        version: h.request.version,
        actorId: P.karlStrom.id,
        outcome: 'approved',
      });
      const afterDecision = await h.requests.pendingOutbox();
      const late = await h.engine.noteUnreachable({
        requestId: h.request.id,
        personId: P.karlStrom.id,
        reason: 'noConversation',
      });
      assert.equal(late.changed, false, 'Karl has decided: nobody needs to contact him');
      assert.equal(late.request.version, decided.request.version);
      assert.deepEqual(await h.requests.pendingOutbox(), afterDecision);
      assert.ok(outbox.length > 0 && audit.length > 0, 'outbox.length > 0 && audit.length > 0');
    });

    it('notes several people in one change: one version, one message to the requester, an audit event each', async () => {
      const h = await submitted();
      const before = await h.requests.pendingOutbox();
      const auditBefore = (await h.requests.pendingAudit()).length;
      const result = await h.engine.noteUnreachableMany({
        requestId: h.request.id,
        people: [
          { personId: P.karlStrom.id, reason: 'noConversation' },
          { personId: P.karlStrom.id.toUpperCase(), reason: 'noConversation' },
          { personId: P.erikLund.id, reason: 'noConversation' },
          { personId: P.karlStrom.id, reason: 'blocked' },
        ],
      });
      assert.equal(result.changed, true);
      assert.equal(result.request.version, h.request.version + 1);
      assert.deepEqual(
        result.request.unreachable?.map((u) => [u.personId, u.reason]),
        [
          [P.karlStrom.id, 'noConversation'],
          [P.karlStrom.id, 'blocked'],
        ],
        'a duplicate or someone with nothing to do was noted',
      );
      assert.deepEqual(summary(await newOutbox(h.requests, before)), [
        `info ${P.idaSjo.id}`,
        `update ${P.karlStrom.id}`,
      ]);
      const audit = (await h.requests.pendingAudit()).slice(auditBefore);
      assert.deepEqual(
        audit.map((e) => [e.type, e.reason, e.details?.personId]),
        [
          ['recipient_unreachable', 'noConversation', P.karlStrom.id],
          ['recipient_unreachable', 'blocked', P.karlStrom.id],
        ],
      );
      const again = await h.engine.noteUnreachableMany({
        requestId: h.request.id,
        people: [{ personId: P.karlStrom.id, reason: 'blocked' }],
      });
      assert.equal(again.changed, false, 'the same note was made twice');
    });

    it('refuses an unknown request', async () => {
      const h = buildHarness();
      await assert.rejects(
        h.engine.noteUnreachable({ requestId: 'nope', personId: P.karlStrom.id, reason: 'failed' }),
        isCode('InvalidInput'),
      );
    });
  });
});
