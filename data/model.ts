/**
 * The register's domain model. Plain data, no behaviour: every store (embedded lowdb now, PostgreSQL later)
 * persists exactly these shapes, and services/ computes everything else from them.
 */

export const LANGUAGES = ['sv', 'nn', 'nb', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Roles held for one business system. */
export const SYSTEM_ROLES = ['owner', 'administrator', 'deputy', 'super_user'] as const;
export type SystemRole = (typeof SYSTEM_ROLES)[number];

/** Whether a role (or a question's focus, which may also be 'all', 'access', ...) is one held for a system. */
export function isSystemRole(role: string | undefined): role is SystemRole {
  return (SYSTEM_ROLES as readonly (string | undefined)[]).includes(role);
}

/** Roles held for a whole organisation (it_orderer additionally names the units it may order for). */
export const ORGANISATION_ROLES = [
  'it_coordinator',
  'it_orderer',
  'security_officer',
  'data_protection_officer',
  'it_manager',
  'it_unit',
] as const;
export type OrganisationRole = (typeof ORGANISATION_ROLES)[number];

export type Role = SystemRole | OrganisationRole;

export const LIFECYCLES = ['planned', 'active', 'phasing_out', 'retired'] as const;
export type Lifecycle = (typeof LIFECYCLES)[number];

export interface Organisation {
  /** Stable key: slug of the name ("tanum-kommune"). */
  id: string;
  name: string;
  /** Default language and vocabulary of the organisation. */
  language: Language;
  /** Entra tenant id; people of this tenant belong to this organisation unless the register says otherwise. */
  tenantId?: string;
  /** The organisation's own words for roles ("fagsystemeigar"); missing ones fall back to the language's defaults. */
  roleLabels?: Partial<Record<Role, string>>;
  /**
   * Set on the organisations of the fictional sample register (data/sample) loaded into an empty store at first
   * start, so an import can tell a store holding only the sample and replace it (see `sampleIds`).
   */
  sample?: true;
}

export interface Unit {
  /** `${organisationId}/${slug(name)}` */
  id: string;
  organisationId: string;
  name: string;
}

export interface Person {
  /** Lower-cased e-mail address (UPN). */
  id: string;
  email: string;
  name: string;
  title?: string;
  department?: string;
  organisationId?: string;
  /** Entra object id; what Teams sends as `from.aadObjectId`. */
  aadObjectId?: string;
  /** Lower-cased e-mail of the manager. */
  managerId?: string;
}

export interface SystemRecord {
  /** `${organisationId}/${slug(name)}` */
  id: string;
  organisationId: string;
  name: string;
  /** Other names and abbreviations people use for the system. */
  aliases: string[];
  unitId?: string;
  supplier?: string;
  /** Supplier support contact as the register states it (phone, e-mail or URL), shown as text. */
  supplierSupport?: string;
  description?: string;
  lifecycle: Lifecycle;
  processesPersonalData: boolean;
  /**
   * When the system owner last confirmed that the entry (roles, supplier, unit) is right, ISO 8601; the hygiene
   * check names systems not confirmed for 12 months. Absent: never confirmed.
   */
  confirmedAt?: string;
  /**
   * Day of the last risk analysis of the system (Nora: at least yearly), ISO 8601; the owner check shows it and
   * reminds the owner, and the hygiene check names systems whose analysis is older than 12 months or absent.
   */
  riskAnalysisAt?: string;
}

/**
 * One person holding one role, for a system (systemId set) or for the organisation. History is kept: an ended
 * assignment gets validTo and stays; a new holder is a new assignment.
 */
export interface RoleAssignment {
  id: string;
  organisationId: string;
  role: Role;
  personId: string;
  /** Set exactly for system roles. */
  systemId?: string;
  /** it_orderer only: the units this person may order for (the authorisation list). */
  unitIds?: string[];
  /** ISO 8601 date-time, inclusive. */
  validFrom: string;
  /** ISO 8601 date-time, exclusive; absent while the assignment is current. */
  validTo?: string;
}

export interface Register {
  organisations: Organisation[];
  units: Unit[];
  people: Person[];
  systems: SystemRecord[];
  roleAssignments: RoleAssignment[];
}

export interface RegisterSnapshot extends Register {
  /** Increases by one with every applied change set; 0 for an empty, never-written store. */
  revision: number;
}

/**
 * Entities to insert or replace, matched by `id`. Nothing is ever deleted: roles end through `validTo`. The one
 * exception is `RegisterEffects.remove`, used only to take the fictional sample register out (`sampleIds`).
 */
export type RegisterChanges = { [K in keyof Register]?: Register[K] };

/** Ids per table, e.g. of the entities a change removes. */
export type RegisterIds = { [K in keyof Register]?: string[] };

/**
 * The ids of everything that belongs to the sample register: its organisations (marked `sample`), their units,
 * systems and role assignments, and the people of those organisations that nothing outside the sample refers to.
 * Empty when the store holds no sample organisation.
 */
export function sampleIds(register: DeepReadonly<Register>): Required<RegisterIds> {
  const orgs = new Set(register.organisations.filter((o) => o.sample === true).map((o) => o.id));
  const inSample = (e: { organisationId?: string }) =>
    e.organisationId !== undefined && orgs.has(e.organisationId);
  const keptAssignments = register.roleAssignments.filter((a) => !inSample(a));
  const referenced = new Set([
    ...keptAssignments.map((a) => a.personId),
    ...register.people.filter((p) => !inSample(p)).map((p) => p.managerId),
  ]);
  return {
    organisations: [...orgs],
    units: register.units.filter(inSample).map((u) => u.id),
    systems: register.systems.filter(inSample).map((s) => s.id),
    roleAssignments: register.roleAssignments.filter(inSample).map((a) => a.id),
    people: register.people.filter((p) => inSample(p) && !referenced.has(p.id)).map((p) => p.id),
  };
}

export function isCurrent(assignment: RoleAssignment, at: Date = new Date()): boolean {
  const t = at.toISOString();
  return assignment.validFrom <= t && (assignment.validTo === undefined || t < assignment.validTo);
}

export type DeepReadonly<T> = T extends (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/**
 * Freezes `value` and everything reachable from it that is not frozen yet (shared parts are frozen once). The
 * static type stays as it was: stores keep their state typed for `applyChanges` and hand it out as DeepReadonly.
 */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
