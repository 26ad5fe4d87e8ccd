import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AccessList } from '../../data/reviewModel.js';
import type { ReviewStore } from '../../data/reviewStore.js';
import { AnsvarError } from '../../core/errors.js';
import { normaliseWord } from '../register/headers.js';
import { organisationId as organisationIdOf, systemId as systemIdOf } from '../register/ids.js';
import type { ImportProblem } from '../register/problems.js';
import { csvGrids, fileErrorMessage } from '../register/readFiles.js';
import type { RegisterIndexes } from '../search/registerView.js';

/**
 * The "access list" kind of `npm run import`: a CSV the system itself exports of who has which access, with the
 * columns `organisation, system, person, role` (in any of the four languages). Told apart from the register's
 * files by its header: it names a system, a person and a role and nothing else (a roles file has no system
 * column; a systems file names its holders by role, never a "person" column). All or nothing: every row is
 * checked (a system the register knows, a person as an e-mail address, a role) before anything is written; then
 * each system's list replaces the one imported before (the latest export is the system's own view).
 */

export const ACCESS_LIST_COLUMNS = ['organisation', 'system', 'person', 'role'] as const;
type AccessColumn = (typeof ACCESS_LIST_COLUMNS)[number];

const WORDS: Record<AccessColumn, readonly string[]> = {
  organisation: ['organisation', 'organization', 'organisasjon', 'kommun', 'kommune'],
  system: ['system', 'system name', 'systemnamn', 'systemnavn', 'fagsystem', 'verksamhetssystem'],
  person: [
    'person',
    'email',
    'e-mail',
    'e-post',
    'epost',
    'user',
    'användare',
    'brukar',
    'bruker',
    'upn',
    'username',
    'användarnamn',
    'brukarnamn',
    'brukernavn',
  ],
  role: [
    'role',
    'roll',
    'rolle',
    'access',
    'behörighet',
    'tilgang',
    'access level',
    'behörighetsnivå',
    'nivå',
  ],
};

const LOOKUP = new Map<string, AccessColumn>(
  ACCESS_LIST_COLUMNS.flatMap((column) => WORDS[column].map((w) => [normaliseWord(w), column] as const)),
);

/** The column of each header cell, when the header is an access list's (system, person and role; nothing else). */
export function accessListColumns(headers: readonly string[]): (AccessColumn | undefined)[] | undefined {
  const named = headers.filter((h) => h.trim() !== '');
  const columns = headers.map((h) => LOOKUP.get(normaliseWord(h)));
  if (named.length === 0 || columns.some((c, i) => c === undefined && headers[i]?.trim() !== ''))
    return undefined;
  const has = (c: AccessColumn) => columns.filter((x) => x === c).length === 1;
  return has('system') &&
    has('person') &&
    has('role') &&
    columns.filter((c) => c === 'organisation').length <= 1
    ? columns
    : undefined;
}

/** Whether the file is a CSV access list (the import sends it here instead of to the register). */
export async function isAccessListFile(file: string): Promise<boolean> {
  if (path.extname(file).toLowerCase() !== '.csv') return false;
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch {
    return false;
  }
  const grids = csvGrids(file, bytes);
  if ('problem' in grids) return false;
  const header = grids[0]?.rows[0];
  return header !== undefined && accessListColumns(header.cells) !== undefined;
}

export interface AccessListReport {
  files: string[];
  /** Rows per system id. */
  systems: { systemId: string; name: string; rows: number }[];
  dryRun: boolean;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export async function importAccessLists(
  deps: { indexes: RegisterIndexes; store?: Pick<ReviewStore, 'putAccessList'>; now: Date },
  files: readonly string[],
  options: { dryRun?: boolean; organisation?: string } = {},
): Promise<AccessListReport> {
  const problems: ImportProblem[] = [];
  const lists = new Map<string, AccessList>();
  const { indexes } = deps;
  for (const file of files) {
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (error) {
      problems.push({ file, message: fileErrorMessage(error) });
      continue;
    }
    const grids = csvGrids(file, bytes);
    if ('problem' in grids) {
      problems.push(grids.problem);
      continue;
    }
    const [header, ...body] = grids[0]?.rows ?? [];
    const columns = header ? accessListColumns(header.cells) : undefined;
    if (!columns) {
      problems.push({
        file,
        row: 1,
        message: 'not an access list: the columns are organisation, system, person, role',
      });
      continue;
    }
    for (const { row, cells } of body) {
      if (cells.every((c) => c === '')) continue;
      const value = (column: AccessColumn) => cells[columns.indexOf(column)]?.trim() ?? '';
      const orgName = value('organisation') || options.organisation || '';
      const orgId = orgName === '' ? onlyOrganisation(indexes) : organisationIdOf(orgName);
      const organisation = orgId === undefined ? undefined : indexes.organisations.get(orgId);
      if (!organisation) {
        problems.push({
          file,
          row,
          message:
            orgName === ''
              ? 'no organisation: add an organisation column or --organisation NAME'
              : `unknown organisation "${orgName}"`,
        });
        continue;
      }
      const systemName = value('system');
      const exact = indexes.systems.get(systemIdOf(organisation.id, systemName));
      const found =
        exact ??
        (() => {
          const match = indexes.systems.findExact(systemName, {
            organisationIds: new Set([organisation.id]),
          });
          return match?.kind === 'one' ? match.hit.item : undefined;
        })();
      if (!found) {
        problems.push({ file, row, message: `unknown system "${systemName}" in ${organisation.name}` });
        continue;
      }
      const person = value('person').toLowerCase();
      if (!EMAIL.test(person)) {
        problems.push({ file, row, message: `person: "${value('person')}" is not an e-mail address` });
        continue;
      }
      const role = value('role');
      if (role === '' || role.length > 200) {
        problems.push({
          file,
          row,
          message: role === '' ? 'role: empty' : 'role: longer than 200 characters',
        });
        continue;
      }
      const list = lists.get(found.id) ?? {
        systemId: found.id,
        organisationId: found.organisationId,
        importedAt: deps.now.toISOString(),
        source: path.basename(file),
        rows: [],
      };
      list.rows.push({ personId: person, role });
      lists.set(found.id, list);
    }
  }
  if (problems.length > 0) throw new AnsvarError('ImportInvalid', 'invalid access list', problems);
  const dryRun = options.dryRun ?? false;
  if (!dryRun && deps.store) for (const list of lists.values()) await deps.store.putAccessList(list);
  return {
    files: [...files],
    dryRun,
    systems: [...lists.values()].map((l) => ({
      systemId: l.systemId,
      name: indexes.systems.get(l.systemId)?.name ?? l.systemId,
      rows: l.rows.length,
    })),
  };
}

function onlyOrganisation(indexes: RegisterIndexes): string | undefined {
  const ids = [...indexes.organisations.keys()].filter(
    (id) => indexes.organisations.get(id)?.sample !== true,
  );
  return ids.length === 1 ? ids[0] : undefined;
}

export function formatAccessListReport(report: AccessListReport): string {
  const lines = report.systems.map((s) => `  ${s.name}: ${s.rows} access(es)`);
  return `${report.dryRun ? 'Access lists (dry run, nothing written)' : 'Access lists imported'}:\n${lines.join('\n')}`;
}
