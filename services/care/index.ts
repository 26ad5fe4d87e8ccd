import {
  isCurrent,
  isSystemRole,
  type Organisation,
  type Person,
  type Role,
  type RoleAssignment,
  type SystemRecord,
} from '../../data/model.js';
import type { RegisterStore } from '../../data/registerStore.js';
import type { AuditEvent } from '../../data/requestModel.js';
import { AnsvarError } from '../../core/errors.js';
import { systemId as systemIdOf } from '../register/ids.js';
import { invalidInput, type FieldProblem } from '../requests/kinds.js';
import type { RegisterIndexes, RegisterView } from '../search/registerView.js';
import { careOrganisationIds, coordinatorsOf } from './careAccess.js';
import {
  addSystemSchema,
  assignRoleSchema,
  confirmSystemSchema,
  editSystemSchema,
  parse,
} from './careInputs.js';
import { planHandover, type HandoverPlan } from './handoverPlan.js';

export type { HandoverPlan, HandoverRole } from './handoverPlan.js';

/**
 * Care of the register in Teams (issue 5, points 4 and 5): adding and editing systems, assigning and ending roles,
 * the owner's confirmation of an entry, and handing all of someone's roles over to someone else.
 *
 * Every use case:
 * - authorises the actor against the register as it is now: the holders of `LIST_READER_ROLES` may care for their
 *   organisation's entries (several organisations when they hold such a role in several); confirming an entry is
 *   for the system's current owner. Anyone else gets AnsvarError('NotAnApprover'), details `{ actorId }`.
 * - validates with zod; problems are AnsvarError('InvalidInput', message, FieldProblem[]) as in requests/kinds.ts.
 * - writes with one compare-and-set on `expectedRevision`, the revision the confirmation card showed: any change to
 *   the register since (by anyone) is AnsvarError('RevisionConflict') and nothing is written, so what was confirmed
 *   is what is written.
 * - writes one audit event per changed thing in the same atomic step (`RegisterStore.apply` effects): type
 *   'register_changed' with flat `details` (entity, id, field/change, before, after, role, personId, systemId ...),
 *   and for a handover one 'handover' event besides.
 * - never deletes: an ended role gets `validTo` = now and stays, so "who owned X on DAY" keeps its answer.
 */

export interface RegisterCareDeps {
  store: Pick<RegisterStore, 'apply'>;
  view: Pick<RegisterView, 'current'>;
  now: () => Date;
  newId: () => string;
}

export interface CareResult {
  revision: number;
  /** Ids of the audit events written. */
  auditIds: string[];
  /** People to tell about the change (person ids). */
  notify: string[];
}

export interface AddSystemInput {
  organisationId: string;
  name: string;
  aliases?: readonly string[];
  unitId?: string;
  supplier?: string;
  supplierSupport?: string;
  processesPersonalData?: boolean;
}

/** Only the fields given change; '' clears an optional text, an empty list clears the aliases. */
export interface EditSystemInput {
  systemId: string;
  aliases?: readonly string[];
  supplier?: string;
  supplierSupport?: string;
  /** '' = no unit. */
  unitId?: string;
}

export interface AssignRoleInput {
  role: Role;
  personId: string;
  /** System roles: the system. */
  systemId?: string;
  /** Organisation roles: the organisation. */
  organisationId?: string;
  /** it_orderer: the units of the authorisation list (at least one). */
  unitIds?: readonly string[];
  /** Current holders of the same role whose assignment ends in the same change (a new owner replacing the old). */
  endAssignmentIds?: readonly string[];
}

/** The same role in the same place: the same system, or the same organisation for an organisation role. */
function samePost(
  a: RoleAssignment,
  b: Pick<RoleAssignment, 'role' | 'systemId' | 'organisationId'>,
): boolean {
  return a.role === b.role && a.systemId === b.systemId && a.organisationId === b.organisationId;
}

export class RegisterCareService {
  constructor(private readonly deps: RegisterCareDeps) {}

  /** The register as the use cases see it (the card layer shows this revision and sends it back). */
  indexes(): Promise<RegisterIndexes> {
    return this.deps.view.current();
  }

