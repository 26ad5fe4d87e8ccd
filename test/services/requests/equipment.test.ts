import assert from 'node:assert/strict';
import type { WorkRequest } from '../../../data/requestModel.js';
import { isAnsvarError } from '../../../core/errors.js';
import { accessKind } from '../../../services/requests/accessKind.js';
import type { TransitionResult } from '../../../services/requests/engine.js';
import { equipmentKind } from '../../../services/requests/equipmentKind.js';
import { kindRegistry } from '../../../services/requests/kinds.js';
import { projectCatalogues } from '../../fixtures/appServices.js';
import { buildAssignment, buildUnit } from '../../../fakes/registerBuilder.js';
import { person } from '../../fixtures/registerScenario.js';
import {
  accessScenario,
  buildHarness,
  FJORDVIK,
  HELSE_OG_OMSORG,
  newOutbox,
  P,
  summary,
  type Harness,
} from './requestFixtures.js';

/**
 * Equipment requests on the engine: the whole order flow in Fjordvik (an employee of Helse og omsorg, the unit's
 * IKT-bestillar, the IT unit), refusals by authorisation list and unit, steps out of order, races on every
 * transition, and the inventory written with the delivery.
 */

const OPPVEKST = 'fjordvik-kommune/oppvekst';
const E = {
  /** IKT-bestillar for Oppvekst only. */
  larsAsen: person(FJORDVIK, 'lars.asen', 'Lars Åsen', { department: 'Oppvekst' }),
  /** IT unit (IKT Vestfjord staff registered for Fjordvik). */
  vegardEikrem: person(FJORDVIK, 'vegard.eikrem', 'Vegard Eikrem'),
};

/** Lars Åsen as IKT-bestillar for these units of Fjordvik. */
function larsOrdersFor(unitIds: string[]) {
  return buildAssignment({
    role: 'it_orderer',
    personId: E.larsAsen.id,
    organisationId: FJORDVIK.id,
    systemId: undefined,
    unitIds,
  });
}

function harness(): Harness {
  const kinds = kindRegistry(accessKind, equipmentKind(projectCatalogues()));
  const register = accessScenario({
    units: [buildUnit({ id: OPPVEKST, organisationId: FJORDVIK.id, name: 'Oppvekst' })],
    people: Object.values(E),
    roleAssignments: [
      larsOrdersFor([OPPVEKST]),
      buildAssignment({
        role: 'it_unit',
        personId: E.vegardEikrem.id,
        organisationId: FJORDVIK.id,
        systemId: undefined,
      }),
    ],
  });
  return buildHarness({ register, kinds });
}

const FIELDS = {
  itemType: 'projector',
  model: 'epson-eb-l210w',
  quantity: '2',
  forWhom: 'Møterom Fjorden',
  location: 'Rådhuset, 2. etasje',
  justification: 'Møteromma manglar projektor',
  wantedBy: '2026-08-01',
};

async function submit(h: Harness, requesterId = P.astridKleppe.id, fields: Record<string, unknown> = FIELDS) {
  return h.engine.submit({ kind: 'equipment', requesterId, fields });
}

function expectChanged(result: TransitionResult): WorkRequest {
  assert.equal(result.changed, true, `expected a change, got ${JSON.stringify(result)}`);
  return result.request;
}

const refused = (code: string) => (error: unknown) => isAnsvarError(error, code as never);

