import assert from 'node:assert/strict';
import { z } from 'zod';
import { accessKind } from '../../../services/requests/accessKind.js';
import { choice, defineKind, kindRegistry, text } from '../../../services/requests/kinds.js';
import { PolicySet } from '../../../services/requests/policy.js';
import { buildAssignment } from '../../fixtures/registerBuilder.js';
import { accessScenario, buildHarness, P, shippedPolicy, summary, TANUM } from './requestFixtures.js';

/**
 * A kind the product does not have – a door key card – defined here from data and test code alone, to show that a
 * new kind needs no engine change: no system, approved by an IT coordinator, carried out by the IT unit, urgent
 * when the card was lost.
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
  defaultRoute: {
    stages: [{ name: 'coordinator', role: 'it_coordinator' }],
    task: { name: 'issue_card', role: 'it_unit', fallback: ['it_coordinator'] },
  },
  urgent: (fields) => fields.reason === 'lost',
});

describe('a third request kind defined in data', () => {
  it('runs through submit, decision and task with the engine unchanged', async () => {
    const kinds = kindRegistry(accessKind, keyCardKind);
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
      request.stages.map((s) => s.approverIds),
      [[P.lisaStrand.id]],
    );
    assert.deepEqual(summary(await h.requests.pendingOutbox()), [
      `decide ${P.lisaStrand.id}`,
      `info ${P.idaSjo.id}`,
    ]);

    const approved = await h.engine.decide({
      requestId: request.id,
      version: request.version,
      actorId: P.lisaStrand.id,
      outcome: 'approved',
    });
    assert.deepEqual(approved.request.task?.assigneeIds, [P.perNystrom.id]);
    const done = await h.engine.completeTask({
      requestId: request.id,
      version: approved.request.version,
      actorId: P.perNystrom.id,
      outcome: 'done',
    });
    assert.equal(done.request.status, 'done');
  });
});
