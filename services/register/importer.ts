import { randomUUID } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  sampleIds,
  type RegisterChanges,
  type RegisterIds,
  type RegisterSnapshot,
} from '../../data/model.js';
import type { RegisterStore } from '../../data/registerStore.js';
import type { AuditEvent } from '../../data/requestModel.js';
import { AnsvarError, isAnsvarError } from '../../core/errors.js';
import { logger } from '../../core/logger.js';
import { ENTITY_KINDS, isEmptyPlan, planImport, type ChangeCounts, type EntityKind } from './planImport.js';
import { describeChanges, formatChanges, type ChangeList } from './changeList.js';
import { formatProblem, type ImportProblem } from './problems.js';
import { readRegisterFiles, SUPPORTED_EXTENSIONS } from './readFiles.js';
import { validateTables } from './rows.js';

export type { ImportProblem } from './problems.js';

export interface ImportOptions {
  /** Plan and report, write nothing. */
  dryRun?: boolean;
  /** The time written as validFrom/validTo of the assignments the import starts and ends. */
  now?: Date;
  /**
   * Take the fictional sample register out of the store in the same write (model.ts `sampleIds`). Without it, an
   * import into a store holding the sample is refused (`refusedForSample`), so nobody mixes their register with it.
   */
  replaceSample?: boolean;
  /** The organisation of rows that name none (see planImport's `organisation`). */
  organisation?: string;
  /** Marks the organisations the import creates as the sample register's (only the server's first start). */
  sample?: boolean;
  /**
   * Called once the files are valid and the sample is about to be replaced, just before the register is written:
   * sets aside what trying the sample left besides the register (requests, timers, conversations, the audit log;
   * data/lowdb/sampleArchive.ts) and says what, for the replacement's audit event. When it set the audit log aside, the
   * register store starts a new audit chain with that event. A failure stops the import before the write.
   */
  setAsideSample?: () => Promise<
    | {
        archivedTo: string;
        files: string[];
        newAuditChain: boolean;
        /** PostgreSQL: the schema the register store moves the sample's rows into, in the same transaction. */
        archiveSchema?: string;
      }
    | undefined
  >;
}

export interface ImportReport {
  files: string[];
  dryRun: boolean;
  /** True when a change set was written. */
  applied: boolean;
  /** The store's revision after the import (unchanged when nothing was written). */
  revision: number;
  counts: Record<EntityKind, ChangeCounts>;
  /** What is (or would be) added, changed and ended, per system, person and organisation role. */
  changes: ChangeList;
  /** Gaps (systems without owner, administrator or deputy), guessed languages, ignored columns and sheets. */
  warnings: ImportProblem[];
  /** Names of the sample register's organisations in the store; the plan is made without them. */
  sampleOrganisations: string[];
  /** Where what trying the sample left (requests, timers, audit log) was set aside when it was replaced. */
  sampleArchivedTo?: string;
  /** The store holds the sample and `replaceSample` was not given: nothing was written. */
  refusedForSample: boolean;
}

/** A store read for planning only: a running bot's store, or a lock-free read of its file (a dry run). */
export type RegisterSource = Pick<RegisterStore, 'snapshot'>;

/**
 * Imports CSV/XLSX files (a directory stands for the CSV/XLSX files in it) into the register, all or nothing: every
 * file is read and every row validated and merged (planImport.ts) before anything is written; any problem throws
 * AnsvarError('ImportInvalid') with `details: ImportProblem[]` listing all of them, from every file at once, and
 * the store is untouched. The change set is written with one compare-and-set; when another writer got there
 * first, the import is planned once more against the new register. A plan without changes writes nothing, so
 * re-importing a file leaves the revision alone. A dry run only needs a `RegisterSource`.
 */