/** Runs the flow from a fresh request up to (not including) the named step; returns the request there. */
async function upTo(h: Harness, step: string, requesterId = P.astridKleppe.id): Promise<WorkRequest> {
  let request = (await submit(h, requesterId)).request;
  const act: Record<string, (r: WorkRequest) => Promise<TransitionResult>> = {
    it_orderer: (r) =>
      h.engine.decide({ requestId: r.id, version: r.version, actorId: P.kariBjorlo.id, outcome: 'approved' }),
    quote: (r) =>
      h.engine.completeStep({
        requestId: r.id,
        version: r.version,
        actorId: E.vegardEikrem.id,
        outcome: 'done',
        values: { cost: '9 800,50', delivery: '2 veker' },
      }),
    accept_quote: (r) =>
      h.engine.decide({ requestId: r.id, version: r.version, actorId: P.kariBjorlo.id, outcome: 'approved' }),
    order: (r) =>
      h.engine.completeStep({
        requestId: r.id,
        version: r.version,
        actorId: E.vegardEikrem.id,
        outcome: 'done',
      }),
    deliver: (r) =>
      h.engine.completeStep({
        requestId: r.id,
        version: r.version,
        actorId: E.vegardEikrem.id,
        outcome: 'done',
        values: { assetTags: 'FJ-1001\nFJ-1002', location: 'Rådhuset, møterom Fjorden' },
      }),
  };
  while (request.stages[request.currentStage]?.name !== step) {
    const name = request.stages[request.currentStage]!.name;
    request = expectChanged(await act[name]!(request));
  }
  return request;
}

