import { isCurrent, type OrganisationRole, type Person } from '../../data/model.js';
import type { RegisterIndexes } from '../search/registerView.js';
import { LIST_READER_ROLES } from '../lists/index.js';

/** Organisations in which `personId` holds a list reader's role at `now`: those they may care for. */
export function careOrganisationIds(indexes: RegisterIndexes, personId: string, now: Date): Set<string> {
  const ids = new Set<string>();
  for (const a of indexes.assignmentsByPerson.get(personId.toLowerCase()) ?? []) {
    if (
      a.systemId === undefined &&
      LIST_READER_ROLES.includes(a.role as OrganisationRole) &&
      isCurrent(a, now)
    )
      ids.add(a.organisationId);
  }
  return ids;
}

/** The current IT coordinators of an organisation, whom a refused actor is told to turn to. */
export function coordinatorsOf(indexes: RegisterIndexes, organisationId: string, now: Date): Person[] {
  const people = new Map<string, Person>();
  for (const a of indexes.organisationAssignments.get(organisationId) ?? []) {
    const person = indexes.people.get(a.personId);
    if (a.role === 'it_coordinator' && isCurrent(a, now) && person) people.set(person.id, person);
  }
  return [...people.values()];
}
