import type { Organisation, Person, SystemRecord } from '../../data/model.js';
import type { Directory } from '../directory/directory.js';
import { isAnsvarError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { unitId as unitIdOf } from '../register/ids.js';
import type { RegisterIndexes } from '../search/registerView.js';
import type { Route } from './kinds.js';
import { routeRequest, stepsOf, type RoutingResult, type RoutingSubject } from './routing.js';

/** The directory a submission asks (whether the subject exists, who their manager is) and where to warn when it is down. */
export interface DirectoryLookup {
  directory: Directory;
  logger: Logger;
}

/** Resolves the route's steps to people for a request of `subjectId` (the manager from the directory if needed). */
export async function resolveRoute(
  lookup: DirectoryLookup,
  input: {
    indexes: RegisterIndexes;
    route: Route;
    organisation: Organisation;
    system: SystemRecord | undefined;
    requesterId: string;
    subjectId: string;
    unitId: string | undefined;
    now: Date;
  },
): Promise<RoutingResult> {
  const { indexes, route, organisation, system, requesterId, subjectId, unitId, now } = input;
  const needsManager = stepsOf({ route, system }).some((step) =>
    [step.role, ...(step.with ?? []), ...(step.fallback ?? [])].includes('subject_manager'),
  );
  const managerId =
    indexes.people.get(subjectId)?.managerId ??
    (needsManager ? await managerFromDirectory(lookup, subjectId) : undefined);
  const subject: RoutingSubject = { id: subjectId };
  if (unitId !== undefined) subject.unitId = unitId;
  if (managerId !== undefined) subject.managerId = managerId;
  const routed = await routeRequest(
    { indexes, route, organisation, ...(system ? { system } : {}), requesterId, subject, now },
    lookup.directory,
  );
  if (!routed.directoryAvailable) {
    lookup.logger.warn(
      { organisationId: organisation.id },
      'directory unavailable: routed without availability',
    );
  }
  return routed;
}

/** The subject's unit from their department, when the register holds a unit of that name. */
export function unitOf(indexes: RegisterIndexes, subject: Person | undefined): string | undefined {
  if (!subject?.department || !subject.organisationId) return undefined;
  const id = unitIdOf(subject.organisationId, subject.department);
  return indexes.units.has(id) ? id : undefined;
}

export async function directoryKnows(lookup: DirectoryLookup, upn: string): Promise<boolean> {
  try {
    return (await lookup.directory.findByUpn(upn)) !== undefined;
  } catch (error) {
    if (!isAnsvarError(error, 'DirectoryUnavailable')) throw error;
    lookup.logger.warn({ err: error }, 'directory unavailable: subject accepted unchecked');
    return true;
  }
}

async function managerFromDirectory(lookup: DirectoryLookup, upn: string): Promise<string | undefined> {
  try {
    return (await lookup.directory.managerOf(upn))?.upn.toLowerCase();
  } catch (error) {
    if (!isAnsvarError(error, 'DirectoryUnavailable')) throw error;
    lookup.logger.warn({ err: error }, 'directory unavailable: subject has no manager for routing');
    return undefined;
  }
}
