import assert from 'node:assert/strict';
import { isAnsvarError } from '../../../core/errors.js';
import { DEFAULT_DEADLINES, loadPolicies, PolicySet } from '../../../services/requests/policy.js';
import { POLICY_DIR, shippedKinds } from './requestFixtures.js';

const kinds = shippedKinds();
const access = { stages: [{ name: 'administrator', role: 'system_administrator' }] };

describe('routing policies: deadlines of waiting steps', () => {
  it('gives every shipped organisation remind 3, escalate 5, expire 20 working days', async () => {
    const policies = await loadPolicies(POLICY_DIR, kinds);
    for (const organisationId of ['storsjo-kommun', 'fjordvik-kommune', 'unknown-kommun']) {
      assert.deepEqual(policies.deadlinesFor(organisationId), {
        remindAfterWorkingDays: 3,
        escalateAfterWorkingDays: 5,
        expireAfterWorkingDays: 20,
      });
    }
  });

  it('takes an organisation’s own deadlines key by key over the default policy’s, and its country', () => {
    const policies = PolicySet.from(kinds, [
      {
        source: 'default.json',
        data: { default: true, deadlines: { remindAfterWorkingDays: 2 }, kinds: { access } },
      },
      {
        source: 'fjord.json',
        data: {
          organisationIds: ['fjord'],
          deadlines: { expireAfterWorkingDays: 30, country: 'NO' },
          kinds: { access },
        },
      },
    ]);
    assert.deepEqual(policies.deadlinesFor('fjord'), {
      ...DEFAULT_DEADLINES,
      remindAfterWorkingDays: 2,
      expireAfterWorkingDays: 30,
      country: 'NO',
    });
    assert.equal(policies.deadlinesFor('other').expireAfterWorkingDays, 20);
  });

  it('refuses deadlines that expire before the reminder or the escalation, and unknown keys', () => {
    for (const deadlines of [
      { remindAfterWorkingDays: 20, expireAfterWorkingDays: 10 },
      { escalateAfterWorkingDays: 25 },
      { remindAfterWorkingDays: 0 },
      { remindAfter: 3 },
      { country: 'DK' },
    ]) {
      assert.throws(
        () =>
          PolicySet.from(kinds, [
            { source: 'x.json', data: { default: true, deadlines, kinds: { access } } },
          ]),
        (error: unknown) => isAnsvarError(error, 'InvalidConfig') && /x\.json/.test(error.message),
        JSON.stringify(deadlines),
      );
    }
  });
});
