import assert from 'node:assert/strict';
import type { OrganisationRole } from '../../../data/model.js';
import { exampleOrganisationRole } from '../../../services/responsibility/helpExamples.js';
import { understand } from '../../../services/nlu/intent.js';
import { buildRegisterIndexes } from '../../../services/search/registerView.js';
import { t } from '../../../services/i18n/index.js';
import { buildAssignment, buildOrganisation, buildRegister } from '../../../fakes/registerBuilder.js';

/** The help card's organisation-role example comes from the asker's own register, and is understood as asked. */

const NOW = new Date('2026-06-01T10:00:00.000Z');
const organisation = buildOrganisation();
const other = buildOrganisation({ id: 'annankommun', name: 'Annan kommun' });

function orgRole(role: OrganisationRole, extra: { organisationId?: string; validTo?: string } = {}) {
  const assignment = buildAssignment({ role, ...extra });
  delete assignment.systemId;
  return assignment;
}

function indexes(...roleAssignments: ReturnType<typeof orgRole>[]) {
  return buildRegisterIndexes(buildRegister({ organisations: [organisation, other], roleAssignments }));
}

describe('exampleOrganisationRole', () => {
  it('names the IT coordinator first when the organisation has one', () => {
    const register = indexes(orgRole('data_protection_officer'), orgRole('it_coordinator'));
    assert.equal(exampleOrganisationRole(register, organisation, 'sv', NOW), 'IT-samordnare');
    assert.equal(exampleOrganisationRole(register, organisation, 'en', NOW), 'IT coordinator');
  });

  it('takes a role someone holds now in the asker’s organisation, not an ended one or another organisation’s', () => {
    const register = indexes(
      orgRole('it_coordinator', { validTo: '2026-01-01T00:00:00.000Z' }),
      orgRole('it_coordinator', { organisationId: 'annankommun' }),
      orgRole('security_officer'),
    );
    assert.equal(exampleOrganisationRole(register, organisation, 'sv', NOW), 'IT-säkerhetsansvarig');
    assert.equal(exampleOrganisationRole(register, organisation, 'nn', NOW), 'tryggleiksansvarleg');
  });

  it('has none without an organisation or without anyone in an organisation role', () => {
    assert.equal(
      exampleOrganisationRole(indexes(orgRole('it_coordinator')), undefined, 'sv', NOW),
      undefined,
    );
    assert.equal(exampleOrganisationRole(indexes(), organisation, 'sv', NOW), undefined);
  });

  it('uses the organisation’s own word when questions are understood with it, else the language’s', () => {
    const own = buildOrganisation({
      roleLabels: { it_coordinator: 'IT-strateg', security_officer: 'Informationssäkerhetssamordnare' },
    });
    const register = buildRegisterIndexes(
      buildRegister({ organisations: [own], roleAssignments: [orgRole('it_coordinator')] }),
    );
    assert.equal(exampleOrganisationRole(register, own, 'sv', NOW), 'IT-strateg');
    const security = buildRegisterIndexes(
      buildRegister({ organisations: [own], roleAssignments: [orgRole('security_officer')] }),
    );
    assert.equal(exampleOrganisationRole(security, own, 'sv', NOW), 'IT-säkerhetsansvarig');
  });

  for (const language of ['sv', 'nn', 'nb', 'en'] as const)
    for (const role of [
      'it_coordinator',
      'security_officer',
      'data_protection_officer',
      'it_manager',
      'it_unit',
      'it_orderer',
    ] as const)
      it(`asks about ${role} in ${language} in words that are understood as that role`, () => {
        const word = exampleOrganisationRole(indexes(orgRole(role)), organisation, language, NOW);
        assert.ok(word !== undefined, `a word for ${role}`);
        const question = t(language, 'help.exampleOrganisationRole', { role: word });
        const understood = understand(question);
        assert.equal(understood.intent.kind, 'organisationRole', question);
        assert.equal(understood.intent.kind === 'organisationRole' && understood.intent.role, role, question);
      });
});
