import { randomUUID } from 'node:crypto';
import {
  isCurrent,
  type Organisation,
  type OrganisationRole,
  type Person,
  type RegisterChanges,
  type RegisterSnapshot,
  type RoleAssignment,
  type SystemRecord,
  type SystemRole,
  type Unit,
} from '../../data/model.js';
import { organisationId, slug, systemId, unitId } from './ids.js';
import { formatLocation, problemAt, type ImportProblem, type Location } from './problems.js';
import { isEmailRef, type ImportRows, type PersonRef, type SystemRow } from './rows.js';
import { collectLanguageHints, guessLanguage } from './languageGuess.js';
import { PeopleByName } from './peopleByName.js';
import { compact, pick, Working, type ChangeCounts, type EntityChange } from './workingCollection.js';

export { guessLanguage } from './languageGuess.js';
export type { ChangeCounts, EntityChange } from './workingCollection.js';

/**
 * The merge of validated rows into a register snapshot, as one change set. Pure: no I/O, the clock and id source are
 * passed in. The rules (README "Importing the register"):
 *
 * - Keys: organisations by slug of the name; units by organisation + unit name; people by lower-cased e-mail;
 *   systems by organisation + name; system roles by (system, role, person); organisation roles by
 *   (organisation, role, person).
 * - A column that is absent leaves the stored value alone; a present but empty cell clears it (a new entity gets the
 *   default: lifecycle active, personal data yes, since assuming a system holds personal data is the safe error).
 * - The names in the files win (a re-spelled organisation, unit-less system ...); units are only ever created.
 * - A systems row is authoritative for each role column it has: holders no longer listed get their assignment ended
 *   (validTo = now, history kept), new ones get a new assignment (validFrom = now), unchanged ones are left alone.
 * - A roles row upserts (organisation, role, person) and replaces its units (kept for it_orderer only). It ends the
 *   role when `valid_to` holds a date that is not in the future; a future date makes a fixed-term role that ends
 *   then; an empty `valid_to` makes it open-ended again. Roles that no row names are left alone.
 * - An organisation first named outside an organisations table is created with a guessed language (see
 *   `guessLanguage`) and a warning, so the coordinator can correct it.
 * - Gaps are warnings, invalid references errors: an empty owner/administrator/deputies cell is how real registers
 *   record "nobody yet" and the coordinator must see it, but a cell naming someone who is in neither the files nor
 *   the register, or who is not an e-mail address, is a mistake that would otherwise silently drop a holder.
 */

