import type { Person, RegisterSnapshot, RoleAssignment, SystemRecord, Unit } from '../../data/model.js';
import type { EntityChange, ImportPlan } from './planImport.js';

/**
 * What an import does, per system, person and organisation role, in words a coordinator reads: the dry run's
 * answer to "what will this file change?" (and its JSON with `--json`). Built from the plan's details and the
 * register the plan started from, so names can be given for ids.
 */

export type Change = 'added' | 'changed' | 'ended';

export interface FieldChange {
  field: string;
  before: string | null;
  after: string | null;
}

export interface HolderChange {
  /** Role code: owner, administrator, deputy, super_user, it_coordinator ... */
  role: string;
  change: Change;
  email: string;
  name: string;
  /** ISO date-time the role ends, for a fixed-term or ended role. */
  validTo?: string;
}

export interface SystemChange {
  organisation: string;
  system: string;
  /** 'changed' also when only its role holders change. */
  change: 'added' | 'changed';
  fields: FieldChange[];
  holders: HolderChange[];
}

export interface PersonChange {
  email: string;
  name: string;
  change: 'added' | 'changed';
  fields: FieldChange[];
}

export interface OrganisationRoleChange extends HolderChange {
  organisation: string;
}

export interface ChangeList {
  organisations: { name: string; change: 'added' | 'changed'; fields: FieldChange[] }[];
  units: { organisation: string; name: string }[];
  systems: SystemChange[];
  people: PersonChange[];
  organisationRoles: OrganisationRoleChange[];
}

const SYSTEM_FIELDS: [keyof SystemRecord, string][] = [
  ['name', 'name'],
  ['aliases', 'aliases'],
  ['unitId', 'unit'],
  ['supplier', 'supplier'],
  ['supplierSupport', 'supplier_support'],
  ['description', 'description'],
  ['lifecycle', 'lifecycle'],
  ['processesPersonalData', 'personal_data'],
  ['confirmedAt', 'confirmed_at'],
  ['riskAnalysisAt', 'risk_analysis_at'],
];

const PERSON_FIELDS: [keyof Person, string][] = [
  ['name', 'name'],
  ['title', 'title'],
  ['department', 'department'],
  ['organisationId', 'organisation'],
  ['aadObjectId', 'aad_object_id'],
  ['managerId', 'manager'],
];