  /** The organisations `actorId` may care for now, by name. */
  async careOrganisations(actorId: string): Promise<Organisation[]> {
    const indexes = await this.deps.view.current();
    return [...careOrganisationIds(indexes, actorId, this.deps.now())]
      .flatMap((id) => indexes.organisations.get(id) ?? [])
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The current IT coordinators of an organisation: whom a refused actor is told to turn to. */
  async coordinators(organisationId: string): Promise<Person[]> {
    return coordinatorsOf(await this.deps.view.current(), organisationId, this.deps.now());
  }

  /** Current assignments of `role` for a system or an organisation (organisation roles). */
  async holders(role: Role, where: { systemId?: string; organisationId: string }): Promise<RoleAssignment[]> {
    const indexes = await this.deps.view.current();
    const now = this.deps.now();
    const all = where.systemId
      ? indexes.assignmentsBySystem.get(where.systemId)
      : indexes.organisationAssignments.get(where.organisationId);
    return (all ?? []).filter((a) => a.role === role && isCurrent(a, now));
  }

  async addSystem(
    actorId: string,
    input: AddSystemInput,
    expectedRevision: number,
  ): Promise<CareResult & { systemId: string }> {
    const value = parse(addSystemSchema, input, 'new system');
    const indexes = await this.current(expectedRevision);
    const organisation = indexes.organisations.get(value.organisationId);
    if (!organisation)
      throw invalidInput('unknown organisation', [{ field: 'organisationId', problem: 'invalid' }]);
    this.authorise(indexes, actorId, organisation.id);
    const id = systemIdOf(organisation.id, value.name);
    const problems: FieldProblem[] = [];
    if (id === `${organisation.id}/`) problems.push({ field: 'name', problem: 'invalid' });
    else if (indexes.systems.get(id)) problems.push({ field: 'name', problem: 'exists' });
    if (value.unitId !== null && indexes.units.get(value.unitId)?.organisationId !== organisation.id)
      problems.push({ field: 'unitId', problem: 'invalidChoice' });
    if (problems.length > 0) throw invalidInput('the new system cannot be added', problems);
    const system: SystemRecord = {
      id,
      organisationId: organisation.id,
      name: value.name,
      aliases: [...new Set(value.aliases)],
      lifecycle: 'active',
      processesPersonalData: value.processesPersonalData,
    };
    if (value.unitId !== null) system.unitId = value.unitId;
    if (value.supplier !== null) system.supplier = value.supplier;
    if (value.supplierSupport !== null) system.supplierSupport = value.supplierSupport;
    const event = this.event(actorId, organisation.id, id, {
      entity: 'system',
      id,
      change: 'added',
      name: system.name,
      aliases: system.aliases.join('; '),
      unitId: system.unitId ?? null,
      supplier: system.supplier ?? null,
      supplierSupport: system.supplierSupport ?? null,
      processesPersonalData: system.processesPersonalData,
    });
    const revision = await this.deps.store.apply({ systems: [system] }, expectedRevision, { audit: [event] });
    return { revision, auditIds: [event.id], notify: [], systemId: id };
  }

  async editSystem(actorId: string, input: EditSystemInput, expectedRevision: number): Promise<CareResult> {
    const value = parse(editSystemSchema, input, 'system change');
    const indexes = await this.current(expectedRevision);
    const system = this.system(indexes, value.systemId);
    this.authorise(indexes, actorId, system.organisationId);
    if (value.unitId && indexes.units.get(value.unitId)?.organisationId !== system.organisationId)
      throw invalidInput('unknown unit', [{ field: 'unitId', problem: 'invalidChoice' }]);
    const next: SystemRecord = { ...system, aliases: [...system.aliases] };
    const changes: { field: string; before: string | null; after: string | null }[] = [];
    const set = (field: 'supplier' | 'supplierSupport' | 'unitId', after: string | undefined) => {
      if (after === undefined) return;
      const before = system[field] ?? null;
      const wanted = after === '' ? null : after;
      if (before === wanted) return;
      if (wanted === null) delete next[field];
      else next[field] = wanted;
      changes.push({ field, before, after: wanted });
    };
    if (value.aliases !== undefined) {
      const aliases = [...new Set(value.aliases)];
      if (aliases.join('\n') !== system.aliases.join('\n')) {
        next.aliases = aliases;
        changes.push({ field: 'aliases', before: system.aliases.join('; '), after: aliases.join('; ') });
      }
    }
    set('supplier', value.supplier);
    set('supplierSupport', value.supplierSupport);
    set('unitId', value.unitId);
    if (changes.length === 0)
      throw invalidInput('nothing to change', [{ field: 'fields', problem: 'unchanged' }]);
    const audit = changes.map((c) =>
      this.event(actorId, system.organisationId, system.id, { entity: 'system', id: system.id, ...c }),
    );
    const revision = await this.deps.store.apply({ systems: [next] }, expectedRevision, { audit });
    return { revision, auditIds: audit.map((e) => e.id), notify: [] };
  }

  /**
   * A new assignment from now. An IT orderer who already is one gets the new authorisation list: the current
   * assignment ends and a new one with `unitIds` begins. Anyone else who already holds the role is refused
   * ('alreadyHolds'). `endAssignmentIds` end current holders of the same role in the same change.
   */
  async assignRole(
    actorId: string,
    input: AssignRoleInput,
    expectedRevision: number,
  ): Promise<CareResult & { assignmentId: string }> {
    const value = parse(assignRoleSchema, input, 'role assignment');
    const indexes = await this.current(expectedRevision);
    const system = isSystemRole(value.role) ? this.system(indexes, value.systemId!) : undefined;
    const organisationId = system?.organisationId ?? value.organisationId!;
    if (!indexes.organisations.has(organisationId))
      throw invalidInput('unknown organisation', [{ field: 'organisationId', problem: 'invalid' }]);
    this.authorise(indexes, actorId, organisationId);
    const person = indexes.people.get(value.personId);
    if (!person) throw invalidInput('unknown person', [{ field: 'personId', problem: 'unknownPerson' }]);
    if (value.unitIds.some((id) => indexes.units.get(id)?.organisationId !== organisationId))
      throw invalidInput('unknown unit', [{ field: 'unitIds', problem: 'invalidChoice' }]);
    const now = this.deps.now();
    const post = { role: value.role, systemId: system?.id, organisationId };
    const current =
      (system
        ? indexes.assignmentsBySystem.get(system.id)
        : indexes.organisationAssignments.get(organisationId)) ?? [];
    const holding = current.filter((a) => samePost(a, post) && isCurrent(a, now));
    const own = holding.filter((a) => a.personId === person.id);
    if (own.length > 0 && value.role !== 'it_orderer')
      throw invalidInput('already holds the role', [{ field: 'personId', problem: 'alreadyHolds' }]);
    const byId = new Map(holding.map((a) => [a.id, a]));
    const ending = [...own];
    for (const id of value.endAssignmentIds) {
      const assignment = byId.get(id);
      if (!assignment)
        throw invalidInput('not a current holder', [{ field: 'endAssignmentIds', problem: 'invalid' }]);
      if (!ending.includes(assignment)) ending.push(assignment);
    }
    const at = now.toISOString();
    const assignment: RoleAssignment = {
      id: this.deps.newId(),
      organisationId,
      role: value.role,
      personId: person.id,
      validFrom: at,
    };
    if (system) assignment.systemId = system.id;
    if (value.role === 'it_orderer') assignment.unitIds = [...new Set(value.unitIds)];
    const ended = ending.map((a) => ({ ...a, validTo: at }));
    const audit = [
      ...ended.map((a) => this.roleEvent(actorId, a, 'ended')),
      this.roleEvent(actorId, assignment, 'assigned'),
    ];
    const revision = await this.deps.store.apply(
      { roleAssignments: [...ended, assignment] },
      expectedRevision,
      { audit },
    );
    const notify = [...new Set([person.id, ...ended.map((a) => a.personId)])];
    return { revision, auditIds: audit.map((e) => e.id), notify, assignmentId: assignment.id };
  }

  /** Ends one current assignment now (`validTo`); it stays in the register as history. */
  async endRole(
    actorId: string,
    input: { assignmentId: string },
    expectedRevision: number,
  ): Promise<CareResult> {
    const indexes = await this.current(expectedRevision);
    const assignment = indexes.register.roleAssignments.find((a) => a.id === input.assignmentId);
    if (!assignment || !isCurrent(assignment, this.deps.now()))
      throw invalidInput('no such current role', [{ field: 'assignmentId', problem: 'notCurrent' }]);
    this.authorise(indexes, actorId, assignment.organisationId);
    const ended = { ...assignment, validTo: this.deps.now().toISOString() };
    const event = this.roleEvent(actorId, ended, 'ended');
    const revision = await this.deps.store.apply({ roleAssignments: [ended] }, expectedRevision, {
      audit: [event],
    });
    return { revision, auditIds: [event.id], notify: [assignment.personId] };
  }

  /**
   * The system's current owner confirms that its entry is right (`confirmedAt` = now), correcting the supplier,
   * whether it processes personal data and the day of the last risk analysis on the way (one change, one audit
   * event per field that changed). Only an owner may.
   */
  async confirmSystem(
    actorId: string,
    rawInput: {
      systemId: string;
      supplier?: string;
      processesPersonalData?: boolean;
      riskAnalysisAt?: string;
    },
    expectedRevision: number,
  ): Promise<CareResult> {
    const input = parse(confirmSystemSchema, rawInput, 'confirmation');
    const indexes = await this.current(expectedRevision);
    const system = this.system(indexes, input.systemId);
    const now = this.deps.now();
    const owner = (indexes.assignmentsBySystem.get(system.id) ?? []).some(
      (a) => a.role === 'owner' && a.personId === actorId.toLowerCase() && isCurrent(a, now),
    );
    if (!owner)
      throw new AnsvarError('NotAnApprover', `${actorId} is not the owner of ${system.id}`, {
        actorId,
        systemId: system.id,
      });
    const riskAnalysisAt =
      input.riskAnalysisAt === undefined ? undefined : `${input.riskAnalysisAt}T00:00:00.000Z`;
    if (riskAnalysisAt !== undefined && Date.parse(riskAnalysisAt) > now.getTime())
      throw invalidInput('risk analysis in the future', [{ field: 'riskAnalysisAt', problem: 'future' }]);
    const at = now.toISOString();
    const updated: SystemRecord = { ...system, confirmedAt: at };
    const events = [
      this.event(actorId, system.organisationId, system.id, {
        entity: 'system',
        id: system.id,
        field: 'confirmedAt',
        before: system.confirmedAt ?? null,
        after: at,
      }),
    ];
    const change = (
      field: 'supplier' | 'riskAnalysisAt' | 'processesPersonalData',
      after: string | boolean,
    ) => {
      const before = system[field];
      if (before === after) return;
      events.push(
        this.event(actorId, system.organisationId, system.id, {
          entity: 'system',
          id: system.id,
          field,
          before: before ?? null,
          after,
        }),
      );
    };
    if (input.supplier !== undefined && input.supplier !== (system.supplier ?? '')) {
      change('supplier', input.supplier);
      if (input.supplier === '') delete updated.supplier;
      else updated.supplier = input.supplier;
    }
    if (input.processesPersonalData !== undefined) {
      change('processesPersonalData', input.processesPersonalData);
      updated.processesPersonalData = input.processesPersonalData;
    }
    if (riskAnalysisAt !== undefined) {
      change('riskAnalysisAt', riskAnalysisAt);
      updated.riskAnalysisAt = riskAnalysisAt;
    }
    const revision = await this.deps.store.apply({ systems: [updated] }, expectedRevision, {
      audit: events,
    });
    return { revision, auditIds: events.map((e) => e.id), notify: [] };
  }

  /**
   * What a handover from `fromId` to `toId` would move: every current role of `fromId` in the organisations the
   * actor may care for. Refuses an actor who may care for none (NotAnApprover), and the same person twice.
   */
  async handoverPlan(actorId: string, fromId: string, toId: string): Promise<HandoverPlan> {
    const indexes = await this.deps.view.current();
    return planHandover(indexes, actorId, fromId, toId, this.deps.now());
  }

  /**
   * Hands the planned roles over in one change: each chosen assignment ends now and the same role begins for the
   * new holder (an IT orderer's authorisation list with it; merged into theirs when they already are one; nothing
   * new when they already hold that role). `keepAssignmentIds` stay with the old holder. One 'handover' event and
   * one 'register_changed' per role moved.
   */
  async handover(
    actorId: string,
    input: { fromId: string; toId: string; keepAssignmentIds?: readonly string[] },
    expectedRevision: number,
  ): Promise<CareResult & { moved: number }> {
    const indexes = await this.current(expectedRevision);
    const plan = planHandover(indexes, actorId, input.fromId, input.toId, this.deps.now());
    const keep = new Set(input.keepAssignmentIds ?? []);
    const chosen = plan.roles.filter((r) => !keep.has(r.assignment.id));
    if (chosen.length === 0) throw invalidInput('no role chosen', [{ field: 'roles', problem: 'required' }]);
    const now = this.deps.now();
    const at = now.toISOString();
    const written: RoleAssignment[] = [];
    const audit: AuditEvent[] = [];
    const toHolds = indexes.assignmentsByPerson.get(plan.to.id) ?? [];
    for (const { assignment } of chosen) {
      const ended = { ...assignment, validTo: at };
      written.push(ended);
      const existing = toHolds.find((a) => samePost(a, assignment) && isCurrent(a, now));
      let successor: RoleAssignment | undefined;
      if (!existing || assignment.role === 'it_orderer') {
        successor = { ...assignment, id: this.deps.newId(), personId: plan.to.id, validFrom: at };
        delete successor.validTo;
        if (existing) {
          successor.unitIds = [...new Set([...(existing.unitIds ?? []), ...(assignment.unitIds ?? [])])];
          written.push({ ...existing, validTo: at });
        }
        written.push(successor);
      }
      audit.push(
        this.event(actorId, assignment.organisationId, assignment.systemId, {
          entity: 'role',
          id: assignment.id,
          change: 'handed_over',
          role: assignment.role,
          personId: plan.from.id,
          to: plan.to.id,
          successorId: successor?.id ?? existing!.id,
          systemId: assignment.systemId ?? null,
          unitIds: (assignment.unitIds ?? []).join('; ') || null,
        }),
      );
    }
    const handover = this.event(
      actorId,
      chosen[0]!.assignment.organisationId,
      undefined,
      { from: plan.from.id, to: plan.to.id, roles: chosen.length, kept: plan.roles.length - chosen.length },
      'handover',
    );
    handover.onBehalfOf = plan.from.id;
    audit.unshift(handover);
    const revision = await this.deps.store.apply({ roleAssignments: written }, expectedRevision, { audit });
    return {
      revision,
      auditIds: audit.map((e) => e.id),
      notify: [plan.from.id, plan.to.id],
      moved: chosen.length,
    };
  }

  /** The register at `expectedRevision`, or RevisionConflict when it has changed since the card was shown. */
  private async current(expectedRevision: number): Promise<RegisterIndexes> {
    const indexes = await this.deps.view.current();
    if (indexes.revision !== expectedRevision) {
      throw new AnsvarError(
        'RevisionConflict',
        `the register is at revision ${indexes.revision}, the card showed ${expectedRevision}`,
      );
    }
    return indexes;
  }

  private authorise(indexes: RegisterIndexes, actorId: string, organisationId: string): void {
    if (!careOrganisationIds(indexes, actorId, this.deps.now()).has(organisationId)) {
      throw new AnsvarError(
        'NotAnApprover',
        `${actorId} may not care for the register of ${organisationId}`,
        {
          actorId,
          organisationId,
        },
      );
    }
  }

  private system(indexes: RegisterIndexes, id: string): SystemRecord {
    const system = indexes.systems.get(id);
    if (!system) throw invalidInput(`no system ${id}`, [{ field: 'systemId', problem: 'unknownSystem' }]);
    return system;
  }

  private roleEvent(actorId: string, assignment: RoleAssignment, change: 'assigned' | 'ended'): AuditEvent {
    return this.event(actorId, assignment.organisationId, assignment.systemId, {
      entity: 'role',
      id: assignment.id,
      change,
      role: assignment.role,
      personId: assignment.personId,
      systemId: assignment.systemId ?? null,
      unitIds: (assignment.unitIds ?? []).join('; ') || null,
      validFrom: assignment.validFrom,
      validTo: assignment.validTo ?? null,
    });
  }

  private event(
    actorId: string,
    organisationId: string,
    systemId: string | undefined,
    details: NonNullable<AuditEvent['details']>,
    type: 'register_changed' | 'handover' = 'register_changed',
  ): AuditEvent {
    const event: AuditEvent = {
      id: this.deps.newId(),
      at: this.deps.now().toISOString(),
      type,
      actor: actorId.toLowerCase(),
      organisationId,
      details,
    };
    if (systemId !== undefined) event.systemId = systemId;
    return event;
  }
}
