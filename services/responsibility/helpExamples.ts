import { isCurrent, type Language, type Organisation, type OrganisationRole } from '../../data/model.js';
import { DEFAULT_ROLE_LABELS, ORGANISATION_ROLE_NOUNS, roleLabel } from '../nlu/vocabulary.js';
import type { RegisterIndexes } from '../search/registerView.js';

/**
 * The system names the help and welcome cards put in their example questions: real systems of the asker's own
 * organisation (of the whole register when the asker has none), so every example can be tried and answers. The
 * systems most people ask about come first: in use, with an owner, and with the most role holders; short names
 * before long ones. At most `count`; none for an empty register (the card then uses its language's defaults).
 */
export function exampleSystemNames(
  indexes: Pick<RegisterIndexes, 'register' | 'assignmentsBySystem'>,
  organisationId: string | undefined,
  count = 2,
  now: Date = new Date(),
): string[] {
  const candidates = indexes.register.systems.filter(
    (s) =>
      s.lifecycle !== 'retired' &&
      s.name.length <= 40 &&
      (organisationId === undefined || s.organisationId === organisationId),
  );
  const scored = candidates.map((system) => {
    const current = (indexes.assignmentsBySystem.get(system.id) ?? []).filter((a) => isCurrent(a, now));
    const owned = current.some((a) => a.role === 'owner');
    return { name: system.name, score: (owned ? 100 : 0) + current.length };
  });
  scored.sort((a, b) => b.score - a.score || a.name.length - b.name.length || a.name.localeCompare(b.name));
  return [...new Set(scored.map((s) => s.name))].slice(0, count);
}

/** The organisation roles an example question asks about, the one most people need first. */
const EXAMPLE_ROLES: readonly OrganisationRole[] = [
  'it_coordinator',
  'security_officer',
  'data_protection_officer',
  'it_manager',
  'it_unit',
  'it_orderer',
];

/**
 * The role word of the help card's organisation-role example ("vem är IT-samordnare"): the first of `EXAMPLE_ROLES`
 * someone currently holds in the asker's organisation, so the example answers with people of their own register.
 * The organisation's own word for it when questions are understood with that word, else the language's word.
 * Undefined without an organisation or without any holder (the card then uses its language's default).
 */
export function exampleOrganisationRole(
  indexes: Pick<RegisterIndexes, 'organisationAssignments'>,
  organisation: Organisation | undefined,
  language: Language,
  now: Date = new Date(),
): string | undefined {
  if (organisation === undefined) return undefined;
  const held = new Set(
    (indexes.organisationAssignments.get(organisation.id) ?? [])
      .filter((a) => isCurrent(a, now))
      .map((a) => a.role),
  );
  const role = EXAMPLE_ROLES.find((r) => held.has(r));
  if (role === undefined) return undefined;
  const own = roleLabel(role, language, organisation);
  return ORGANISATION_ROLE_NOUNS[role].includes(own.toLocaleLowerCase(language === 'en' ? 'en' : 'sv'))
    ? own
    : DEFAULT_ROLE_LABELS[language][role];
}
