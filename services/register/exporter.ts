import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { guardFormula } from './csvCells.js';
import {
  isCurrent,
  ORGANISATION_ROLES,
  type Language,
  type Organisation,
  type Person,
  type Register,
  type RoleAssignment,
  type SystemRecord,
} from '../../data/model.js';
import type { RegisterStore } from '../../data/registerStore.js';
import { AnsvarError } from '../../core/errors.js';
import { COLUMNS, FILE_KINDS, HEADER_WORDS, SHEET_WORDS, type ColumnOf, type FileKind } from './headers.js';

/**
 * The register written in the import format (headers.ts), so that export → import gives the same register and a
 * coordinator can edit an export and import it again. Only current role assignments are written (history stays in
 * the store); a fixed-term organisation role carries its end in `valid_to`. Not part of the format, so not
 * exported: role labels of organisations, units that no system and no role names, assignment ids and start times.
 */

export interface ExportFilter {
  /** Only these organisations (their systems, organisation roles and people). */
  organisationIds?: readonly string[];
  /** Only these systems; organisation roles are left out. */
  systemIds?: readonly string[];
  /** Only the systems these people hold a role for and their organisation roles (a person's hand-over list). */
  personIds?: readonly string[];
}

export type ExportRow<K extends FileKind> = Record<ColumnOf<K>, string>;
export type ExportTables = { [K in FileKind]: ExportRow<K>[] };

/** Multi-value cells are written with this separator (import also reads ';' alone and line breaks). */
const LIST_SEPARATOR = '; ';

/**
 * The rows of each table. A systems row always names every current holder of the system, also under a person
 * filter, because importing the row again is authoritative for its role columns; and every person a written row
 * names (holders, managers) is in the people table, so the export imports into an empty register.
 */
