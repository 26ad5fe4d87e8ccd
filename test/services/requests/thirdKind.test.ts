import assert from 'node:assert/strict';
import { z } from 'zod';
import { choice, defineKind, kindRegistry, text } from '../../../services/requests/kinds.js';
import { PolicySet } from '../../../services/requests/policy.js';
import { buildAssignment } from '../../../fakes/registerBuilder.js';
import {
  accessScenario,
  buildHarness,
  P,
  shippedKinds,
  shippedPolicy,
  summary,
  TANUM,
} from './requestFixtures.js';

/**
 * A kind the product does not have – a door key card – defined here from data and test code alone, to show that a
 * new kind needs no engine change: no system, approved by an IT coordinator, then two work steps by the IT unit
 * (issue the card, recording its number; hand it over), urgent when the card was lost.
 */
const keyCardKind = defineKind({
  kind: 'key_card',
  system: 'none',
  options: z.object({}).strict(),
  fields: () =>
    z
      .object({
        building: text(100),
        reason: choice(['new', 'lost', 'broken']),
      })
      .strict(),
  steps: {
    issue_card: { record: () => z.object({ cardNumber: text(20).pipe(z.string().regex(/^\d{6}$/)) }) },
  },
  defaultRoute: {
    stages: [
      { name: 'coordinator', role: 'it_coordinator' },
      { name: 'issue_card', type: 'work', role: 'it_unit', fallback: ['it_coordinator'] },
    ],
    task: { name: 'hand_over', role: 'it_unit', fallback: ['it_coordinator'] },
  },
  urgent: (fields) => fields.reason === 'lost',
});

describe('a third request kind defined in data', () => {
  it('runs through submit, a decision and two work steps (one recording a value) with the engine unchanged', async () => {
    const kinds = kindRegistry(...shippedKinds().values(), keyCardKind);
    const register = accessScenario({
      roleAssignments: [
        buildAssignment({
          role: 'it_unit',
          personId: P.perNystrom.id,
          organisationId: TANUM.id,
          systemId: undefined,
        }),
      ],
    });
    const policies = PolicySet.from(kinds, [shippedPolicy('default.json')]);
    const h = buildHarness({ register, kinds, policies });

    await assert.rejects(
      h.engine.submit({
        kind: 'key_card',
        requesterId: P.idaSjo.id,
        fields: { building: 'Kommunhuset', reason: 'stolen' },
      }),
      (error: unknown) => {
        assert.deepEqual((error as { details?: unknown }).details, [
          { field: 'reason', problem: 'invalidChoice' },
        ]);
        return true;
      },
    );
    const { request } = await h.engine.submit({
      kind: 'key_card',
      requesterId: P.idaSjo.id,
      fields: { building: 'Kommunhuset', reason: 'lost' },
    });
    assert.equal(request.kind, 'key_card');
    assert.equal(request.organisationId, TANUM.id);
    assert.equal(request.urgent, true);
    assert.equal(request.systemId, undefined);
    assert.deepEqual(
      request.stages.map((s) => [s.name, s.type, s.approverIds]),
      [
        ['coordinator', 'decision', [P.lisaStrand.id]],
        ['issue_card', 'work', [P.perNystrom.id]],
        ['hand_over', 'work', [P.perNystrom.id]],
      ],
    );
    assert.deepEqual(summary(await h.requests.pendingOutbox()), [`decide ${P.lisaStrand.id}`]);

    const approved = await h.engine.decide({
      requestId: request.id,
      version: request.version,
      actorId: P.lisaStrand.id,
      outcome: 'approved',
    });
    assert.ok(
      summary(await h.requests.pendingOutbox()).includes(`task ${P.perNystrom.id}`),
      'the IT unit is sent a work card',
    );
    await assert.rejects(
      h.engine.completeStep({
        requestId: request.id,
        version: approved.request.version,
        actorId: P.perNystrom.id,
        outcome: 'done',
        values: { cardNumber: 'A12' },
      }),
      (error: unknown) => {
        assert.deepEqual((error as { details?: unknown }).details, [
          { field: 'cardNumber', problem: 'invalid' },
        ]);
        return true;
      },
    );
    const issued = await h.engine.completeStep({
      requestId: request.id,
      version: approved.request.version,
      actorId: P.perNystrom.id,
      outcome: 'done',
      values: { cardNumber: '004211' },
    });
    assert.equal(issued.changed, true);
    assert.deepEqual(issued.request.stages[1]?.values, { cardNumber: '004211' });
    assert.equal(issued.request.status, 'open');
    const handedOver = await h.engine.completeStep({
      requestId: request.id,
      version: issued.request.version,
      actorId: P.perNystrom.id,
      outcome: 'done',
    });
    assert.equal(handedOver.request.status, 'done');
  });
});
