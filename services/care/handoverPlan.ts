import {
  isCurrent,
  ORGANISATION_ROLES,
  SYSTEM_ROLES,
  type Organisation,
  type Person,
  type Role,
  type RoleAssignment,
  type SystemRecord,
  type Unit,
} from '../../data/model.js';
import { AnsvarError } from '../../core/errors.js';
import { invalidInput, type FieldProblem } from '../requests/kinds.js';
import type { RegisterIndexes } from '../search/registerView.js';
import { careOrganisationIds } from './careAccess.js';

/** One current role of a person as a handover card lists it. */
export interface HandoverRole {
  assignment: RoleAssignment;
  organisation: Organisation;
  system?: SystemRecord;
  units: Unit[];
}

export interface HandoverPlan {
  revision: number;
  from: Person;
  to: Person;
  /** Every current role of `from` in the organisations the actor may care for, sorted for the card. */
  roles: HandoverRole[];
}

const ROLE_ORDER: readonly Role[] = [...SYSTEM_ROLES, ...ORGANISATION_ROLES];

/** What a handover from `fromId` to `toId` would move: NotAnApprover for an actor who may care for nothing. */
export function planHandover(
  indexes: RegisterIndexes,
  actorId: string,
  fromId: string,
  toId: string,
  now: Date,
): HandoverPlan {
  const care = careOrganisationIds(indexes, actorId, now);
  if (care.size === 0)
    throw new AnsvarError('NotAnApprover', `${actorId} may not care for the register`, { actorId });
  const from = indexes.people.get(fromId.toLowerCase());
  const to = indexes.people.get(toId.toLowerCase());
  const problems: FieldProblem[] = [];
  if (!from) problems.push({ field: 'fromId', problem: 'unknownPerson' });
  if (!to) problems.push({ field: 'toId', problem: 'unknownPerson' });
  if (from && to && from.id === to.id) problems.push({ field: 'toId', problem: 'samePerson' });
  if (problems.length > 0 || !from || !to) throw invalidInput('no handover between these people', problems);
  const roles: HandoverRole[] = [];
  for (const assignment of indexes.assignmentsByPerson.get(from.id) ?? []) {
    if (!care.has(assignment.organisationId) || !isCurrent(assignment, now)) continue;
    const organisation = indexes.organisations.get(assignment.organisationId);
    const system = assignment.systemId ? indexes.systems.get(assignment.systemId) : undefined;
    if (!organisation || (assignment.systemId !== undefined && !system)) continue;
    const units = (assignment.unitIds ?? []).flatMap((id) => indexes.units.get(id) ?? []);
    roles.push(system ? { assignment, organisation, system, units } : { assignment, organisation, units });
  }
  roles.sort(
    (a, b) =>
      a.organisation.name.localeCompare(b.organisation.name) ||
      ROLE_ORDER.indexOf(a.assignment.role) - ROLE_ORDER.indexOf(b.assignment.role) ||
      (a.system?.name ?? '').localeCompare(b.system?.name ?? '') ||
      a.assignment.id.localeCompare(b.assignment.id),
  );
  return { revision: indexes.revision, from, to, roles };
}