describe('equipment requests on the engine', () => {
  it('routes an employee’s order: orderer of the unit, IT unit quotes, orderers accept, IT unit orders, delivers, installs', async () => {
    const h = harness();
    const { request } = await submit(h);
    assert.equal(request.unitId, HELSE_OG_OMSORG);
    assert.deepEqual(
      request.stages.map((s) => [s.name, s.type, s.approverIds]),
      [
        ['it_orderer', 'decision', [P.kariBjorlo.id]],
        ['quote', 'work', [E.vegardEikrem.id]],
        ['accept_quote', 'decision', [P.kariBjorlo.id]],
        ['order', 'work', [E.vegardEikrem.id]],
        ['deliver', 'work', [E.vegardEikrem.id]],
        ['install', 'work', [E.vegardEikrem.id]],
      ],
    );
    assert.deepEqual(request.fields.quantity, 2);
    assert.deepEqual(summary(await h.requests.pendingOutbox()), [`decide ${P.kariBjorlo.id}`]);

    const atInstall = await upTo(h, 'install');
    const quote = atInstall.stages.find((s) => s.name === 'quote')!;
    assert.deepEqual(quote.values, { cost: 9800.5, delivery: '2 veker' });
    const items = await h.requests.inventory({ requestId: atInstall.id });
    assert.deepEqual(
      items.map((i) => [i.assetTag, i.itemType, i.unitId, i.holderId, i.room, i.location, i.status]),
      [
        [
          'FJ-1001',
          'projector',
          HELSE_OG_OMSORG,
          undefined,
          'Møterom Fjorden',
          'Rådhuset, møterom Fjorden',
          'in_use',
        ],
        [
          'FJ-1002',
          'projector',
          HELSE_OG_OMSORG,
          undefined,
          'Møterom Fjorden',
          'Rådhuset, møterom Fjorden',
          'in_use',
        ],
      ].map((row) => row.map((v) => v)),
    );

    const before = await h.requests.pendingOutbox();
    const installed = expectChanged(
      await h.engine.completeStep({
        requestId: atInstall.id,
        version: atInstall.version,
        actorId: E.vegardEikrem.id,
        outcome: 'done',
        note: 'Montert i taket',
      }),
    );
    assert.equal(installed.status, 'done');
    assert.ok(
      summary(await newOutbox(h.requests, before)).includes(`info ${P.astridKleppe.id}`),
      'the requester is told it is installed',
    );
  });

  it('leaves out the orderer step when an IT orderer orders for their own unit, and lets them accept the quote', async () => {
    const h = harness();
    const { request, omitted } = await submit(h, P.kariBjorlo.id);
    assert.deepEqual(omitted, [{ name: 'it_orderer', role: 'unit_it_orderer', reason: 'requesterHolds' }]);
    assert.equal(request.stages[0]?.name, 'quote');
    const atAccept = await upTo(h, 'accept_quote', P.kariBjorlo.id);
    assert.ok(
      atAccept.stages[atAccept.currentStage]!.approverIds.includes(P.kariBjorlo.id),
      'orderer may accept',
    );
    const accepted = expectChanged(
      await h.engine.decide({
        requestId: atAccept.id,
        version: atAccept.version,
        actorId: P.kariBjorlo.id,
        outcome: 'approved',
      }),
    );
    assert.equal(accepted.stages[accepted.currentStage]?.name, 'order');
  });

  it('never lets anyone off the unit’s authorisation list approve, nor the employee accept their own quote', async () => {
    const h = harness();
    const { request } = await submit(h);
    for (const outsider of [E.larsAsen.id, P.frodeHeggheim.id, E.vegardEikrem.id, P.astridKleppe.id]) {
      await assert.rejects(
        h.engine.decide({
          requestId: request.id,
          version: request.version,
          actorId: outsider,
          outcome: 'approved',
        }),
        refused('NotAnApprover'),
        `${outsider} may not approve`,
      );
    }
    const atAccept = await upTo(h, 'accept_quote');
    await assert.rejects(
      h.engine.decide({
        requestId: atAccept.id,
        version: atAccept.version,
        actorId: P.astridKleppe.id,
        outcome: 'approved',
      }),
      refused('NotAnApprover'),
    );
  });

  it("sends an order to the unit's orderer who is out of office (nobody may stand in), waiting for their return", async () => {
    const h = harness();
    h.directory.setOutOfOffice(P.kariBjorlo.email);
    const { request, routingProblems } = await submit(h);
    assert.deepEqual(request.stages[0]?.approverIds, [P.kariBjorlo.id]);
    assert.equal(request.stages[0]?.awaitingReturn, true);
    assert.deepEqual(routingProblems, []);
  });

  it('routes an order for a unit whose orderer has left to nobody and names the IT coordinators', async () => {
    const h = harness();
    h.directory.disable(P.kariBjorlo.email);
    const { request, routingProblems } = await submit(h);
    assert.deepEqual(request.stages[0]?.approverIds, []);
    assert.deepEqual(routingProblems, [
      { step: 'it_orderer', at: 0, contacts: [P.frodeHeggheim.id] },
      { step: 'accept_quote', at: 2, contacts: [P.frodeHeggheim.id] },
    ]);
  });

  it('routes an order that had nobody again once the unit has an orderer, who gets the card', async () => {
    const h = harness();
    h.directory.disable(P.kariBjorlo.email);
    const { request } = await submit(h);
    assert.deepEqual(request.stages[0]?.approverIds, []);
    assert.deepEqual(await h.engine.rerouteStalled(), [], 'rerouted while the register still has nobody');
    assert.equal((await h.requests.get(request.id))?.version, request.version);

    const before = await h.requests.pendingOutbox();
    const auditBefore = (await h.requests.pendingAudit()).length;
    await h.registerStore.apply(
      { roleAssignments: [larsOrdersFor([OPPVEKST, HELSE_OG_OMSORG])] },
      await h.registerStore.revision(),
    );
    assert.deepEqual(await h.engine.rerouteStalled(), [request.id]);
    const rerouted = (await h.requests.get(request.id))!;
    assert.equal(rerouted.version, request.version + 1);
    assert.deepEqual(rerouted.stages[0]?.approverIds, [E.larsAsen.id]);
    assert.deepEqual(rerouted.stages[0]?.skipped, [{ personId: P.kariBjorlo.id, reason: 'disabled' }]);
    assert.deepEqual(rerouted.stages.slice(1), request.stages.slice(1), 'later steps changed');
    assert.deepEqual(summary(await newOutbox(h.requests, before)), [
      `decide ${E.larsAsen.id}`,
      `info ${P.astridKleppe.id}`,
    ]);
    const audit = (await h.requests.pendingAudit()).slice(auditBefore);
    assert.deepEqual(
      audit.map((e) => [e.type, e.details?.step, e.details?.rerouted, e.details?.approvers]),
      [['routed', 'it_orderer', true, E.larsAsen.id]],
    );
    assert.deepEqual(await h.engine.rerouteStalled(), [], 'routed again a request that has people');
    const approved = await h.engine.decide({
      requestId: request.id,
      version: rerouted.version,
      actorId: E.larsAsen.id,
      outcome: 'approved',
    });
    assert.equal(approved.changed, true, 'the new orderer cannot approve');
  });

  it('changes nothing for a step done out of order, the wrong kind of click, or a stale card', async () => {
    const h = harness();
    const { request } = await submit(h);
    const early = await h.engine.completeStep({
      requestId: request.id,
      version: request.version,
      actorId: E.vegardEikrem.id,
      outcome: 'done',
      values: { cost: '100', delivery: 'snart' },
    });
    assert.equal(early.changed, false);
    const atOrder = await upTo(h, 'order');
    const asDecision = await h.engine
      .decide({
        requestId: atOrder.id,
        version: atOrder.version,
        actorId: E.vegardEikrem.id,
        outcome: 'approved',
      })
      .catch((error: unknown) => error);
    assert.ok(
      isAnsvarError(asDecision, 'NotAnApprover') || (asDecision as TransitionResult).changed === false,
      'approving a work step changes nothing',
    );
    const stale = await h.engine.completeStep({
      requestId: atOrder.id,
      version: atOrder.version - 1,
      actorId: E.vegardEikrem.id,
      outcome: 'done',
    });
    assert.equal(stale.changed, false);
    assert.equal((await h.engine.get(atOrder.id)).version, atOrder.version);
  });

  it('checks a delivery: as many asset tags as items, no duplicates; nothing is registered from a refused one', async () => {
    const h = harness();
    const atDeliver = await upTo(h, 'deliver');
    const attempt = (assetTags: string) =>
      h.engine.completeStep({
        requestId: atDeliver.id,
        version: atDeliver.version,
        actorId: E.vegardEikrem.id,
        outcome: 'done',
        values: { assetTags, location: 'Rådhuset' },
      });
    for (const [tags, problem] of [
      ['FJ-1', 'countMismatch'],
      ['FJ-1, fj-1', 'duplicate'],
      ['', 'required'],
    ] as const) {
      await assert.rejects(
        attempt(tags),
        (error: unknown) => {
          assert.deepEqual((error as { details?: unknown }).details, [{ field: 'assetTags', problem }]);
          return true;
        },
        `asset tags "${tags}"`,
      );
    }
    assert.deepEqual(await h.requests.inventory({ requestId: atDeliver.id }), []);
    const delivered = expectChanged(await attempt('FJ-7; FJ-8'));
    assert.equal(delivered.stages.find((s) => s.name === 'deliver')?.values?.assetTags, 'FJ-7; FJ-8');
    // No holder given: the room the request was for.
    assert.deepEqual(
      (await h.requests.inventory({ requestId: atDeliver.id })).map((i) => i.assetTag),
      ['FJ-7', 'FJ-8'],
    );
  });

  it('registers an item to the person it is for when no room is given', async () => {
    const h = harness();
    const { request } = await submit(h, P.astridKleppe.id, { ...FIELDS, forWhom: '', quantity: '1' });
    let current = request;
    for (const step of ['it_orderer', 'quote', 'accept_quote', 'order'] as const) {
      current = expectChanged(
        step === 'it_orderer' || step === 'accept_quote'
          ? await h.engine.decide({
              requestId: current.id,
              version: current.version,
              actorId: P.kariBjorlo.id,
              outcome: 'approved',
            })
          : await h.engine.completeStep({
              requestId: current.id,
              version: current.version,
              actorId: E.vegardEikrem.id,
              outcome: 'done',
              values: { cost: '1', delivery: 'i dag' },
            }),
      );
    }
    expectChanged(
      await h.engine.completeStep({
        requestId: current.id,
        version: current.version,
        actorId: E.vegardEikrem.id,
        outcome: 'done',
        values: { assetTags: 'FJ-9', location: 'Kontor 12' },
      }),
    );
    assert.deepEqual(
      (await h.requests.inventory({ holderId: P.astridKleppe.id })).map((i) => i.assetTag),
      ['FJ-9'],
    );
  });

  it('refuses an item type or model not in the organisation’s catalogue, and a quantity out of range', async () => {
    const h = harness();
    const problems = async (fields: Record<string, unknown>) => {
      const error = await submit(h, P.astridKleppe.id, { ...FIELDS, ...fields }).catch((e: unknown) => e);
      assert.ok(isAnsvarError(error, 'InvalidInput'), `refused: ${JSON.stringify(fields)}`);
      return error.details;
    };
    assert.deepEqual(await problems({ itemType: 'hovercraft', model: '' }), [
      { field: 'itemType', problem: 'invalidChoice' },
    ]);
    // A model of another organisation's catalogue (Storsjö's Dell screen) is not Fjordvik's.
    assert.deepEqual(await problems({ itemType: 'screen', model: 'dell-p2425' }), [
      { field: 'model', problem: 'invalidChoice' },
    ]);
    assert.deepEqual(await problems({ quantity: '' }), [{ field: 'quantity', problem: 'required' }]);
    for (const quantity of ['0', '101', '1.5', 'två', '-2']) {
      assert.deepEqual(await problems({ quantity }), [{ field: 'quantity', problem: 'invalid' }], quantity);
    }
    assert.deepEqual(await h.requests.list({}), [], 'nothing stored from a refused order');
  });

  it('decides each transition once when two people click at the same time', async () => {
    const h = harness();
    for (const step of ['it_orderer', 'quote', 'accept_quote', 'order', 'deliver', 'install']) {
      const at = await upTo(h, step);
      const click = () =>
        at.stages[at.currentStage]!.type === 'decision'
          ? h.engine.decide({
              requestId: at.id,
              version: at.version,
              actorId: P.kariBjorlo.id,
              outcome: 'approved',
            })
          : h.engine.completeStep({
              requestId: at.id,
              version: at.version,
              actorId: E.vegardEikrem.id,
              outcome: 'done',
              values:
                step === 'quote'
                  ? { cost: '1', delivery: 'i dag' }
                  : step === 'deliver'
                    ? { assetTags: `R-${step}-1, R-${step}-2`, location: 'Rådhuset' }
                    : {},
            });
      const results = await Promise.all([click(), click(), click()]);
      assert.equal(results.filter((r) => r.changed).length, 1, `one change at ${step}`);
      const stored = await h.engine.get(at.id);
      assert.equal(stored.version, at.version + 1, `one version step at ${step}`);
      if (step === 'deliver') {
        assert.equal(
          (await h.requests.inventory({ requestId: at.id })).length,
          2,
          'two items, registered once',
        );
      }
    }
  });

  it('adds a note at any step from anyone on the request, once per click, and refuses outsiders', async () => {
    const h = harness();
    const atOrder = await upTo(h, 'order');
    const note = {
      requestId: atOrder.id,
      version: atOrder.version,
      text: 'Leverandøren har restordre til veke 12',
    };
    const first = expectChanged(await h.engine.addNote({ ...note, actorId: E.vegardEikrem.id }));
    const again = await h.engine.addNote({ ...note, actorId: E.vegardEikrem.id });
    assert.equal(again.changed, false);
    assert.deepEqual(
      first.notes?.map((n) => [n.by, n.stage, n.text]),
      [[E.vegardEikrem.id, 'order', note.text]],
    );
    expectChanged(await h.engine.addNote({ ...note, actorId: P.astridKleppe.id, text: 'Takk!' }));
    await assert.rejects(h.engine.addNote({ ...note, actorId: E.larsAsen.id }), refused('NotAnApprover'));
    await assert.rejects(
      h.engine.addNote({ ...note, actorId: P.astridKleppe.id, text: '   ' }),
      refused('InvalidInput'),
    );
  });

  it('ends the request when a work step could not be done, with the note required', async () => {
    const h = harness();
    const atOrder = await upTo(h, 'order');
    const base = {
      requestId: atOrder.id,
      version: atOrder.version,
      actorId: E.vegardEikrem.id,
      outcome: 'failed' as const,
    };
    await assert.rejects(h.engine.completeStep(base), refused('InvalidInput'));
    const failed = expectChanged(await h.engine.completeStep({ ...base, note: 'Utgått modell' }));
    assert.equal(failed.status, 'failed');
    assert.equal(failed.stages[failed.currentStage]?.decision?.reason, 'Utgått modell');
  });
});
