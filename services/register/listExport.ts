import type { Language, Organisation, Unit } from '../../data/model.js';
import type { SystemListKind } from '../responsibility/answers.js';
import { t, type MessageKey } from '../i18n/index.js';
import type { RegisterIndexes } from '../search/registerView.js';
import { systemListRows } from '../lists/index.js';
import { registerToTables, registerToWorkbook, type ExportFilter, type ExportTables } from './exporter.js';
import { slug } from './ids.js';

/**
 * A responsibility list as a file in the import format of part 1: the list's systems with every current holder,
 * the people those rows name (and their managers), and the organisation. Importing the file again changes nothing;
 * an edited file changes exactly the systems it lists (a systems row is authoritative for its role columns, see
 * planImport.ts). Organisation roles are not part of a system list and are left out, so an import of the file
 * leaves them alone. The systems are those the list card shows (systemListRows), computed at `now`.
 */

export interface ListExportRequest {
  list: SystemListKind;
  organisation: Organisation;
  unit?: Unit | undefined;
  /** The coordinator's language: sheet names and column headers (the import reads all four). */
  language: Language;
}

const NAME_KEYS: Record<SystemListKind, MessageKey> = {
  all: 'files.name.all',
  noDeputy: 'files.name.noDeputy',
  noOwner: 'files.name.noOwner',
  noAdministrator: 'files.name.noAdministrator',
  noSuperUser: 'files.name.noSuperUser',
};

/** The list's name in `language` ("systems without deputy"), for file names and descriptions. */
export function listLabel(list: SystemListKind, language: Language): string {
  return t(language, NAME_KEYS[list]);
}

/** What of the register a list covers: its systems in its organisation (the organisation even when it is empty). */
export function listExportFilter(
  indexes: RegisterIndexes,
  request: Omit<ListExportRequest, 'language'>,
  now: Date,
): ExportFilter {
  const rows = systemListRows(indexes, request.organisation, request.list, request.unit?.id, now);
  return { organisationIds: [request.organisation.id], systemIds: rows.map((r) => r.system.id) };
}

export function listToTables(indexes: RegisterIndexes, request: ListExportRequest, now: Date): ExportTables {
  return registerToTables(indexes.register, listExportFilter(indexes, request, now), now);
}

/** The XLSX of the list; exceljs is loaded on the first call (registerToWorkbook). */
export async function listToWorkbook(
  indexes: RegisterIndexes,
  request: ListExportRequest,
  now: Date,
): Promise<Buffer> {
  return registerToWorkbook(indexes.register, listExportFilter(indexes, request, now), now, request.language);
}

/**
 * "Ansvar-system-utan-ersattare-storsjo-kommun-2026-11-23.xlsx": ASCII letters, digits and '-' only, so it is a
 * safe name on every file system and in a URL; the unit's name when the list is of one unit. Day in UTC.
 */
export function listFileName(request: ListExportRequest, now: Date): string {
  const parts = [
    'Ansvar',
    slug(listLabel(request.list, request.language)),
    slug(request.unit?.name ?? request.organisation.name).slice(0, 60),
    now.toISOString().slice(0, 10),
  ];
  return `${parts.filter((p) => p !== '').join('-')}.xlsx`;
}