export function registerToTables(
  register: Register,
  filter: ExportFilter = {},
  at: Date = new Date(),
): ExportTables {
  const current = register.roleAssignments.filter((a) => isCurrent(a, at));
  const inOrgs = (orgId: string) => !filter.organisationIds || filter.organisationIds.includes(orgId);
  const filtered = filter.organisationIds || filter.systemIds || filter.personIds;

  const heldBy = (a: RoleAssignment) => !filter.personIds || filter.personIds.includes(a.personId);
  const systemsOfPeople = new Set(current.filter((a) => a.systemId && heldBy(a)).map((a) => a.systemId!));
  const systems = register.systems.filter(
    (s) =>
      inOrgs(s.organisationId) &&
      (!filter.systemIds || filter.systemIds.includes(s.id)) &&
      (!filter.personIds || systemsOfPeople.has(s.id)),
  );
  const systemIds = new Set(systems.map((s) => s.id));
  const systemAssignments = current.filter((a) => a.systemId !== undefined && systemIds.has(a.systemId));
  const organisationAssignments = filter.systemIds
    ? []
    : current.filter((a) => a.systemId === undefined && inOrgs(a.organisationId) && heldBy(a));

  const peopleById = new Map(register.people.map((p) => [p.id, p]));
  let peopleIds: Set<string>;
  if (!filtered) peopleIds = new Set(peopleById.keys());
  else {
    peopleIds = new Set([
      ...systemAssignments.map((a) => a.personId),
      ...organisationAssignments.map((a) => a.personId),
      ...(filter.personIds ?? []),
      ...(filter.systemIds || filter.personIds
        ? []
        : register.people.filter((p) => p.organisationId && inOrgs(p.organisationId)).map((p) => p.id)),
    ]);
    for (const id of [...peopleIds]) {
      let managerId = peopleById.get(id)?.managerId;
      while (managerId !== undefined && !peopleIds.has(managerId)) {
        peopleIds.add(managerId);
        managerId = peopleById.get(managerId)?.managerId;
      }
    }
  }
  const people = [...peopleIds]
    .map((id) => peopleById.get(id))
    .filter((p): p is Person => p !== undefined)
    .sort((a, b) => a.id.localeCompare(b.id));

  const orgById = new Map(register.organisations.map((o) => [o.id, o]));
  const organisationIds = filtered
    ? new Set([
        ...(filter.organisationIds ?? []),
        ...systems.map((s) => s.organisationId),
        ...organisationAssignments.map((a) => a.organisationId),
        ...people.flatMap((p) => (p.organisationId ? [p.organisationId] : [])),
      ])
    : new Set(orgById.keys());
  const organisations = [...organisationIds]
    .map((id) => orgById.get(id))
    .filter((o): o is Organisation => o !== undefined)
    .sort((a, b) => a.name.localeCompare(b.name, 'sv'));

  const orgName = (id: string | undefined) => (id === undefined ? '' : (orgById.get(id)?.name ?? id));
  const unitById = new Map(register.units.map((u) => [u.id, u]));
  const unitName = (id: string) => unitById.get(id)?.name ?? id.slice(id.indexOf('/') + 1);
  const holders = (system: SystemRecord, role: RoleAssignment['role']) =>
    systemAssignments
      .filter((a) => a.systemId === system.id && a.role === role)
      .map((a) => peopleById.get(a.personId)?.email ?? a.personId)
      .sort()
      .join(LIST_SEPARATOR);
  const roleOrder = (role: RoleAssignment['role']) => (ORGANISATION_ROLES as readonly string[]).indexOf(role);

  return {
    organisations: organisations.map((o) => ({
      organisation: o.name,
      language: o.language,
      tenant_id: o.tenantId ?? '',
    })),
    systems: systems
      .map((s) => ({
        organisation: orgName(s.organisationId),
        system: s.name,
        aliases: s.aliases.join(LIST_SEPARATOR),
        unit: s.unitId ? unitName(s.unitId) : '',
        owner: holders(s, 'owner'),
        administrator: holders(s, 'administrator'),
        deputies: holders(s, 'deputy'),
        super_users: holders(s, 'super_user'),
        supplier: s.supplier ?? '',
        supplier_support: s.supplierSupport ?? '',
        description: s.description ?? '',
        lifecycle: s.lifecycle,
        personal_data: s.processesPersonalData ? 'yes' : 'no',
        confirmed_at: s.confirmedAt === undefined ? '' : dayOrInstant(s.confirmedAt),
        risk_analysis_at: s.riskAnalysisAt === undefined ? '' : dayOrInstant(s.riskAnalysisAt),
      }))
      .sort(
        (a, b) =>
          a.organisation.localeCompare(b.organisation, 'sv') || a.system.localeCompare(b.system, 'sv'),
      ),
    people: people.map((p) => ({
      email: p.email,
      name: p.name,
      title: p.title ?? '',
      department: p.department ?? '',
      organisation: orgName(p.organisationId),
      aad_object_id: p.aadObjectId ?? '',
      manager: p.managerId ? (peopleById.get(p.managerId)?.email ?? p.managerId) : '',
    })),
    roles: organisationAssignments
      .map((a) => ({
        assignment: a,
        row: {
          organisation: orgName(a.organisationId),
          role: a.role,
          person: peopleById.get(a.personId)?.email ?? a.personId,
          units: (a.unitIds ?? []).map(unitName).join(LIST_SEPARATOR),
          valid_to: a.validTo === undefined ? '' : dayOrInstant(a.validTo),
        },
      }))
      .sort(
        (x, y) =>
          x.row.organisation.localeCompare(y.row.organisation, 'sv') ||
          roleOrder(x.assignment.role) - roleOrder(y.assignment.role) ||
          x.row.person.localeCompare(y.row.person),
      )
      .map((x) => x.row),
  };
}

/** A midnight-UTC instant as its day (what the import reads a day as), any other instant in full. */
function dayOrInstant(iso: string): string {
  return iso.replace(/T00:00:00\.000Z$/, '');
}

/**
 * One workbook with the sheets organisations, systems, people and roles; every cell is text. `language` names the
 * sheets and columns in the coordinator's language (headers.ts: HEADER_WORDS); the default is the canonical names.
 */
