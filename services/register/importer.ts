import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { RegisterStore } from '../../data/registerStore.js';
import { AnsvarError, isAnsvarError } from '../errors.js';
import { logger } from '../logger.js';
import { ENTITY_KINDS, isEmptyPlan, planImport, type ChangeCounts, type EntityKind } from './planImport.js';
import { formatProblem, type ImportProblem } from './problems.js';
import { readRegisterFiles, SUPPORTED_EXTENSIONS } from './readFiles.js';
import { validateTables } from './rows.js';

export type { ImportProblem } from './problems.js';

export interface ImportOptions {
  /** Plan and report, write nothing. */
  dryRun?: boolean;
  /** The time written as validFrom/validTo of the assignments the import starts and ends. */
  now?: Date;
}

export interface ImportReport {
  files: string[];
  dryRun: boolean;
  /** True when a change set was written. */
  applied: boolean;
  /** The store's revision after the import (unchanged when nothing was written). */
  revision: number;
  counts: Record<EntityKind, ChangeCounts>;
  /** Gaps (systems without owner, administrator or deputy), guessed languages, ignored columns and sheets. */
  warnings: ImportProblem[];
}

/**
 * Imports CSV/XLSX files (a directory stands for the CSV/XLSX files in it) into the register, all or nothing: every file is read and every row validated and merged
 * (planImport.ts) before anything is written; any problem throws AnsvarError('ImportInvalid') with `details:
 * ImportProblem[]` listing all of them, and the store is untouched. The change set is written with one
 * compare-and-set; when another writer got there first, the import is planned once more against the new register.
 * A plan without changes writes nothing, so re-importing a file leaves the revision alone.
 */
export async function importRegisterFiles(
  store: RegisterStore,
  paths: readonly string[],
  options: ImportOptions = {},
): Promise<ImportReport> {
  const now = options.now ?? new Date();
  const dryRun = options.dryRun ?? false;
  const files = await expandImportPaths(paths);
  const read = await readRegisterFiles(files);
  if (read.problems.length > 0) throw invalid(read.problems);
  const validated = validateTables(read.tables);

  for (let attempt = 1; ; attempt += 1) {
    const snapshot = await store.snapshot();
    const plan = planImport(snapshot, validated.rows, { now, knownPersonIds: validated.knownPersonIds });
    const problems = [...validated.problems, ...plan.problems];
    if (problems.length > 0) throw invalid(inFileOrder(problems, files));
    const report: ImportReport = {
      files,
      dryRun,
      applied: false,
      revision: snapshot.revision,
      counts: plan.counts,
      warnings: [...read.warnings, ...plan.warnings],
    };
    if (dryRun || isEmptyPlan(plan)) return report;
    try {
      const revision = await store.apply(plan.changes, snapshot.revision);
      logger.info({ files, revision, counts: plan.counts }, 'register imported');
      return { ...report, applied: true, revision };
    } catch (error) {
      if (attempt === 1 && isAnsvarError(error, 'RevisionConflict')) {
        logger.info({ files }, 'register changed during import; planning again');
        continue;
      }
      throw error;
    }
  }
}

/** Problems ordered as an operator fixes them: by file (as named), sheet, row; stable within a row. */
function inFileOrder(problems: ImportProblem[], paths: readonly string[]): ImportProblem[] {
  const fileIndex = (p: ImportProblem) => paths.indexOf(p.file);
  return [...problems].sort(
    (a, b) =>
      fileIndex(a) - fileIndex(b) ||
      (a.sheet ?? '').localeCompare(b.sheet ?? '') ||
      (a.row ?? 0) - (b.row ?? 0),
  );
}

function invalid(problems: ImportProblem[]): AnsvarError {
  const lines = problems.map(formatProblem);
  return new AnsvarError(
    'ImportInvalid',
    `${problems.length} problem(s) in the import:\n${lines.join('\n')}`,
    problems,
  );
}

/**
 * The sample register (data/sample/*.csv and *.xlsx) imported in one change set. The server calls it on an empty
 * store in local mode.
 */
export async function loadSampleRegister(
  store: RegisterStore,
  sampleDir: string,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const files = await registerFilesIn(sampleDir);
  if (files.length === 0)
    throw new AnsvarError('ImportInvalid', `no CSV or XLSX files in ${sampleDir}`, [
      { file: sampleDir, message: 'no CSV or XLSX files' },
    ]);
  return importRegisterFiles(store, files, options);
}

/** Files named on a command line, with each directory replaced by the CSV/XLSX files in it (sorted). */
export async function expandImportPaths(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const info = await stat(p).catch(() => undefined);
    if (info?.isDirectory()) out.push(...(await registerFilesIn(p)));
    else out.push(p);
  }
  return out;
}

async function registerFilesIn(dir: string): Promise<string[]> {
  const names = await readdir(dir);
  return names
    .filter((n) => (SUPPORTED_EXTENSIONS as readonly string[]).includes(path.extname(n).toLowerCase()))
    .filter((n) => !n.startsWith('~$') && !n.startsWith('.'))
    .sort()
    .map((n) => path.join(dir, n));
}

const COUNT_LABELS: Record<EntityKind, string> = {
  organisations: 'organisations',
  units: 'units',
  people: 'people',
  systems: 'systems',
  roleAssignments: 'role assignments',
};

/** The operator's summary: what was (or, in a dry run, would be) added, changed and ended, then the warnings. */
export function formatImportReport(report: ImportReport): string {
  const lines: string[] = [];
  const nothing = ENTITY_KINDS.every(
    (k) => report.counts[k].added + report.counts[k].changed + report.counts[k].ended === 0,
  );
  if (report.dryRun) lines.push('Dry run: nothing was written.');
  if (nothing) lines.push('No changes: the register already matches the files.');
  else if (report.applied) lines.push(`Imported; the register is now at revision ${report.revision}.`);
  else lines.push('These changes would be made:');
  const width = Math.max(...Object.values(COUNT_LABELS).map((l) => l.length));
  lines.push(
    `${''.padEnd(width)}  ${['added', 'changed', 'ended', 'unchanged'].map((h) => h.padStart(10)).join('')}`,
  );
  for (const kind of ENTITY_KINDS) {
    const c = report.counts[kind];
    lines.push(
      `${COUNT_LABELS[kind].padEnd(width)}  ${[c.added, c.changed, c.ended, c.unchanged].map((n) => String(n).padStart(10)).join('')}`,
    );
  }
  if (report.warnings.length > 0) {
    lines.push('', `Warnings (${report.warnings.length}):`);
    for (const w of report.warnings) lines.push(`  ${formatProblem(w)}`);
  }
  return lines.join('\n');
}
