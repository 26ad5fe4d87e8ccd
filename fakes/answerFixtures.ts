import type { Answer, HolderView, PersonView } from '../services/responsibility/answers.js';
import { buildOrganisation, buildSystem, buildUnit } from './registerBuilder.js';

/** Hand-made Answers with defaults, for card tests that must not depend on the services that compute them. */

export type SystemAnswer = Extract<Answer, { kind: 'system' }>;

export function buildPersonView(overrides: Partial<PersonView> = {}): PersonView {
  const email = overrides.email ?? 'anna.berg@testkommun.se';
  return { id: email, email, name: 'Anna Berg', title: 'Förvaltningschef', ...overrides };
}

export function buildHolder(overrides: Partial<HolderView> = {}): HolderView {
  return {
    role: 'owner',
    roleLabel: 'Systemägare',
    person: buildPersonView(),
    status: 'available',
    ...overrides,
  };
}

export function buildSystemAnswer(overrides: Partial<SystemAnswer> = {}): SystemAnswer {
  return {
    kind: 'system',
    language: 'sv',
    focus: 'all',
    system: buildSystem({ supplier: 'Tietoevry', supplierSupport: '010-123 45 67' }),
    organisation: buildOrganisation({ name: 'Storsjö kommun' }),
    unit: buildUnit(),
    holders: [
      buildHolder(),
      buildHolder({
        role: 'administrator',
        roleLabel: 'Systemansvarig',
        person: buildPersonView({ email: 'bo.ek@testkommun.se', name: 'Bo Ek', title: 'Systemförvaltare' }),
      }),
    ],
    unavailable: [],
    otherOrganisation: false,
    ...overrides,
  };
}
