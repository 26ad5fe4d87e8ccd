/**
 * npm run import -- FILE... [--dry-run] [--json] [--replace-sample] [--organisation NAME]
 *
 * Imports register files (CSV or XLSX; a directory stands for the CSV/XLSX files in it) into the register in
 * ANSVAR_DATA_DIR, all or nothing. A dry run reads the register without its lock (a consistent snapshot of the
 * committed file), so it works while the bot runs. Exit codes: 0 imported (or nothing to change, or a dry run),
 * 1 the files are invalid (every problem printed as FILE:ROW: reason), 2 usage error, 3 anything else (e.g. the
 * register is in use by a running bot), 4 the register holds the fictional sample register and --replace-sample
 * was not given (nothing written; the message names the command to run).
 */
import type { RegisterStore } from '../data/registerStore.js';
import { archiveSampleStores } from '../data/lowdb/sampleArchive.js';
import { storeOpener, type StoreOpener } from '../data/stores.js';
import { loadConfiguration } from '../services/infrastructure/config.js';
import { isAnsvarError } from '../core/errors.js';
import { logger } from '../core/logger.js';
import { commandFailure } from '../services/infrastructure/operatorMessages.js';
import {
  expandImportPaths,
  formatImportReport,
  importRegisterFiles,
  type ImportOptions,
  type ImportReport,
} from '../services/register/importer.js';
import { formatProblem, type ImportProblem } from '../services/register/problems.js';
import {
  formatAccessListReport,
  importAccessLists,
  isAccessListFile,
} from '../services/reviews/accessListImport.js';
import { buildRegisterIndexes } from '../services/search/registerView.js';
import { parseCommandLine, usageError } from './commandLine.js';

const USAGE = `Usage: npm run import -- FILE... [--dry-run] [--json] [--replace-sample] [--organisation NAME]

Imports the register from XLSX or CSV files (several files, or a folder, in one all-or-nothing import).
  --dry-run              show what would change, per system, person and role; write nothing (works while the bot runs)
  --json                 print the report as JSON
  --replace-sample       replace the fictional sample register that the first start loaded
  --organisation NAME    the organisation of rows that name none (needed only when the files and the register
                         name more than one organisation)
Files: an XLSX workbook with the sheets systems, people, roles (and optionally organisations), or CSV files each
holding one of those tables (told apart by their header rows). A template: npm run template -- sv register.xlsx
An access list for the access reviews is a CSV with the columns organisation, system, person, role (who has which
access, as the system exports it); it replaces the system's previous list.`;