export async function importRegisterFiles(
  store: RegisterStore | RegisterSource,
  paths: readonly string[],
  options: ImportOptions = {},
): Promise<ImportReport> {
  const now = options.now ?? new Date();
  const dryRun = options.dryRun ?? false;
  const files = await expandImportPaths(paths);
  const read = await readRegisterFiles(files);
  const validated = validateTables(read.tables);

  let setAside: Awaited<ReturnType<NonNullable<ImportOptions['setAsideSample']>>>;
  let setAsideDone = false;
  for (let attempt = 1; ; attempt += 1) {
    const snapshot = await store.snapshot();
    const sample = options.sample ? undefined : sampleIds(snapshot);
    const sampleOrganisations = snapshot.organisations.filter((o) => o.sample === true).map((o) => o.name);
    const base = sample && sampleOrganisations.length > 0 ? withoutIds(snapshot, sample) : snapshot;
    const plan = planImport(base, validated.rows, {
      now,
      knownPersonIds: validated.knownPersonIds,
      peopleIncomplete: read.peopleIncomplete ?? false,
      ...(options.organisation === undefined ? {} : { organisation: options.organisation }),
    });
    const problems = [...read.problems, ...validated.problems, ...plan.problems];
    if (problems.length > 0) throw invalid(inFileOrder(problems, files));
    if (options.sample) markSample(plan.changes);
    const refusedForSample = sampleOrganisations.length > 0 && !options.replaceSample && !options.sample;
    const report: ImportReport = {
      files,
      dryRun,
      applied: false,
      revision: snapshot.revision,
      counts: plan.counts,
      changes: describeChanges(base, plan),
      warnings: [...read.warnings, ...plan.warnings],
      sampleOrganisations,
      refusedForSample,
    };
    const replacing = sampleOrganisations.length > 0 && options.replaceSample === true;
    if (dryRun || refusedForSample || (isEmptyPlan(plan) && !replacing)) return report;
    if (!('apply' in store))
      throw new AnsvarError('InvalidInput', 'a read-only register cannot be imported into');
    // Once per import: a second attempt (after a conflict) finds the sample's files already set aside.
    if (replacing && !setAsideDone) {
      setAside = await options.setAsideSample?.();
      setAsideDone = true;
    }
    try {
      const revision = await store.apply(plan.changes, snapshot.revision, {
        ...(replacing
          ? {
              remove: sample,
              audit: [sampleReplacedEvent(now, files, sampleOrganisations, sample!, setAside)],
              ...(setAside?.newAuditChain ? { newAuditChain: true } : {}),
              ...(setAside?.archiveSchema ? { archiveSampleTo: setAside.archiveSchema } : {}),
            }
          : {}),
      });
      logger.info({ files, revision, counts: plan.counts, replacedSample: replacing }, 'register imported');
      return {
        ...report,
        applied: true,
        revision,
        ...(setAside ? { sampleArchivedTo: setAside.archivedTo } : {}),
      };
    } catch (error) {
      if (attempt === 1 && isAnsvarError(error, 'RevisionConflict')) {
        logger.info({ files }, 'register changed during import; planning again');
        continue;
      }
      throw error;
    }
  }
}

/** The register without the given ids (what a plan starts from when the sample is to be replaced). */
function withoutIds(snapshot: RegisterSnapshot, ids: RegisterIds): RegisterSnapshot {
  const drop = <T extends { id: string }>(list: T[], removed: string[] | undefined) => {
    const set = new Set(removed ?? []);
    return list.filter((e) => !set.has(e.id));
  };
  return {
    revision: snapshot.revision,
    organisations: drop(snapshot.organisations, ids.organisations),
    units: drop(snapshot.units, ids.units),
    people: drop(snapshot.people, ids.people),
    systems: drop(snapshot.systems, ids.systems),
    roleAssignments: drop(snapshot.roleAssignments, ids.roleAssignments),
  };
}

function markSample(changes: RegisterChanges): void {
  if (changes.organisations)
    changes.organisations = changes.organisations.map((o) => ({ ...o, sample: true }));
}

function sampleReplacedEvent(
  now: Date,
  files: readonly string[],
  organisations: readonly string[],
  removed: RegisterIds,
  setAside: { archivedTo: string; files: string[] } | undefined,
): AuditEvent {
  return {
    id: randomUUID(),
    at: now.toISOString(),
    type: 'register_sample_replaced',
    actor: 'system',
    reason: 'the sample register was replaced by an imported register (npm run import -- --replace-sample)',
    details: {
      files: files.join(', '),
      organisations: organisations.join(', '),
      systems: removed.systems?.length ?? 0,
      people: removed.people?.length ?? 0,
      roleAssignments: removed.roleAssignments?.length ?? 0,
      ...(setAside ? { archivedTo: setAside.archivedTo, archivedFiles: setAside.files.join(', ') } : {}),
    },
  };
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
  return importRegisterFiles(store, files, { ...options, sample: true });
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
  if (report.sampleOrganisations.length > 0)
    lines.push(
      `The register holds the fictional sample register (${report.sampleOrganisations.join(', ')}); ` +
        (report.applied ? 'it was replaced by these files.' : 'these changes are counted without it.'),
    );
  if (report.sampleArchivedTo !== undefined)
    lines.push(
      `What trying the sample left (its requests, timers and audit log) was moved to ${report.sampleArchivedTo}; ` +
        'the audit log starts again with this replacement.',
    );
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
  const changes = formatChanges(report.changes);
  if (changes !== '') lines.push('', changes);
  if (report.warnings.length > 0) {
    lines.push('', `Warnings (${report.warnings.length}):`);
    for (const w of report.warnings) lines.push(`  ${formatProblem(w)}`);
  }
  return lines.join('\n');
}
