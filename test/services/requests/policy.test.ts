import assert from 'node:assert/strict';
import { isAnsvarError } from '../../../core/errors.js';
import { loadPolicies, PolicySet } from '../../../services/requests/policy.js';
import { POLICY_DIR, shippedKinds } from './requestFixtures.js';

const kinds = shippedKinds();

function invalidConfig(fragment: string) {
  return (error: unknown) => {
    assert.ok(isAnsvarError(error, 'InvalidConfig'), String(error));
    assert.match(error.message, new RegExp(fragment));
    return true;
  };
}

describe('routing policies', () => {
  it('loads the shipped policies: Storsjö manager then systemansvarig, the Norwegian ones IKT-bestillar then fagsystemansvarleg', async () => {
    const policies = await loadPolicies(POLICY_DIR, kinds);
    const names = (organisationId: string) =>
      policies.for(organisationId, 'access').route.stages.map((s) => s.role);
    assert.deepEqual(names('storsjo-kommun'), ['subject_manager', 'system_administrator']);
    for (const id of ['ikt-vestfjord', 'fjordvik-kommune', 'breidal-kommune', 'nesoy-kommune']) {
      assert.deepEqual(names(id), ['unit_it_orderer', 'system_administrator']);
    }
    assert.deepEqual(names('somewhere-else'), ['system_administrator']);
    assert.equal(policies.for('storsjo-kommun', 'access').options.requirePolicyConfirmation, true);
    assert.equal(policies.for('fjordvik-kommune', 'access').options.requirePolicyConfirmation, false);
    assert.equal(policies.for('storsjo-kommun', 'access').route.task?.name, 'carry_out');
  });

  const bad: { name: string; data: unknown; fragment: string }[] = [
    {
      name: 'an unknown stage role',
      data: { default: true, kinds: { access: { stages: [{ name: 'x', role: 'mayor' }] } } },
      fragment: 'stages.0.role',
    },
    {
      name: 'an unknown kind',
      data: { default: true, kinds: { parking: {} } },
      fragment: 'unknown request kind "parking"',
    },
    {
      name: 'a misspelt option',
      data: { default: true, kinds: { access: { options: { requirePolicy: true } } } },
      fragment: 'options of access',
    },
    { name: 'no organisations and not the default', data: { kinds: {} }, fragment: 'organisationIds' },
  ];
  for (const c of bad) {
    it(`refuses a policy with ${c.name}, naming the file`, () => {
      assert.throws(
        () => PolicySet.from(kinds, [{ source: 'bad.json', data: c.data }]),
        invalidConfig(`bad.json.*${c.fragment}|${c.fragment}`),
      );
    });
  }

  it('refuses two policies for one organisation', () => {
    const policy = { organisationIds: ['a'], kinds: {} };
    assert.throws(
      () =>
        PolicySet.from(kinds, [
          { source: 'one.json', data: policy },
          { source: 'two.json', data: policy },
        ]),
      invalidConfig('two.json: a already has a policy in one.json'),
    );
  });
});