export function describeChanges(base: RegisterSnapshot, plan: ImportPlan): ChangeList {
  const d = plan.details;
  const organisationName = new Map(base.organisations.map((o) => [o.id, o.name]));
  for (const c of d.organisations) organisationName.set(c.after.id, c.after.name);
  const unitName = new Map<string, string>(base.units.map((u: Unit) => [u.id, u.name]));
  for (const c of d.units) unitName.set(c.after.id, c.after.name);
  const personName = new Map(base.people.map((p) => [p.id, p.name]));
  for (const c of d.people) personName.set(c.after.id, c.after.name);
  const systems = new Map(base.systems.map((s) => [s.id, s]));
  for (const c of d.systems) systems.set(c.after.id, c.after);

  const shown = (field: string, value: unknown): string | null => {
    if (value === undefined || value === null) return null;
    if (field === 'unit') return unitName.get(String(value)) ?? String(value);
    if (field === 'organisation') return organisationName.get(String(value)) ?? String(value);
    if (field === 'manager') return personName.get(String(value)) ?? String(value);
    if (Array.isArray(value)) return value.join('; ');
    if (typeof value === 'boolean') return value ? 'yes' : 'no';
    return String(value);
  };
  const fieldChanges = <T extends object>(
    change: EntityChange<T>,
    fields: [keyof T, string][],
  ): FieldChange[] => {
    if (change.before === undefined) return [];
    const out: FieldChange[] = [];
    for (const [key, field] of fields) {
      const before = shown(field, change.before[key]);
      const after = shown(field, change.after[key]);
      if (before !== after) out.push({ field, before, after });
    }
    return out;
  };
  const holder = (c: EntityChange<RoleAssignment>): HolderChange => ({
    role: c.after.role,
    change: c.change,
    email: c.after.personId,
    name: personName.get(c.after.personId) ?? c.after.personId,
    ...(c.after.validTo === undefined ? {} : { validTo: c.after.validTo }),
  });

  const bySystem = new Map<string, SystemChange>();
  for (const c of d.systems)
    bySystem.set(c.after.id, {
      organisation: organisationName.get(c.after.organisationId) ?? c.after.organisationId,
      system: c.after.name,
      change: c.change === 'added' ? 'added' : 'changed',
      fields: fieldChanges(c, SYSTEM_FIELDS),
      holders: [],
    });
  const organisationRoles: OrganisationRoleChange[] = [];
  for (const c of d.roleAssignments) {
    const systemId = c.after.systemId;
    if (systemId === undefined) {
      organisationRoles.push({
        organisation: organisationName.get(c.after.organisationId) ?? c.after.organisationId,
        ...holder(c),
      });
      continue;
    }
    let entry = bySystem.get(systemId);
    if (entry === undefined) {
      const system = systems.get(systemId);
      entry = {
        organisation: organisationName.get(c.after.organisationId) ?? c.after.organisationId,
        system: system?.name ?? systemId,
        change: 'changed',
        fields: [],
        holders: [],
      };
      bySystem.set(systemId, entry);
    }
    entry.holders.push(holder(c));
  }
  const byName = <T extends { organisation: string }>(a: T, b: T, name: (t: T) => string) =>
    a.organisation.localeCompare(b.organisation) || name(a).localeCompare(name(b));
  return {
    organisations: d.organisations.map((c) => ({
      name: c.after.name,
      change: c.change === 'added' ? 'added' : 'changed',
      fields:
        c.before === undefined
          ? []
          : (['name', 'language', 'tenantId'] as const)
              .filter((k) => c.before![k] !== c.after[k])
              .map((k) => ({ field: k, before: c.before![k] ?? null, after: c.after[k] ?? null })),
    })),
    units: d.units
      .filter((c) => c.change === 'added')
      .map((c) => ({
        organisation: organisationName.get(c.after.organisationId) ?? c.after.organisationId,
        name: c.after.name,
      })),
    systems: [...bySystem.values()].sort((a, b) => byName(a, b, (s) => s.system)),
    people: d.people
      .map((c) => ({
        email: c.after.email,
        name: c.after.name,
        change: (c.change === 'added' ? 'added' : 'changed') as 'added' | 'changed',
        fields: fieldChanges(c, PERSON_FIELDS),
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    organisationRoles: organisationRoles.sort((a, b) => byName(a, b, (r) => r.role)),
  };
}

const ROLE_WORDS: Record<string, string> = {
  owner: 'owner',
  administrator: 'administrator',
  deputy: 'deputy',
  super_user: 'super user',
  it_coordinator: 'IT coordinator',
  it_orderer: 'IT orderer',
  security_officer: 'security officer',
  data_protection_officer: 'data protection officer',
  it_manager: 'IT manager',
  it_unit: 'IT unit',
};

const MARK: Record<Change, string> = { added: '+', changed: '~', ended: '-' };

/** The change list as text: one block per kind, "+" added, "~" changed, "-" ended; '' when nothing changes. */
export function formatChanges(list: ChangeList): string {
  const lines: string[] = [];
  const value = (v: string | null) => (v === null ? '(empty)' : `"${v}"`);
  const fields = (fs: FieldChange[], indent: string) =>
    fs.map((f) => `${indent}${f.field}: ${value(f.before)} -> ${value(f.after)}`);
  const who = (h: HolderChange) => `${h.name} <${h.email}>`;
  const ends = (h: HolderChange) =>
    h.change === 'ended' ? ' (ended)' : h.validTo === undefined ? '' : ` (until ${h.validTo.slice(0, 10)})`;

  if (list.organisations.length > 0) {
    lines.push('Organisations');
    for (const o of list.organisations) {
      lines.push(`  ${MARK[o.change]} ${o.name}`);
      lines.push(...fields(o.fields, '      '));
    }
  }
  if (list.units.length > 0) {
    lines.push('Units');
    for (const u of list.units) lines.push(`  + ${u.name} (${u.organisation})`);
  }
  if (list.systems.length > 0) {
    lines.push('Systems');
    for (const s of list.systems) {
      lines.push(`  ${MARK[s.change]} ${s.system} (${s.organisation})`);
      lines.push(...fields(s.fields, '      '));
      for (const h of s.holders)
        lines.push(`      ${MARK[h.change]} ${ROLE_WORDS[h.role] ?? h.role}: ${who(h)}${ends(h)}`);
    }
  }
  if (list.people.length > 0) {
    lines.push('People');
    for (const p of list.people) {
      lines.push(`  ${MARK[p.change]} ${p.name} <${p.email}>`);
      lines.push(...fields(p.fields, '      '));
    }
  }
  if (list.organisationRoles.length > 0) {
    lines.push('Organisation roles');
    for (const r of list.organisationRoles)
      lines.push(
        `  ${MARK[r.change]} ${ROLE_WORDS[r.role] ?? r.role} of ${r.organisation}: ${who(r)}${ends(r)}`,
      );
  }
  return lines.join('\n');
}