export async function registerToWorkbook(
  register: Register,
  filter?: ExportFilter,
  at?: Date,
  language: Language = 'en',
): Promise<Buffer> {
  const tables = registerToTables(register, filter, at);
  // Loaded on first use: importing exceljs takes most of a second, and only an .xlsx export needs it.
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
  workbook.creator = 'Ansvar';
  for (const kind of EXPORT_ORDER) {
    const sheet = workbook.addWorksheet(SHEET_WORDS[language][kind], {
      views: [{ state: 'frozen', ySplit: 1 }],
    });
    const words = HEADER_WORDS[language][kind] as Record<string, string>;
    const columns = COLUMNS[kind] as readonly string[];
    sheet.columns = columns.map((key) => {
      const header = words[key] ?? key;
      return { header, key, width: Math.max(12, header.length + 2) };
    });
    sheet.getRow(1).font = { bold: true };
    for (const row of tables[kind] as Record<string, string>[]) sheet.addRow(row);
    for (const column of sheet.columns) {
      const longest = Math.max(...(column.values ?? []).map((v) => String(v ?? '').length));
      column.width = Math.min(60, Math.max(column.width ?? 12, longest + 2));
    }
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export interface CsvOptions {
  /** ',' (default) or ';' as Swedish and Norwegian Excel expect; multi-value cells are then quoted. */
  delimiter?: ',' | ';';
}

/**
 * One CSV text per table, UTF-8 with a BOM so that Excel shows å, ä, ö, æ, ø correctly; cells that a spreadsheet
 * would run as a formula are guarded (`guardFormula`).
 */
export function registerToCsv(
  register: Register,
  filter?: ExportFilter,
  at?: Date,
  options: CsvOptions = {},
): Record<FileKind, string> {
  const tables = registerToTables(register, filter, at);
  return Object.fromEntries(
    FILE_KINDS.map((kind) => [
      kind,
      stringify(
        (tables[kind] as Record<string, string>[]).map((row) =>
          Object.fromEntries(Object.entries(row).map(([column, value]) => [column, guardFormula(value)])),
        ),
        {
          header: true,
          columns: [...COLUMNS[kind]],
          delimiter: options.delimiter ?? ',',
          bom: true,
        },
      ),
    ]),
  ) as Record<FileKind, string>;
}

const EXPORT_ORDER = ['organisations', 'systems', 'people', 'roles'] as const satisfies readonly FileKind[];

/**
 * Where a CSV export of `file` puts each table: the systems in `file` itself, the others next to it as
 * `<base>.people.csv`, `<base>.roles.csv` and `<base>.organisations.csv`.
 */
export function csvExportPaths(file: string): Record<FileKind, string> {
  const dir = path.dirname(file);
  const base = path.basename(file, path.extname(file));
  return {
    systems: file,
    people: path.join(dir, `${base}.people.csv`),
    roles: path.join(dir, `${base}.roles.csv`),
    organisations: path.join(dir, `${base}.organisations.csv`),
  };
}

export interface ExportOptions extends CsvOptions {
  filter?: ExportFilter;
  /** The moment whose current role assignments are written. */
  at?: Date;
}

/**
 * Writes the register to `file` (.xlsx: one workbook; .csv: four files, see csvExportPaths), creating its folder
 * when missing; returns the paths. Only reads a snapshot, so a read-only source will do.
 */
export async function exportRegister(
  store: Pick<RegisterStore, 'snapshot'>,
  file: string,
  options: ExportOptions = {},
): Promise<string[]> {
  const ext = path.extname(file).toLowerCase();
  if (ext !== '.xlsx' && ext !== '.csv')
    throw new AnsvarError(
      'InvalidInput',
      `cannot export to "${file}": the file name must end in .xlsx or .csv`,
    );
  const register = await store.snapshot();
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  if (ext === '.xlsx') {
    await writeFile(file, await registerToWorkbook(register, options.filter, options.at));
    return [file];
  }
  const texts = registerToCsv(register, options.filter, options.at, options);
  const paths = csvExportPaths(file);
  const written: string[] = [];
  for (const kind of EXPORT_ORDER) {
    await writeFile(paths[kind], texts[kind], 'utf8');
    written.push(paths[kind]);
  }
  return written;
}