export const ENTITY_KINDS = ['organisations', 'units', 'people', 'systems', 'roleAssignments'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

export interface PlanDetails {
  organisations: EntityChange<Organisation>[];
  units: EntityChange<Unit>[];
  people: EntityChange<Person>[];
  systems: EntityChange<SystemRecord>[];
  roleAssignments: EntityChange<RoleAssignment>[];
}

export interface ImportPlan {
  changes: RegisterChanges;
  counts: Record<EntityKind, ChangeCounts>;
  /** Every added, changed and ended entity, for a report of what the import does. */
  details: PlanDetails;
  problems: ImportProblem[];
  warnings: ImportProblem[];
}

export interface PlanOptions {
  now: Date;
  newId?: () => string;
  /** People known to exist although their rows were rejected, so references to them are not reported twice. */
  knownPersonIds?: ReadonlySet<string>;
  /** Some people could not be read (an unreadable people table): do not report references as unknown. */
  peopleIncomplete?: boolean;
  /**
   * The organisation of rows that name none (`--organisation`). Without it, rows without an organisation belong to
   * the one organisation of the files, or else the one organisation of the register.
   */
  organisation?: string;
}

const SYSTEM_ROLE_COLUMNS = [
  ['owner', 'owner'],
  ['administrator', 'administrator'],
  ['deputies', 'deputy'],
  ['superUsers', 'super_user'],
] as const satisfies readonly (readonly [keyof SystemRow, SystemRole])[];

const COLUMN_NAMES: Record<(typeof SYSTEM_ROLE_COLUMNS)[number][0], string> = {
  owner: 'owner',
  administrator: 'administrator',
  deputies: 'deputies',
  superUsers: 'super_users',
};

export function planImport(snapshot: RegisterSnapshot, rows: ImportRows, options: PlanOptions): ImportPlan {
  const now = options.now;
  const nowIso = now.toISOString();
  const newId = options.newId ?? randomUUID;
  const problems: ImportProblem[] = [];
  const warnings: ImportProblem[] = [];

  const organisations = new Working<Organisation>(snapshot.organisations);
  const units = new Working<Unit>(snapshot.units);
  const people = new Working<Person>(snapshot.people);
  const systems = new Working<SystemRecord>(snapshot.systems);
  const assignments = new Working<RoleAssignment>(snapshot.roleAssignments);

  const assignmentsByKey = new Map<string, string[]>();
  const keyOf = (a: Pick<RoleAssignment, 'organisationId' | 'role' | 'systemId' | 'personId'>) =>
    a.systemId === undefined
      ? `org|${a.organisationId}|${a.role}|${a.personId}`
      : `sys|${a.systemId}|${a.role}`;
  const index = (a: RoleAssignment) => {
    const key = keyOf(a);
    assignmentsByKey.set(key, [...(assignmentsByKey.get(key) ?? []), a.id]);
  };
  snapshot.roleAssignments.forEach(index);
  const assignmentsFor = (key: string) => (assignmentsByKey.get(key) ?? []).map((id) => assignments.get(id)!);
  const addAssignment = (a: RoleAssignment) => {
    assignments.put(a);
    index(a);
  };

  const languageHints = collectLanguageHints(snapshot, rows);
  const defaultOrganisation = theOneOrganisation(snapshot, rows, options.organisation);
  const withoutOrganisation = new Map<string, { at: Location; rows: number }>();
  /** The row's organisation, or the import's one organisation; undefined (reported once per table) without one. */
  const organisationOf = (row: { organisation?: string; at: Location }): string | undefined => {
    if (row.organisation !== undefined) return row.organisation;
    if (defaultOrganisation !== undefined) return defaultOrganisation;
    const key = `${row.at.file}#${row.at.sheet ?? ''}`;
    const seen = withoutOrganisation.get(key);
    if (seen) seen.rows += 1;
    else withoutOrganisation.set(key, { at: row.at, rows: 1 });
    return undefined;
  };

  const ensureOrganisation = (name: string, at: Location): string | undefined => {
    const id = organisationId(name);
    if (id === '') {
      problems.push(problemAt(at, `organisation: "${name}" has no letters or digits`));
      return undefined;
    }
    if (organisations.get(id)) {
      organisations.touch(id);
      return id;
    }
    const language = guessLanguage(name, languageHints.get(id));
    organisations.put({ id, name, language });
    warnings.push(
      problemAt(
        at,
        `organisation "${name}" is new and gets language ${language}; set it in an organisations table`,
      ),
    );
    return id;
  };

  const ensureUnit = (orgId: string, name: string, at: Location, column: string): string | undefined => {
    if (slug(name) === '') {
      problems.push(problemAt(at, `${column}: "${name}" has no letters or digits`));
      return undefined;
    }
    const id = unitId(orgId, name);
    if (units.get(id)) units.touch(id);
    else units.put({ id, organisationId: orgId, name });
    return id;
  };

  const firstSeen = <K>(seen: Map<K, Location>, key: K, at: Location, what: string): boolean => {
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      problems.push(problemAt(at, `${what} is listed twice (also ${formatLocation(earlier)})`));
      return false;
    }
    seen.set(key, at);
    return true;
  };

  // Organisations table first: its languages win over guesses.
  const organisationRows = new Map<string, Location>();
  for (const row of rows.organisations) {
    const id = organisationId(row.name);
    if (id === '') {
      problems.push(problemAt(row.at, `organisation: "${row.name}" has no letters or digits`));
      continue;
    }
    if (!firstSeen(organisationRows, id, row.at, `organisation "${row.name}"`)) continue;
    const stored = organisations.get(id);
    organisations.put(
      compact({
        ...stored,
        id,
        name: row.name,
        language: row.language,
        tenantId: pick(row.tenantId, stored?.tenantId),
      }),
    );
  }

  // People before systems and roles, which refer to them; a row may name a person of a later row or file.
  const personRows = new Map<string, Location>();
  const uniquePeople = rows.people.filter((row) =>
    firstSeen(personRows, row.email, row.at, `person ${row.email}`),
  );
  const isKnown = (id: string) =>
    options.peopleIncomplete === true ||
    personRows.has(id) ||
    people.get(id) !== undefined ||
    (options.knownPersonIds?.has(id) ?? false);
  const unknownPerson = (column: string, id: string) =>
    `${column}: unknown person ${id} (in no people table and not in the register)`;
  const byName = new PeopleByName(
    uniquePeople.map((r) => ({ id: r.email, name: r.name })),
    snapshot.people,
  );
  const nameNoted = new Set<string>();
  /**
   * A person reference as a person id: an e-mail as it is; a name matched to the people tables, then the register
   * (exact, then one close match), reported as a warning once per name; undefined (and a problem) otherwise.
   */
  const resolve = (ref: PersonRef, column: string, at: Location): string | undefined => {
    if (isEmailRef(ref)) return ref;
    if (options.peopleIncomplete) return undefined;
    const match = byName.find(ref);
    if (match.kind === 'none') {
      problems.push(
        problemAt(
          at,
          `${column}: nobody called "${ref}" in the people table or the register; write their e-mail address or add them to the people table`,
        ),
      );
      return undefined;
    }
    if (match.kind === 'several') {
      problems.push(
        problemAt(
          at,
          `${column}: "${ref}" could be ${match.ids.join(' or ')}; write the e-mail address of the one you mean`,
        ),
      );
      return undefined;
    }
    const noteKey = `${ref}|${match.id}`;
    if (!nameNoted.has(noteKey)) {
      nameNoted.add(noteKey);
      warnings.push(
        problemAt(
          at,
          match.kind === 'exact'
            ? `${column}: "${ref}" read as ${match.id} (same name in the ${match.source})`
            : `${column}: "${ref}" read as ${match.id} (${match.name} in the ${match.source}, the only close name); write the e-mail address if that is wrong`,
        ),
      );
    }
    return match.id;
  };
  const resolveAll = (refs: readonly PersonRef[], column: string, at: Location): string[] | undefined => {
    const ids = refs.map((r) => resolve(r, column, at));
    return ids.every((id): id is string => id !== undefined) ? [...new Set(ids)] : undefined;
  };

  for (const row of uniquePeople) {
    const stored = people.get(row.email);
    const manager = row.manager ? resolve(row.manager, 'manager', row.at) : row.manager;
    let managerId = pick(manager, stored?.managerId);
    if (row.manager && manager === undefined) managerId = undefined;
    else if (manager && !isKnown(manager)) {
      problems.push(problemAt(row.at, unknownPerson('manager', manager)));
      managerId = undefined;
    }
    const orgId =
      row.organisation === undefined
        ? (stored?.organisationId ??
          (defaultOrganisation === undefined ? undefined : ensureOrganisation(defaultOrganisation, row.at)))
        : row.organisation === null
          ? undefined
          : ensureOrganisation(row.organisation, row.at);
    people.put(
      compact({
        ...stored,
        id: row.email,
        email: row.email,
        name: row.name,
        title: pick(row.title, stored?.title),
        department: pick(row.department, stored?.department),
        organisationId: orgId,
        aadObjectId: pick(row.aadObjectId, stored?.aadObjectId),
        managerId,
      }),
    );
  }
  const byObjectId = new Map<string, string>();
  for (const person of people.values()) {
    if (person.aadObjectId === undefined) continue;
    const other = byObjectId.get(person.aadObjectId);
    if (other === undefined) byObjectId.set(person.aadObjectId, person.id);
    else {
      const at = personRows.get(person.id) ?? personRows.get(other);
      const message = `aad_object_id: ${person.aadObjectId} belongs to both ${other} and ${person.id}`;
      if (at) problems.push(problemAt(at, message));
    }
  }

  const systemRows = new Map<string, Location>();
  const gapChecks: { row: SystemRow; id: string; organisationName: string }[] = [];
  for (const row of rows.systems) {
    const organisation = organisationOf(row);
    if (organisation === undefined) continue;
    const orgId = ensureOrganisation(organisation, row.at);
    if (orgId === undefined) continue;
    if (slug(row.name) === '') {
      problems.push(problemAt(row.at, `system: "${row.name}" has no letters or digits`));
      continue;
    }
    const id = systemId(orgId, row.name);
    const organisationName = organisations.get(orgId)!.name;
    if (!firstSeen(systemRows, id, row.at, `system "${row.name}" of ${organisationName}`)) continue;
    const stored = systems.get(id);
    const unit =
      row.unit === undefined
        ? stored?.unitId
        : row.unit === null
          ? undefined
          : ensureUnit(orgId, row.unit, row.at, 'unit');
    systems.put(
      compact({
        ...stored,
        id,
        organisationId: orgId,
        name: row.name,
        aliases: row.aliases ?? stored?.aliases ?? [],
        unitId: unit,
        supplier: pick(row.supplier, stored?.supplier),
        supplierSupport: pick(row.supplierSupport, stored?.supplierSupport),
        description: pick(row.description, stored?.description),
        lifecycle: row.lifecycle ?? stored?.lifecycle ?? 'active',
        processesPersonalData: row.personalData ?? stored?.processesPersonalData ?? true,
        confirmedAt: pick(row.confirmedAt, stored?.confirmedAt),
        riskAnalysisAt: pick(row.riskAnalysisAt, stored?.riskAnalysisAt),
      }),
    );
    for (const [column, role] of SYSTEM_ROLE_COLUMNS) {
      const refs = row[column];
      if (refs === undefined) continue;
      const listed = resolveAll(refs, COLUMN_NAMES[column], row.at);
      if (listed === undefined) continue;
      const unknown = listed.filter((p) => !isKnown(p));
      for (const p of unknown) problems.push(problemAt(row.at, unknownPerson(COLUMN_NAMES[column], p)));
      if (unknown.length > 0) continue;
      const current = assignmentsFor(
        keyOf({ organisationId: orgId, systemId: id, role, personId: '' }),
      ).filter((a) => isCurrent(a, now));
      for (const a of current) {
        if (listed.includes(a.personId)) assignments.touch(a.id);
        else assignments.put({ ...a, validTo: nowIso });
      }
      for (const personId of listed) {
        if (current.some((a) => a.personId === personId)) continue;
        addAssignment({
          id: newId(),
          organisationId: orgId,
          role,
          personId,
          systemId: id,
          validFrom: nowIso,
        });
      }
    }
    gapChecks.push({ row, id, organisationName });
  }

  const roleRows = new Map<string, Location>();
  for (const row of rows.roles) {
    const organisation = organisationOf(row);
    if (organisation === undefined) continue;
    const orgId = ensureOrganisation(organisation, row.at);
    if (orgId === undefined) continue;
    const person = resolve(row.person, 'person', row.at);
    if (person === undefined) continue;
    if (!isKnown(person)) {
      problems.push(problemAt(row.at, unknownPerson('person', person)));
      continue;
    }
    const key = keyOf({ organisationId: orgId, role: row.role, personId: person });
    if (!firstSeen(roleRows, key, row.at, `${row.role} ${person} of ${organisations.get(orgId)!.name}`))
      continue;
    let unitIds: string[] | undefined;
    if (row.units !== undefined && row.role === 'it_orderer') {
      unitIds = row.units
        .map((name) => ensureUnit(orgId, name, row.at, 'units'))
        .filter((u): u is string => u !== undefined);
    } else if (row.units !== undefined && row.units.length > 0) {
      warnings.push(
        problemAt(row.at, `units: ignored, units are kept for it_orderer only (not ${row.role})`),
      );
    }
    const ever = assignmentsFor(key);
    const current = ever.find((a) => isCurrent(a, now));
    const nextUnits = (stored: string[] | undefined) => {
      const list = row.role === 'it_orderer' ? (unitIds ?? stored) : undefined;
      return list && list.length > 0 ? list : undefined;
    };
    if (row.validTo && row.validTo <= nowIso) {
      if (current) {
        const end = row.validTo < current.validFrom ? current.validFrom : row.validTo;
        assignments.put({ ...current, validTo: end });
      } else if (ever.length === 0) {
        warnings.push(problemAt(row.at, `${person} holds no ${row.role} role here; nothing to end`));
      }
      continue;
    }
    if (current) {
      assignments.put(
        compact({
          ...current,
          unitIds: nextUnits(current.unitIds),
          validTo: pick(row.validTo, current.validTo),
        }),
      );
    } else {
      addAssignment(
        compact({
          id: newId(),
          organisationId: orgId,
          role: row.role as OrganisationRole,
          personId: person,
          unitIds: nextUnits(undefined),
          validFrom: nowIso,
          validTo: row.validTo ?? undefined,
        }),
      );
    }
  }

  for (const { row, id, organisationName } of gapChecks) {
    if (systems.get(id)!.lifecycle === 'retired') continue;
    const held = (role: SystemRole) =>
      assignmentsFor(keyOf({ organisationId: '', systemId: id, role, personId: '' })).some((a) =>
        isCurrent(a, now),
      );
    const missing = (['owner', 'administrator', 'deputy'] as const).filter((role) => !held(role));
    if (missing.length > 0)
      warnings.push(
        problemAt(
          row.at,
          `gap: ${row.name} (${organisationName}) has ${missing.map((r) => `no ${r}`).join(', ')}`,
        ),
      );
  }

  const organisationNames = [...organisations.values()].map((o) => o.name);
  for (const { at, rows: count } of withoutOrganisation.values())
    problems.push(
      problemAt(
        at,
        `organisation: ${count} row(s) name no organisation, and ` +
          (organisationNames.length === 0
            ? 'the files and the register name none'
            : `the files and the register name ${organisationNames.length} (${organisationNames.join(', ')})`) +
          `: add an organisation column, or run the import with --organisation "NAME"`,
      ),
    );

  const endedNow = (before: RoleAssignment, after: RoleAssignment) =>
    after.validTo !== undefined &&
    after.validTo <= nowIso &&
    (before.validTo === undefined || before.validTo > nowIso)
      ? 'ended'
      : 'changed';
  const result = {
    organisations: organisations.statuses(),
    units: units.statuses(),
    people: people.statuses(),
    systems: systems.statuses(),
    roleAssignments: assignments.statuses(endedNow),
  };
  const changes: RegisterChanges = {};
  for (const kind of ENTITY_KINDS) {
    if (result[kind].changed.length > 0)
      (changes as Record<EntityKind, unknown[]>)[kind] = result[kind].changed;
  }
  return {
    changes,
    counts: Object.fromEntries(ENTITY_KINDS.map((k) => [k, result[k].counts])) as Record<
      EntityKind,
      ChangeCounts
    >,
    details: {
      organisations: result.organisations.details,
      units: result.units.details,
      people: result.people.details,
      systems: result.systems.details,
      roleAssignments: result.roleAssignments.details,
    },
    problems,
    warnings,
  };
}

/**
 * The organisation of rows that name none: the one given, else the only organisation the files name (in an
 * organisations table or on any row), else the only one in the register.
 */
function theOneOrganisation(
  snapshot: RegisterSnapshot,
  rows: ImportRows,
  given: string | undefined,
): string | undefined {
  if (given !== undefined && given.trim() !== '') {
    const id = organisationId(given);
    return snapshot.organisations.find((o) => o.id === id)?.name ?? given.trim();
  }
  const named = new Map<string, string>();
  for (const r of rows.organisations) named.set(organisationId(r.name), r.name);
  for (const r of [...rows.systems, ...rows.roles])
    if (r.organisation !== undefined) named.set(organisationId(r.organisation), r.organisation);
  for (const r of rows.people) if (r.organisation) named.set(organisationId(r.organisation), r.organisation);
  if (named.size === 1) return [...named.values()][0];
  if (named.size > 1) return undefined;
  return snapshot.organisations.length === 1 ? snapshot.organisations[0]!.name : undefined;
}

export function isEmptyPlan(plan: ImportPlan): boolean {
  return ENTITY_KINDS.every((k) => (plan.changes[k]?.length ?? 0) === 0);
}