/** The command line again, as a shell reads it, for "run this instead" messages. */
function shellWords(words: readonly string[]): string {
  return words.map((w) => (/^[\w./:@=+-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ');
}

async function main(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(
    {
      args: argv,
      allowPositionals: true,
      options: {
        'dry-run': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        'replace-sample': { type: 'boolean', default: false },
        organisation: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    },
    USAGE,
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (positionals.length === 0) return usageError('No file given.', USAGE);

  logger.level = 'warn';
  let store: RegisterStore | undefined;
  let stores: StoreOpener | undefined;
  let dataDir = '';
  try {
    const config = loadConfiguration();
    dataDir = config.dataDir;
    const files = await expandImportPaths(positionals);
    if (files.length === 0) {
      process.stderr.write(
        `No XLSX or CSV file in ${positionals.join(', ')}: save the register as .xlsx or "CSV UTF-8" there.\n`,
      );
      return 2;
    }
    // Access lists (organisation, system, person, role: who has which access, as the system exports it) go to the
    // access reviews; everything else is the register.
    const accessFiles: string[] = [];
    const registerFiles: string[] = [];
    for (const file of files) ((await isAccessListFile(file)) ? accessFiles : registerFiles).push(file);
    if (accessFiles.length > 0) {
      const listStores = storeOpener(config.store);
      try {
        const accessReport = await importAccessLists(
          {
            indexes: buildRegisterIndexes(await listStores.registerSnapshot()),
            ...(values['dry-run'] ? {} : { store: await listStores.reviews() }),
            now: new Date(),
          },
          accessFiles,
          {
            dryRun: values['dry-run'],
            ...(values.organisation === undefined ? {} : { organisation: values.organisation }),
          },
        );
        if (values.json) process.stdout.write(`${JSON.stringify(accessReport, null, 2)}\n`);
        else process.stdout.write(`${formatAccessListReport(accessReport)}\n`);
      } finally {
        await listStores.close();
      }
      if (registerFiles.length === 0) return 0;
    }
    const lowdbDir = config.store.kind === 'lowdb' ? config.store.dataDir : undefined;
    const at = new Date();
    const options: ImportOptions = {
      dryRun: values['dry-run'],
      replaceSample: values['replace-sample'],
      ...(values.organisation === undefined ? {} : { organisation: values.organisation }),
      // What trying the sample left besides the register goes aside with it: the embedded store's files into a
      // folder now; PostgreSQL's rows into a schema, in the register replacement's transaction.
      ...(lowdbDir === undefined
        ? {
            setAsideSample: async () => {
              const { SAMPLE_TABLES, sampleSchemaName } = await import('../data/postgres/pgSampleArchive.js');
              const schema = sampleSchemaName(at);
              return {
                archivedTo: `schema ${schema}`,
                files: [...SAMPLE_TABLES],
                newAuditChain: true,
                archiveSchema: schema,
              };
            },
          }
        : {
            setAsideSample: async () => {
              const archive = await archiveSampleStores(lowdbDir, at);
              return (
                archive && {
                  archivedTo: archive.dir,
                  files: archive.files,
                  newAuditChain: archive.files.some((f) => f.startsWith('audit')),
                }
              );
            },
          }),
    };
    // On PostgreSQL the import names its connections apart from a running Ansvar's (see pgSampleArchive.ts).
    stores = storeOpener(
      config.store.kind === 'postgres' ? { ...config.store, applicationName: 'ansvar-import' } : config.store,
    );
    const where = config.store.kind === 'lowdb' ? config.store.dataDir : 'PostgreSQL';
    let report: ImportReport;
    if (options.dryRun) {
      const registerStores = stores;
      report = await importRegisterFiles(
        { snapshot: () => registerStores.registerSnapshot() },
        registerFiles,
        options,
      );
    } else {
      store = await stores.register();
      report = await importRegisterFiles(store, registerFiles, options);
    }
    if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else
      process.stdout.write(
        `Register: ${where}\nFiles: ${registerFiles.join(', ')}\n\n${formatImportReport(report)}\n`,
      );
    if (report.refusedForSample) {
      const again = shellWords([
        'npm',
        'run',
        'import',
        '--',
        '--replace-sample',
        ...argv.filter((a) => a !== '--replace-sample'),
      ]);
      const message = report.dryRun
        ? `\nThe register holds the fictional sample register (${report.sampleOrganisations.join(', ')}). ` +
          `To import your own register instead of it, run:\n  ${again.replace(' --dry-run', '')}\n`
        : `\nNothing was imported: the register holds the fictional sample register ` +
          `(${report.sampleOrganisations.join(', ')}), and your register would be mixed with it. ` +
          `To replace the sample with your register, run:\n  ${again}\n`;
      process.stderr.write(message);
      return report.dryRun ? 0 : 4;
    }
    return 0;
  } catch (error) {
    if (isAnsvarError(error, 'ImportInvalid')) {
      const problems = (error.details ?? []) as ImportProblem[];
      if (values.json) process.stdout.write(`${JSON.stringify({ problems }, null, 2)}\n`);
      for (const p of problems) process.stderr.write(`${formatProblem(p)}\n`);
      process.stderr.write(`\nNothing was imported: ${problems.length} problem(s) to fix.\n`);
      return 1;
    }
    const hint = isAnsvarError(error, 'StoreLocked')
      ? ' (A dry run, --dry-run, works while the bot runs.)'
      : '';
    process.stderr.write(`Import failed: ${commandFailure(error, dataDir)}${hint}\n`);
    return 3;
  } finally {
    await stores?.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
