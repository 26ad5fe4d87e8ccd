import { isCurrent, type Organisation, type Role, type SystemRecord } from '../../data/model.js';
import type { Skipped, Stage } from '../../data/requestModel.js';
import { availabilityOf } from '../directory/availability.js';
import type { Directory, PersonStatus } from '../directory/directory.js';
import { isAnsvarError } from '../../core/errors.js';
import type { RegisterIndexes } from '../search/registerView.js';
import type { HolderSource, Route, RouteCondition, StepSpec } from './kinds.js';

/**
 * Resolves a route to people at request time. The resolved stages are stored with the request, so a decision never
 * depends on how the register or the directory look later. Rules:
 *
 * - A step's holders are looked for group by group (role with its `with` sources, then each fallback alone); the
 *   first group with anyone eligible wins, and all eligible holders of that group are the approvers (any one of
 *   them decides). Holders passed over on the way are recorded in `skipped` with the reason.
 * - Not eligible: the requester and the subject (never approvers of their own request), then anyone the
 *   directory reports as not found, disabled or out of office.
 * - The directory is asked once per routing (`statusOf` for every candidate of every step). When it cannot be
 *   reached, everyone counts as available and `directoryAvailable` is false (the request is not held up; the audit
 *   log says so).
 * - A step whose holders are all out of office (none available in any group) goes to those away holders of every
 *   group, in order, marked `awaitingReturn`: they are the only ones allowed, and a request to nobody would never
 *   reach anyone when they are back. They are not listed as skipped.
 * - A step whose every group is empty or has nobody but disabled, missing, requester or subject stays on the route
 *   with no approvers, and a `RoutingProblem` names the organisation's IT coordinators to contact: the request still
 *   opens and can be cancelled.
 * - A step with `satisfiedByRequester` is left out when the requester holds its role (see StepSpec).
 * - A step with `requesterMayAct` keeps the requester among its people when they hold its role; the subject is still
 *   not eligible unless they are the requester.
 * - The route's `task` is its last step, a work step; every step, decision or work, is resolved the same way.
 */

export interface RoutingSubject {
  /** Person id (lower-cased e-mail). */
  id: string;
  /** The subject's unit (for the unit's IT orderer). */
  unitId?: string;
  /** Person id of the subject's manager (register, else directory). */
  managerId?: string;
}

export interface RoutingInput {
  indexes: RegisterIndexes;
  route: Route;
  organisation: Organisation;
  system?: SystemRecord;
  requesterId: string;
  subject: RoutingSubject;
  now: Date;
}

export interface RoutingProblem {
  /** The step's name. */
  step: string;
  /** Index into the routed stages. */
  at: number;
  /** Whom the requester should contact: the organisation's current IT coordinators. */
  contacts: string[];
}

export interface OmittedStep {
  name: string;
  role: StepSpec['role'];
  reason: 'requesterHolds';
}

export interface RoutingResult {
  /** Every step of the route in order, decisions and work, resolved to people. */
  stages: Stage[];
  omitted: OmittedStep[];
  problems: RoutingProblem[];
  directoryAvailable: boolean;
}

const CONDITIONS: Record<RouteCondition, (input: RoutingInput) => boolean> = {
  systemProcessesPersonalData: (input) => input.system?.processesPersonalData === true,
};

const SYSTEM_SOURCES: Partial<Record<HolderSource, Role>> = {
  system_administrator: 'administrator',
  system_deputy: 'deputy',
  system_owner: 'owner',
};

const ORGANISATION_SOURCES: Partial<Record<HolderSource, Role>> = {
  security_officer: 'security_officer',
  it_coordinator: 'it_coordinator',
  it_unit: 'it_unit',
};

/** The steps a route has for this request, conditions applied, the task (as a work step) last. */
export function stepsOf(input: Pick<RoutingInput, 'route'> & Partial<RoutingInput>): StepSpec[] {
  const steps = [...input.route.stages];
  for (const conditional of input.route.conditionalStages ?? []) {
    if (CONDITIONS[conditional.when](input as RoutingInput)) steps.push(...conditional.stages);
  }
  if (input.route.task) steps.push({ ...input.route.task, type: 'work' });
  return steps;
}

/** Current holders of one source for this request, person ids in a stable order (earliest assignment first). */
export function holdersOf(source: HolderSource, input: RoutingInput): string[] {
  const { indexes, now } = input;
  const ordered = (assignments: readonly { personId: string; validFrom: string }[]) =>
    [...assignments]
      .sort((a, b) => a.validFrom.localeCompare(b.validFrom) || a.personId.localeCompare(b.personId))
      .map((a) => a.personId.toLowerCase());
  if (source === 'subject_manager')
    return input.subject.managerId ? [input.subject.managerId.toLowerCase()] : [];
  if (source === 'unit_it_orderer') {
    const unitId = input.subject.unitId;
    const unit = unitId ? indexes.units.get(unitId) : undefined;
    if (!unit) return [];
    return ordered(
      (indexes.organisationAssignments.get(unit.organisationId) ?? []).filter(
        (a) => a.role === 'it_orderer' && isCurrent(a, now) && a.unitIds?.includes(unit.id) === true,
      ),
    );
  }
  const systemRole = SYSTEM_SOURCES[source];
  if (systemRole) {
    if (!input.system) return [];
    return ordered(
      (indexes.assignmentsBySystem.get(input.system.id) ?? []).filter(
        (a) => a.role === systemRole && isCurrent(a, now),
      ),
    );
  }
  const organisationRole = ORGANISATION_SOURCES[source];
  if (organisationRole) {
    return ordered(
      (indexes.organisationAssignments.get(input.organisation.id) ?? []).filter(
        (a) => a.role === organisationRole && isCurrent(a, now),
      ),
    );
  }
  return [];
}

