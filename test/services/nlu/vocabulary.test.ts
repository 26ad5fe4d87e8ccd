import assert from 'node:assert/strict';
import {
  LANGUAGES,
  ORGANISATION_ROLES,
  SYSTEM_ROLES,
  type Language,
  type Role,
} from '../../../data/model.js';
import { DEFAULT_ROLE_LABELS, roleLabel } from '../../../services/nlu/vocabulary.js';
import { buildOrganisation } from '../../../fakes/registerBuilder.js';

describe('roleLabel', () => {
  it('has a default label for every role in every language', () => {
    for (const language of LANGUAGES) {
      for (const role of [...SYSTEM_ROLES, ...ORGANISATION_ROLES]) {
        assert.ok(DEFAULT_ROLE_LABELS[language][role].length > 0, `${language} ${role}`);
      }
    }
  });

  const nynorskOrg = buildOrganisation({
    language: 'nn',
    roleLabels: { owner: 'fagsystemeigar', deputy: 'vara' },
  });
  const swedishOrg = buildOrganisation({ language: 'sv', roleLabels: { administrator: 'systemförvaltare' } });
  const cases: [string, Role, Language, ReturnType<typeof buildOrganisation> | undefined, string][] = [
    ['the default when no organisation is known', 'owner', 'sv', undefined, 'systemägare'],
    ['the organisation word in its own language', 'deputy', 'nn', nynorskOrg, 'vara'],
    [
      'the organisation word for a Bokmål answer about a Nynorsk organisation',
      'deputy',
      'nb',
      nynorskOrg,
      'vara',
    ],
    [
      'the default where the organisation has no word',
      'administrator',
      'nn',
      nynorskOrg,
      'fagsystemansvarleg',
    ],
    ['the English default for an English answer', 'owner', 'en', nynorskOrg, 'system owner'],
    ['the Swedish organisation word in Swedish', 'administrator', 'sv', swedishOrg, 'systemförvaltare'],
    ['the Bokmål default for a Swedish organisation', 'administrator', 'nb', swedishOrg, 'systemansvarlig'],
  ];
  for (const [name, role, language, organisation, expected] of cases) {
    it(`uses ${name}`, () => assert.equal(roleLabel(role, language, organisation), expected));
  }
});
