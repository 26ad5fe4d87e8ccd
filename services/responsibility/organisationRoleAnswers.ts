import { isCurrent, type Language, type Organisation, type OrganisationRole } from '../../data/model.js';
import { availabilityOf } from '../directory/availability.js';
import type { Scope } from '../nlu/intent.js';
import { roleLabel } from '../nlu/vocabulary.js';
import type { RegisterIndexes } from '../search/registerView.js';
import type { Answer, AnswerServices, OrganisationRoleHolderView } from './answers.js';
import { statusesOf } from './holders.js';
import type { AskerContext } from './registerQueries.js';
import { organisationNamed, personViewById, registerKeepers, unitNamed } from './registerReading.js';

/** "Who is the data protection officer (in ORGANISATION)?", "who is IT orderer for UNIT?": the 'organisationRole' answer. */

export async function organisationRoleAnswer(
  services: AnswerServices,
  context: AskerContext,
  indexes: RegisterIndexes,
  role: OrganisationRole,
  scope: Scope | undefined,
  language: Language,
): Promise<Answer> {
  const { organisation, unitQuery } = organisationRoleScope(context, indexes, scope);
  const answer: Extract<Answer, { kind: 'organisationRole' }> = {
    kind: 'organisationRole',
    language,
    role,
    roleLabel: roleLabel(role, language, organisation),
    organisations: [],
    holders: [],
    registerKeepers: [],
  };
  if (!organisation) {
    answer.organisations = [...indexes.organisations.values()].sort((a, b) => a.name.localeCompare(b.name));
    return answer;
  }
  answer.organisation = organisation;
  const now = services.now();
  let assignments = (indexes.organisationAssignments.get(organisation.id) ?? []).filter(
    (a) => a.role === role && isCurrent(a, now),
  );
  if (role === 'it_orderer' && unitQuery !== undefined) {
    const unit = unitNamed(indexes, organisation, unitQuery);
    if (unit) {
      answer.unit = unit;
      assignments = assignments.filter((a) => a.unitIds?.includes(unit.id));
    } else {
      answer.unknownUnit = unitQuery;
    }
  }
  // A person may hold the role through several assignments (one row per unit): one holder, units merged.
  const unitIdsByPerson = new Map<string, Set<string>>();
  for (const assignment of assignments) {
    const unitIds = unitIdsByPerson.get(assignment.personId) ?? new Set<string>();
    for (const id of assignment.unitIds ?? []) unitIds.add(id);
    unitIdsByPerson.set(assignment.personId, unitIds);
  }
  const people = [...unitIdsByPerson.keys()].map((id) => personViewById(indexes, id));
  const statuses = await statusesOf(
    services,
    people.map((p) => p.email.toLowerCase()),
  );
  answer.holders = people.map((person): OrganisationRoleHolderView => {
    const holder: OrganisationRoleHolderView = {
      person,
      ...availabilityOf(statuses.get(person.email.toLowerCase())),
    };
    if (role === 'it_orderer') {
      holder.units = [...unitIdsByPerson.get(person.id)!].flatMap((id) => {
        const unit = indexes.units.get(id);
        return unit ? [unit] : [];
      });
    }
    return holder;
  });
  if (answer.holders.length === 0)
    answer.registerKeepers = registerKeepers(indexes, organisation, services.now());
  return answer;
}

/**
 * The organisation an organisation-role question is about and the unit words it names: the whole scope when it
 * names an organisation; else its trailing "i <organisation>" with the rest as the unit; else the asker's (or
 * the register's only) organisation with the whole scope as the unit.
 */
export function organisationRoleScope(
  context: AskerContext,
  indexes: RegisterIndexes,
  scope: Scope | undefined,
): { organisation?: Organisation; unitQuery?: string } {
  const only = indexes.organisations.size === 1 ? [...indexes.organisations.values()][0] : undefined;
  const home = context.organisation ?? only;
  if (!scope) return home ? { organisation: home } : {};
  const whole = organisationNamed(indexes, scope.fullQuery);
  if (whole) return { organisation: whole };
  const hinted = scope.organisationHint ? organisationNamed(indexes, scope.organisationHint) : undefined;
  if (hinted) return { organisation: hinted, unitQuery: scope.query };
  return home ? { organisation: home, unitQuery: scope.fullQuery } : { unitQuery: scope.fullQuery };
}
