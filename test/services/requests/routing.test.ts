import assert from 'node:assert/strict';
import { stepType, type Stage } from '../../../data/requestModel.js';
import { PolicySet } from '../../../services/requests/policy.js';
import { buildAssignment } from '../../../fakes/registerBuilder.js';
import {
  accessRequest,
  accessScenario,
  buildHarness,
  FJORDVIK,
  HELSE_OG_OMSORG,
  P,
  shippedPolicy,
  summary,
  SYSTEMS,
  TANUM,
  type Harness,
  shippedKinds,
} from './requestFixtures.js';

/** The decision steps of a route (the access kind's carry-out work step is checked on its own). */
function route(stages: readonly Stage[]) {
  return stages
    .filter((s) => stepType(s) === 'decision')
    .map((s) => ({ name: s.name, approverIds: s.approverIds }));
}

/** Tanum on the shipped default policy: the administrator alone. */
function defaultPolicyHarness(): Harness {
  return buildHarness({
    policies: PolicySet.from(shippedKinds(), [shippedPolicy('default.json')]),
  });
}

describe('request routing', () => {
  describe('per organisation policy', () => {
    it('routes a Swedish access request to the subject’s manager, then the systemansvarig', async () => {
      const { engine } = buildHarness();
      const { request } = await engine.submit(accessRequest());
      assert.deepEqual(route(request.stages), [
        { name: 'manager', approverIds: [P.karlStrom.id] },
        { name: 'administrator', approverIds: [P.erikLund.id] },
      ]);
      assert.equal(request.organisationId, TANUM.id);
    });

    it('routes a Norwegian access request to the IKT-bestillar of the subject’s unit, then the fagsystemansvarleg', async () => {
      const { engine } = buildHarness();
      const { request } = await engine.submit(
        accessRequest({ requesterId: P.astridKleppe.id, systemId: SYSTEMS.fjordvikProcapita.id }),
      );
      assert.deepEqual(route(request.stages), [
        { name: 'it_orderer', approverIds: [P.kariBjorlo.id] },
        { name: 'administrator', approverIds: [P.olaNordmann.id] },
      ]);
      assert.equal(request.organisationId, FJORDVIK.id);
    });

    it('routes to the administrator alone on the default policy, and the administrator and deputy carry it out', async () => {
      const { engine } = defaultPolicyHarness();
      const { request } = await engine.submit(accessRequest());
      assert.deepEqual(
        request.stages.map((s) => ({ name: s.name, type: s.type, approverIds: s.approverIds })),
        [
          { name: 'administrator', type: 'decision', approverIds: [P.erikLund.id] },
          { name: 'carry_out', type: 'work', approverIds: [P.erikLund.id, P.saraEk.id] },
        ],
      );
    });

    it('uses the unit given with the request when the register does not know the subject’s department', async () => {
      const newcomer = 'ny.medarbeidar@fjordvik.example';
      const h = buildHarness();
      h.directory.add({ upn: newcomer });
      const { request } = await h.engine.submit(
        accessRequest({
          requesterId: P.kariNordmann.id,
          subjectId: newcomer,
          unitId: HELSE_OG_OMSORG,
          systemId: SYSTEMS.fjordvikProcapita.id,
        }),
      );
      assert.deepEqual(request.stages[0]?.approverIds, [P.kariBjorlo.id]);
    });

    it('adds the personal-data stage only for a system that processes personal data', async () => {
      const policies = PolicySet.from(shippedKinds(), [
        shippedPolicy('default.json'),
        {
          source: 'inline',
          data: {
            organisationIds: [TANUM.id],
            kinds: {
              access: {
                conditionalStages: [
                  {
                    when: 'systemProcessesPersonalData',
                    stages: [{ name: 'security', role: 'security_officer', fallback: ['it_coordinator'] }],
                  },
                ],
              },
            },
          },
        },
      ]);
      const register = accessScenario({
        systems: [
          { ...SYSTEMS.treserva, id: 'tanum-kommun/kartan', name: 'Kartan', processesPersonalData: false },
        ],
        roleAssignments: [
          buildAssignment({
            role: 'administrator',
            personId: P.saraEk.id,
            systemId: 'tanum-kommun/kartan',
            organisationId: TANUM.id,
          }),
        ],
      });
      const { engine } = buildHarness({ register, policies });
      const personal = await engine.submit(accessRequest());
      const plain = await engine.submit(accessRequest({ systemId: 'tanum-kommun/kartan' }));
      assert.deepEqual(
        personal.request.stages.map((s) => s.name),
        ['administrator', 'security', 'carry_out'],
      );
      assert.deepEqual(personal.request.stages[1]?.approverIds, [P.goranWestin.id]);
      assert.deepEqual(
        plain.request.stages.map((s) => s.name),
        ['administrator', 'carry_out'],
      );
    });
  });

  describe('fallback and skipped holders', () => {
    const cases: {
      name: string;
      away: (h: Harness) => void;
      approverIds: string[];
      resolvedVia?: string;
      skipped: Stage['skipped'];
    }[] = [
      {
        name: 'the deputy decides when the administrator is out of office',
        away: (h) => h.directory.setOutOfOffice(P.erikLund.email),
        approverIds: [P.saraEk.id],
        resolvedVia: 'system_deputy',
        skipped: [{ personId: P.erikLund.id, reason: 'outOfOffice' }],
      },
      {
        name: 'the owner decides when the administrator and the deputy are away',
        away: (h) => {
          h.directory.setOutOfOffice(P.erikLund.email).setOutOfOffice(P.saraEk.email);
        },
        approverIds: [P.annaBerg.id],
        resolvedVia: 'system_owner',
        skipped: [
          { personId: P.erikLund.id, reason: 'outOfOffice' },
          { personId: P.saraEk.id, reason: 'outOfOffice' },
        ],
      },
      {
        name: 'an IT coordinator decides when administrator, deputy and owner cannot',
        away: (h) => {
          h.directory.disable(P.erikLund.email).remove(P.saraEk.email).setOutOfOffice(P.annaBerg.email);
        },
        approverIds: [P.lisaStrand.id],
        resolvedVia: 'it_coordinator',
        skipped: [
          { personId: P.erikLund.id, reason: 'disabled' },
          { personId: P.saraEk.id, reason: 'notFound' },
          { personId: P.annaBerg.id, reason: 'outOfOffice' },
        ],
      },
    ];
    for (const c of cases) {
      it(c.name + ', and the passed-over holders are recorded with the reason', async () => {
        const h = defaultPolicyHarness();
        c.away(h);
        const { request } = await h.engine.submit(accessRequest());
        const stage = request.stages[0]!;
        assert.deepEqual(stage.approverIds, c.approverIds);
        assert.equal(stage.resolvedVia, c.resolvedVia);
        assert.deepEqual(stage.skipped, c.skipped);
        const audit = await h.requests.pendingAudit();
        assert.deepEqual(
          audit
            .filter((e) => e.type === 'skipped_holder' && e.details?.step === 'administrator')
            .map((e) => [e.details?.personId, e.reason]),
          c.skipped.map((s) => [s.personId, s.reason]),
        );
      });
    }

    it('never routes a request to its requester or its subject: both are skipped with the reason', async () => {
      const h = defaultPolicyHarness();
      const asAdministrator = await h.engine.submit(accessRequest({ requesterId: P.erikLund.id }));
      const forAdministrator = await h.engine.submit(
        accessRequest({ requesterId: P.idaSjo.id, subjectId: P.erikLund.id }),
      );
      for (const { request } of [asAdministrator, forAdministrator]) {
        assert.deepEqual(request.stages[0]?.approverIds, [P.saraEk.id]);
        assert.ok(
          !request.stages.some((stage) => stage.approverIds.includes(P.erikLund.id)),
          'neither requester nor subject is on any step',
        );
      }
      assert.deepEqual(asAdministrator.request.stages[0]?.skipped, [
        { personId: P.erikLund.id, reason: 'isRequester' },
      ]);
      assert.deepEqual(forAdministrator.request.stages[0]?.skipped, [
        { personId: P.erikLund.id, reason: 'isSubject' },
      ]);
    });

    it('asks the directory for availability once per routing, for every candidate of every step', async () => {
      const h = buildHarness();
      await h.engine.submit(accessRequest());
      assert.equal(h.directory.calls.statusOf, 1);
      const asked = h.directory.statusRequests[0]!;
      for (const id of [P.karlStrom.id, P.erikLund.id, P.saraEk.id, P.annaBerg.id, P.lisaStrand.id]) {
        assert.ok(asked.includes(id), `${id} asked`);
      }
    });

    it('routes as if everyone were available when the directory cannot be reached, and audits that', async () => {
      const h = defaultPolicyHarness();
      h.directory.setOutOfOffice(P.erikLund.email).setUnavailable();
      const { request } = await h.engine.submit(accessRequest());
      assert.deepEqual(request.stages[0]?.approverIds, [P.erikLund.id]);
      const routed = (await h.requests.pendingAudit()).filter((e) => e.type === 'routed');
      assert.ok(
        routed.every((e) => e.details?.directory === 'unavailable'),
        "routed.every((e) => e.details?.directory === 'unavailable')",
      );
    });
  });

  describe('steps left out or resolved to nobody', () => {
    it('leaves out the manager step when the manager asks for their own employee', async () => {
      const { engine, requests } = buildHarness();
      const { request, omitted } = await engine.submit(
        accessRequest({ requesterId: P.karlStrom.id, subjectId: P.idaSjo.id }),
      );
      assert.deepEqual(route(request.stages), [{ name: 'administrator', approverIds: [P.erikLund.id] }]);
      assert.deepEqual(omitted, [{ name: 'manager', role: 'subject_manager', reason: 'requesterHolds' }]);
      assert.ok(
        (await requests.pendingAudit()).some(
          (e) => e.type === 'routed' && e.details?.omitted === 'requesterHolds',
        ),
        "(await requests.pendingAudit()).some( (e) => e.type === 'routed' && e.details...",
      );
    });

    it('sends a step whose holders are all out of office to them, waiting for whoever is back first', async () => {
      const h = defaultPolicyHarness();
      h.directory.disable(P.annaBerg.email);
      for (const who of [P.erikLund, P.saraEk, P.lisaStrand]) h.directory.setOutOfOffice(who.email);
      const { request, routingProblems } = await h.engine.submit(accessRequest());
      const stage = request.stages[0]!;
      assert.deepEqual(stage.approverIds, [P.erikLund.id, P.saraEk.id, P.lisaStrand.id]);
      assert.equal(stage.awaitingReturn, true);
      assert.deepEqual(stage.skipped, [{ personId: P.annaBerg.id, reason: 'disabled' }]);
      assert.deepEqual(
        routingProblems,
        [],
        'a step with people waiting for their return is no routing problem',
      );
      const routed = (await h.requests.pendingAudit()).find(
        (e) => e.type === 'routed' && e.details?.step === 'administrator',
      );
      assert.equal(
        routed?.details?.awaitingReturn,
        true,
        'the audit does not say the step waits for a return',
      );
      const decideTo = (await h.requests.pendingOutbox())
        .filter((i) => i.purpose === 'decide')
        .map((i) => i.recipientId);
      assert.deepEqual(decideTo, stage.approverIds, 'the away holders did not get the card');
    });

    it('opens a request whose stage resolves to nobody, names the IT coordinators to contact, and tells the requester', async () => {
      const h = defaultPolicyHarness();
      h.directory.disable(P.erikLund.email).remove(P.saraEk.email).disable(P.annaBerg.email);
      h.directory.disable(P.lisaStrand.email);
      const { request, routingProblems } = await h.engine.submit(accessRequest());
      assert.equal(request.status, 'open');
      assert.deepEqual(request.stages[0]?.approverIds, []);
      assert.deepEqual(routingProblems[0], { step: 'administrator', at: 0, contacts: [P.lisaStrand.id] });
      // The requester is told in the answer to the submit (routingProblems), not by a message.
      assert.deepEqual(summary(await h.requests.pendingOutbox()), []);
      const routed = (await h.requests.pendingAudit()).find((e) => e.type === 'routed');
      assert.equal(routed?.details?.problem, 'noApprover');
    });
  });
});
