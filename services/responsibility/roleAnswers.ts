import { type Answer, type PersonView, personView } from './answers.js';
import type { AnswerServices } from './answers.js';
import { isCurrent, type Language, type Person } from '../../data/model.js';
import { roleLabel } from '../nlu/vocabulary.js';
import type { SearchScope } from '../search/nameIndex.js';
import type { RegisterIndexes } from '../search/registerView.js';
import { ROLE_ORDER } from './holders.js';
import type { AskerContext } from './registerQueries.js';
import { SUGGESTION_LIMIT } from './systemSearch.js';

/** "What do I hold?", "what does NAME hold?", a person's roles by id: the 'personRoles' and 'unknownPerson' answers. */

export function ownRolesAnswer(
  services: AnswerServices,
  context: AskerContext,
  indexes: RegisterIndexes,
  language: Language,
): Answer {
  if (context.person) return personRolesAnswer(services, indexes, context.person, true, language);
  if (context.directoryPerson) {
    const d = context.directoryPerson;
    const person: PersonView = {
      id: d.upn,
      name: d.displayName,
      email: d.mail?.toLowerCase() ?? d.upn,
      aadObjectId: d.id,
    };
    if (d.jobTitle !== undefined) person.title = d.jobTitle;
    if (d.department !== undefined) person.department = d.department;
    return { kind: 'personRoles', language, person, self: true, roles: [] };
  }
  return { kind: 'unknownPerson', language, query: '', suggestions: [] };
}

export function rolesByNameAnswer(
  services: AnswerServices,
  context: AskerContext,
  indexes: RegisterIndexes,
  query: string,
  language: Language,
): Answer {
  const scope: SearchScope = context.organisation ? { preferOrganisationId: context.organisation.id } : {};
  const result = indexes.people.find(query, scope);
  if (result.kind === 'one') {
    return personRolesAnswer(
      services,
      indexes,
      result.hit.item,
      result.hit.item.id === context.person?.id,
      language,
    );
  }
  const hits =
    result.kind === 'several' ? result.hits : indexes.people.suggest(query, scope, SUGGESTION_LIMIT);
  return { kind: 'unknownPerson', language, query, suggestions: hits.map((h) => personView(h.item)) };
}

export function personRolesAnswer(
  services: AnswerServices,
  indexes: RegisterIndexes,
  person: Person,
  self: boolean,
  language: Language,
): Answer {
  const now = services.now();
  const roles: Extract<Answer, { kind: 'personRoles' }>['roles'] = [];
  for (const assignment of indexes.assignmentsByPerson.get(person.id) ?? []) {
    if (!isCurrent(assignment, now)) continue;
    const organisation = indexes.organisations.get(assignment.organisationId);
    const system = assignment.systemId ? indexes.systems.get(assignment.systemId) : undefined;
    if (!organisation || (assignment.systemId && !system)) {
      services.logger.warn(
        { assignmentId: assignment.id },
        'role assignment names an unknown organisation or system',
      );
      continue;
    }
    const role: (typeof roles)[number] = {
      role: assignment.role,
      roleLabel: roleLabel(assignment.role, language, organisation),
      organisation,
    };
    if (system) role.system = system;
    if (assignment.unitIds) {
      role.units = assignment.unitIds.flatMap((id) => {
        const unit = indexes.units.get(id);
        return unit ? [unit] : [];
      });
    }
    roles.push(role);
  }
  roles.sort(
    (a, b) =>
      a.organisation.name.localeCompare(b.organisation.name) ||
      ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role) ||
      (a.system?.name ?? '').localeCompare(b.system?.name ?? ''),
  );
  return { kind: 'personRoles', language, person: personView(person), self, roles };
}
