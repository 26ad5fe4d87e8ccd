import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';
import type { Language } from '../../data/model.js';
import {
  detectKind,
  headerLanguage,
  isInstructionSheet,
  kindOfSheetName,
  mapHeaders,
  type ColumnOf,
  type FileKind,
} from './headers.js';
import type { ImportProblem } from './problems.js';
import { unguardFormula } from './csvCells.js';

/**
 * Reads CSV and XLSX files into tables of trimmed cell text keyed by canonical column. No meaning is given to cells
 * here (see rows.ts); this module only knows file formats, header rows and row numbers.
 *
 * CSV: UTF-8 with or without BOM (anything else is refused, not guessed). The delimiter is ',' or ';', whichever
 * splits the header row into more columns; an Excel `sep=;` first line is honoured too. Row numbers count records as
 * a spreadsheet shows them (a quoted cell with line breaks stays one row; blank lines count).
 * XLSX: every worksheet is a table with its header in row 1. A sheet named like a kind (systems, people, roles,
 * organisations, or their Swedish/Norwegian names) is that kind; another sheet is recognised by its header, and a
 * sheet whose header fits no kind is skipped with a warning (workbooks often carry an instructions sheet).
 */

export interface RawRow<K extends FileKind = FileKind> {
  row: number;
  /** Only the columns the header names; a present column with an empty cell is ''. */
  cells: Partial<Record<ColumnOf<K>, string>>;
}

export type RawTable = {
  [K in FileKind]: {
    kind: K;
    file: string;
    sheet?: string;
    columns: ColumnOf<K>[];
    rows: RawRow<K>[];
    /** The language of the header row, so errors list accepted words in it (English when not known). */
    language?: Language;
  };
}[FileKind];

export interface ReadResult {
  tables: RawTable[];
  /** Problems that make a whole file or sheet unusable (unreadable, no header, missing required column). */
  problems: ImportProblem[];
  warnings: ImportProblem[];
  /**
   * True when a file or sheet that may hold people could not be read: people it names are then unknown, and
   * reporting every reference to them would bury the one problem to fix.
   */
  peopleIncomplete?: boolean;
}

export interface Grid {
  sheet?: string;
  /** Spreadsheet row number and the cell texts of that row. */
  rows: { row: number; cells: string[] }[];
}

export const SUPPORTED_EXTENSIONS = ['.csv', '.xlsx'] as const;

export async function readRegisterFiles(paths: readonly string[]): Promise<ReadResult> {
  const result: ReadResult = { tables: [], problems: [], warnings: [] };
  for (const file of paths) {
    const one = await readRegisterFile(file);
    result.tables.push(...one.tables);
    result.problems.push(...one.problems);
    result.warnings.push(...one.warnings);
    if (one.peopleIncomplete) result.peopleIncomplete = true;
  }
  return result;
}

export async function readRegisterFile(file: string): Promise<ReadResult> {
  const ext = path.extname(file).toLowerCase();
  if (ext !== '.csv' && ext !== '.xlsx')
    return failed(
      file,
      ext === ''
        ? 'the file name has no extension: save the register as .xlsx (Excel) or .csv (CSV UTF-8)'
        : `cannot read ${ext} files: save the register as .xlsx (Excel) or .csv (CSV UTF-8)`,
    );
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    return failed(file, fileErrorMessage(error));
  }
  const grids = ext === '.csv' ? csvGrids(file, bytes) : await xlsxGrids(file, bytes);
  if ('problem' in grids)
    return { tables: [], problems: [grids.problem], warnings: [], peopleIncomplete: true };
  const result: ReadResult = { tables: [], problems: [], warnings: [] };
  for (const grid of grids) {
    if (grid.sheet !== undefined && isInstructionSheet(grid.sheet)) continue;
    const at = { file, ...(grid.sheet === undefined ? {} : { sheet: grid.sheet }) };
    const header = grid.rows[0];
    if (header === undefined || header.row !== 1 || header.cells.every((c) => c === '')) {
      if (grid.sheet !== undefined && grid.rows.length === 0) continue;
      result.problems.push({ ...at, row: 1, message: 'the header row (row 1) is missing' });
      continue;
    }
    const kind =
      (grid.sheet === undefined ? undefined : kindOfSheetName(grid.sheet)) ?? detectKind(header.cells);
    if (kind === undefined) {
      const message =
        'cannot tell what this table holds: a systems table needs a "system" column, a people table "email" and ' +
        '"name", a roles table "role" and "person", an organisations table "organisation" and "language"';
      if (grid.sheet === undefined) {
        result.problems.push({ ...at, row: 1, message });
        result.peopleIncomplete = true;
      } else result.warnings.push({ ...at, row: 1, message: `sheet skipped: ${message}` });
      continue;
    }
    const table = toTable(kind, file, grid, result);
    if (table) result.tables.push(table);
  }
  return result;
}