function groupsOf(step: StepSpec): HolderSource[][] {
  return [[step.role, ...(step.with ?? [])], ...(step.fallback ?? []).map((source) => [source])];
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

export async function routeRequest(input: RoutingInput, directory: Directory): Promise<RoutingResult> {
  const requesterId = input.requesterId.toLowerCase();
  const subjectId = input.subject.id.toLowerCase();
  const omitted: OmittedStep[] = [];
  const steps = stepsOf(input).filter((step) => {
    const requesterHolds =
      step.satisfiedByRequester === true &&
      [step.role, ...(step.with ?? [])].some((source) => holdersOf(source, input).includes(requesterId));
    if (requesterHolds) omitted.push({ name: step.name, role: step.role, reason: 'requesterHolds' });
    return !requesterHolds;
  });
  const candidates = new Map<HolderSource, string[]>();
  for (const step of steps) {
    for (const group of groupsOf(step)) {
      for (const source of group)
        if (!candidates.has(source)) candidates.set(source, holdersOf(source, input));
    }
  }

  const upnOf = (id: string) => (input.indexes.people.get(id)?.email ?? id).toLowerCase();
  const upns = unique([...candidates.values()].flat().map(upnOf));
  let statuses = new Map<string, PersonStatus>();
  let directoryAvailable = true;
  if (upns.length > 0) {
    try {
      const result = await directory.statusOf(upns);
      statuses = new Map([...result].map(([upn, status]) => [upn.toLowerCase(), status]));
    } catch (error) {
      if (!isAnsvarError(error, 'DirectoryUnavailable')) throw error;
      directoryAvailable = false;
    }
  }

  const coordinators = holdersOf('it_coordinator', input);
  const problems: RoutingProblem[] = [];

  const resolve = (step: StepSpec) => {
    const skipped: Skipped[] = [];
    const seen = new Set<string>();
    const groups = groupsOf(step);
    for (const [i, group] of groups.entries()) {
      const approverIds: string[] = [];
      for (const personId of unique(group.flatMap((source) => candidates.get(source) ?? []))) {
        if (approverIds.includes(personId)) continue;
        const reason = ineligibility(personId, step.requesterMayAct === true);
        if (reason === undefined) approverIds.push(personId);
        else if (!seen.has(personId)) {
          seen.add(personId);
          skipped.push({ personId, reason });
        }
      }
      if (approverIds.length > 0) {
        return { approverIds, skipped, resolvedVia: i === 0 ? undefined : group[0], awaitingReturn: false };
      }
    }
    const away = skipped.filter((s) => s.reason === 'outOfOffice').map((s) => s.personId);
    return {
      approverIds: away,
      skipped: skipped.filter((s) => s.reason !== 'outOfOffice'),
      resolvedVia: undefined,
      awaitingReturn: away.length > 0,
    };
  };

  const ineligibility = (personId: string, requesterMayAct: boolean): Skipped['reason'] | undefined => {
    const requesterActs = requesterMayAct && personId === requesterId;
    if (personId === requesterId && !requesterActs) return 'isRequester';
    if (personId === subjectId && !requesterActs) return 'isSubject';
    const status = availabilityOf(statuses.get(upnOf(personId))).status;
    return status === 'available' ? undefined : status;
  };

  const stages = steps.map((step, index): Stage => {
    const { approverIds, skipped, resolvedVia, awaitingReturn } = resolve(step);
    const stage: Stage = {
      name: step.name,
      type: step.type ?? 'decision',
      role: step.role,
      approverIds,
      skipped,
    };
    if (resolvedVia !== undefined) stage.resolvedVia = resolvedVia;
    if (awaitingReturn) stage.awaitingReturn = true;
    if (step.requesterMayAct === true) stage.requesterMayAct = true;
    if (approverIds.length === 0) problems.push({ step: step.name, at: index, contacts: coordinators });
    return stage;
  });

  return { stages, omitted, problems, directoryAvailable };
}

/**
 * Who a step escalates to: the holders of the first source in `sources` (the step's fallback chain after the
 * group its people came from) with anyone eligible who is not already among `current` (the step's people). Eligible
 * as in routing: never the requester or the subject; not disabled, missing or out of office when the directory
 * can say (when it cannot, everyone counts as available). Undefined when the chain has nobody more.
 */
export async function escalationTargets(
  input: RoutingInput,
  sources: readonly HolderSource[],
  current: readonly string[],
  directory: Directory,
): Promise<{ personIds: string[]; via: HolderSource } | undefined> {
  const requesterId = input.requesterId.toLowerCase();
  const subjectId = input.subject.id.toLowerCase();
  const upnOf = (id: string) => (input.indexes.people.get(id)?.email ?? id).toLowerCase();
  for (const source of sources) {
    const candidates = unique(holdersOf(source, input)).filter(
      (id) => id !== requesterId && id !== subjectId && !current.includes(id),
    );
    if (candidates.length === 0) continue;
    let statuses = new Map<string, PersonStatus>();
    try {
      const result = await directory.statusOf(candidates.map(upnOf));
      statuses = new Map([...result].map(([upn, status]) => [upn.toLowerCase(), status]));
    } catch (error) {
      if (!isAnsvarError(error, 'DirectoryUnavailable')) throw error;
    }
    const available = candidates.filter(
      (id) => availabilityOf(statuses.get(upnOf(id))).status === 'available',
    );
    if (available.length > 0) return { personIds: available, via: source };
  }
  return undefined;
}
