import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import {
  isCurrent,
  type Language,
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

export interface ChangeCounts {
  added: number;
  changed: number;
  /** Role assignments only: ended by this import. */
  ended: number;
  /** Named by the files and already as they say. */
  unchanged: number;
}

/** One entity the plan adds, changes or ends, as it was and as it will be. */
export interface EntityChange<T> {
  change: 'added' | 'changed' | 'ended';
  before?: T;
  after: T;
}

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

/** The entities of one collection as they were and as the plan leaves them. */
class Working<T extends { id: string }> {
  private readonly before: Map<string, T>;
  private readonly after: Map<string, T>;
  private readonly named = new Set<string>();

  constructor(entities: readonly T[]) {
    this.before = new Map(entities.map((e) => [e.id, e]));
    this.after = new Map(this.before);
  }

  get(id: string): T | undefined {
    return this.after.get(id);
  }

  values(): IterableIterator<T> {
    return this.after.values();
  }

  /** Marks the entity as named by the files, so the summary counts it. */
  touch(id: string): void {
    this.named.add(id);
  }

  put(entity: T): void {
    this.named.add(entity.id);
    this.after.set(entity.id, entity);
  }

  statuses(classify: (before: T, after: T) => 'changed' | 'ended' = () => 'changed'): {
    counts: ChangeCounts;
    changed: T[];
    details: EntityChange<T>[];
  } {
    const counts: ChangeCounts = { added: 0, changed: 0, ended: 0, unchanged: 0 };
    const changed: T[] = [];
    const details: EntityChange<T>[] = [];
    for (const id of this.named) {
      const before = this.before.get(id);
      const after = this.after.get(id)!;
      if (before === undefined) {
        counts.added += 1;
        details.push({ change: 'added', after });
      } else if (isDeepStrictEqual(before, after)) {
        counts.unchanged += 1;
        continue;
      } else {
        const change = classify(before, after);
        counts[change] += 1;
        details.push({ change, before, after });
      }
      changed.push(after);
    }
    return { counts, changed, details };
  }
}

/** Drops keys whose value is undefined, so stored entities compare equal to planned ones. */
function compact<T extends object>(entity: T): T {
  return Object.fromEntries(Object.entries(entity).filter(([, v]) => v !== undefined)) as T;
}

/** A cell's three states (see rows.ts) applied to a stored value. */
function pick<T>(cell: T | null | undefined, stored: T | undefined): T | undefined {
  return cell === undefined ? stored : (cell ?? undefined);
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

type NameMatch =
  | { kind: 'exact' | 'close'; id: string; name: string; source: string }
  | { kind: 'several'; ids: string[] }
  | { kind: 'none' };

/**
 * People found by name: first among the people tables of the import, then in the register; an exact name (case,
 * accents, spacing and word order aside) before a close one (one or two letters off, by length). A name that
 * fits several people is never guessed.
 */
class PeopleByName {
  private readonly sources: { source: string; people: { id: string; name: string; key: string }[] }[];

  constructor(fromFiles: readonly { id: string; name: string }[], fromRegister: readonly Person[]) {
    const keyed = (list: readonly { id: string; name: string }[]) =>
      list.map((p) => ({ id: p.id, name: p.name, key: nameKey(p.name) }));
    this.sources = [
      { source: 'people table', people: keyed(fromFiles) },
      { source: 'register', people: keyed(fromRegister) },
    ];
  }

  find(name: string): NameMatch {
    const key = nameKey(name);
    if (key === '') return { kind: 'none' };
    for (const { source, people } of this.sources) {
      const ids = [...new Set(people.filter((p) => p.key === key).map((p) => p.id))];
      if (ids.length === 1) return { kind: 'exact', id: ids[0]!, name, source };
      if (ids.length > 1) return { kind: 'several', ids };
    }
    const limit = key.length >= 10 ? 2 : 1;
    for (const { source, people } of this.sources) {
      const close = people.filter((p) => withinDistance(p.key, key, limit));
      const ids = [...new Set(close.map((p) => p.id))];
      if (ids.length === 1) return { kind: 'close', id: ids[0]!, name: close[0]!.name, source };
      if (ids.length > 1) return { kind: 'several', ids };
    }
    return { kind: 'none' };
  }
}

/** "Holm,  Karin" and "karin holm" → "holm karin": accents, case, punctuation and word order do not matter. */
function nameKey(name: string): string {
  return slug(name).split('-').filter(Boolean).sort().join(' ');
}

/** Whether the edit distance between a and b is at most `limit` (small limits only). */
function withinDistance(a: string, b: string, limit: number): boolean {
  if (Math.abs(a.length - b.length) > limit) return false;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      current.push(value);
      best = Math.min(best, value);
    }
    if (best > limit) return false;
    previous = current;
  }
  return previous[b.length]! <= limit;
}

export function isEmptyPlan(plan: ImportPlan): boolean {
  return ENTITY_KINDS.every((k) => (plan.changes[k]?.length ?? 0) === 0);
}

interface LanguageHints {
  no: number;
  se: number;
}

/** Country of the e-mail domains used with each organisation in the files and the register. */
function collectLanguageHints(snapshot: RegisterSnapshot, rows: ImportRows): Map<string, LanguageHints> {
  const hints = new Map<string, LanguageHints>();
  const count = (orgName: string | null | undefined, emails: readonly string[]) => {
    if (!orgName) return;
    const id = organisationId(orgName);
    const h = hints.get(id) ?? { no: 0, se: 0 };
    for (const e of emails) {
      if (e.endsWith('.no')) h.no += 1;
      else if (e.endsWith('.se')) h.se += 1;
    }
    hints.set(id, h);
  };
  for (const p of rows.people) count(p.organisation, [p.email]);
  for (const s of rows.systems)
    count(s.organisation, [...(s.owner ?? []), ...(s.administrator ?? []), ...(s.deputies ?? [])]);
  for (const r of rows.roles) count(r.organisation, [r.person]);
  const names = new Map(snapshot.organisations.map((o) => [o.id, o.name]));
  for (const p of snapshot.people) if (p.organisationId) count(names.get(p.organisationId), [p.email]);
  return hints;
}

/**
 * The language of an organisation nobody described: Norwegian when its people's e-mail addresses are mostly .no or
 * its name says "kommune"/"fylke", else Swedish. Bokmål rather than Nynorsk because most Norwegian municipalities
 * write Bokmål; a Nynorsk municipality states it in the organisations table (the import warns every time it guesses).
 */
export function guessLanguage(name: string, hints?: LanguageHints): Language {
  if (hints && hints.no !== hints.se) return hints.no > hints.se ? 'nb' : 'sv';
  const words = slug(name).split('-');
  if (words.some((w) => w === 'kommune' || w === 'fylkeskommune' || w === 'fylke')) return 'nb';
  return 'sv';
}