function toTable(kind: FileKind, file: string, grid: Grid, result: ReadResult): RawTable | undefined {
  const at = { file, ...(grid.sheet === undefined ? {} : { sheet: grid.sheet }), row: 1 };
  const [header, ...body] = grid.rows;
  const mapping = mapHeaders(kind, header!.cells);
  for (const column of mapping.missing)
    result.problems.push({ ...at, message: `the ${kind} table needs a "${column}" column` });
  for (const { column, headers } of mapping.duplicates)
    result.problems.push({
      ...at,
      message: `columns ${headers.map((h) => `"${h}"`).join(' and ')} both mean ${column}`,
    });
  if (mapping.ignored.length > 0)
    result.warnings.push({
      ...at,
      message: `ignored columns (not part of a ${kind} table): ${mapping.ignored.map((h) => `"${h}"`).join(', ')}`,
    });
  if (mapping.missing.length > 0 || mapping.duplicates.length > 0) {
    if (kind === 'people') result.peopleIncomplete = true;
    return undefined;
  }
  const columns = mapping.columns.filter((c): c is NonNullable<typeof c> => c !== undefined);
  const rows: RawRow[] = [];
  for (const { row, cells } of body) {
    if (cells.every((c) => c === '')) continue;
    const values: Record<string, string> = {};
    mapping.columns.forEach((column, i) => {
      if (column !== undefined) values[column] = cells[i] ?? '';
    });
    rows.push({ row, cells: values });
  }
  return {
    kind,
    file,
    ...(grid.sheet === undefined ? {} : { sheet: grid.sheet }),
    columns,
    rows,
    language: headerLanguage(kind, header!.cells),
  } as RawTable;
}

function failed(file: string, message: string): ReadResult {
  return { tables: [], problems: [{ file, message }], warnings: [], peopleIncomplete: true };
}

/** A file-system error as a coordinator reads it: what is wrong and what to do, no error codes. */
export function fileErrorMessage(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file: check the name and the folder (run the command in the folder that holds the file, or give its full path)';
    case 'EACCES':
    case 'EPERM':
      return 'no permission to read the file: close it in Excel or check its permissions';
    case 'EISDIR':
      return 'this is a folder; name the files in it, or the folder itself without a trailing file name';
    case 'EBUSY':
      return 'the file is locked by another program (close it in Excel and try again)';
    default:
      return `cannot read the file: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** A CSV file as rows of trimmed cells (UTF-8 only, `sep=` line and delimiter told from the header); also read by the access-list import. */
export function csvGrids(file: string, bytes: Buffer): Grid[] | { problem: ImportProblem } {
  let text: string;
  try {
    // The decoder drops a UTF-8 BOM; `fatal` refuses Windows-1252 and other legacy encodings instead of garbling å/ø.
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { problem: { file, message: 'the file is not UTF-8 text: save it as "CSV UTF-8" (or as XLSX)' } };
  }
  let delimiter: string | undefined;
  // Excel hides a `sep=` line and numbers the header as row 1.
  const sep = /^sep=([,;])\r?\n/.exec(text);
  if (sep) {
    delimiter = sep[1];
    text = text.slice(sep[0].length);
  }
  delimiter ??= headerDelimiter(text);
  let records: string[][];
  try {
    records = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: false });
  } catch (error) {
    const e = error as Error & { lines?: number };
    return {
      problem: {
        file,
        ...(e.lines === undefined ? {} : { row: e.lines }),
        message: `not valid CSV: ${e.message}`,
      },
    };
  }
  return [
    { rows: records.map((cells, i) => ({ row: i + 1, cells: cells.map((c) => unguardFormula(c.trim())) })) },
  ];
}

/** ';' when it splits the header row into more fields than ',' does (Swedish and Norwegian Excel write ';'). */
function headerDelimiter(text: string): string {
  const fields = (delimiter: string) => {
    try {
      return (
        parse(text, { delimiter, to_line: 1, relax_column_count: true, relax_quotes: true })[0]?.length ?? 0
      );
    } catch {
      return 0;
    }
  };
  return fields(';') > fields(',') ? ';' : ',';
}

async function xlsxGrids(file: string, bytes: Buffer): Promise<Grid[] | { problem: ImportProblem }> {
  // Loaded on first use: importing exceljs takes most of a second, and the bot starts without reading a workbook.
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  } catch {
    return { problem: { file, message: 'not a readable XLSX workbook' } };
  }
  return workbook.worksheets.map((sheet) => {
    const width = sheet.getRow(1).cellCount;
    const rows: Grid['rows'] = [];
    sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const cells: string[] = [];
      for (let c = 1; c <= Math.max(width, row.cellCount); c += 1)
        cells.push(cellText(row.getCell(c)).trim());
      rows.push({ row: rowNumber, cells });
    });
    return { sheet: sheet.name, rows };
  });
}

/**
 * The cell as the coordinator sees it. Dates become ISO dates (date-times when not midnight UTC, which is how
 * ExcelJS returns a date-only cell); formulas give their result; links and rich text their text.
 */
function cellText(cell: ExcelJS.Cell): string {
  const value = cell.value;
  const result = value !== null && typeof value === 'object' && 'result' in value ? value.result : value;
  if (result instanceof Date) {
    const iso = result.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if (result === null || result === undefined) return '';
  if (typeof result === 'object' && 'error' in result) return String(result.error);
  return value === result ? cell.text : String(result);
}
