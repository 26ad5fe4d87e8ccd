/**
 * npm run import -- FILE... [--dry-run]
 *
 * Imports register files (CSV or XLSX; a directory stands for the CSV/XLSX files in it) into the register in
 * ANSVAR_DATA_DIR, all or nothing. Exit codes: 0 imported (or nothing to change), 1 the files are invalid (every
 * problem printed as FILE:ROW: reason), 2 usage error, 3 anything else (e.g. the register is in use by a running
 * server, or the configuration is invalid).
 */
import { parseArgs } from 'node:util';
import type { RegisterStore } from '../data/registerStore.js';
import { storeOpener, type StoreOpener } from '../data/stores.js';
import { loadConfig } from '../services/config.js';
import { isAnsvarError } from '../services/errors.js';
import { logger } from '../services/logger.js';
import { expandImportPaths, formatImportReport, importRegisterFiles } from '../services/register/importer.js';
import { formatProblem, type ImportProblem } from '../services/register/problems.js';

const USAGE = `Usage: npm run import -- FILE... [--dry-run]

Imports the register from CSV or XLSX files (several files, or a directory, in one all-or-nothing import).
  --dry-run   show what would change, write nothing
Files: an XLSX workbook with the sheets systems, people, roles (and optionally organisations), or CSV files
each holding one of those tables (told apart by their header rows).`;

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'dry-run': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (parsed.values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (parsed.positionals.length === 0) {
    process.stderr.write(`No file given.\n\n${USAGE}\n`);
    return 2;
  }

  logger.level = 'warn';
  let store: RegisterStore | undefined;
  let stores: StoreOpener | undefined;
  try {
    const config = loadConfig();
    const files = await expandImportPaths(parsed.positionals);
    if (files.length === 0) {
      process.stderr.write(`No CSV or XLSX file in ${parsed.positionals.join(', ')}.\n`);
      return 2;
    }
    stores = storeOpener(config.store);
    store = await stores.register();
    const where = config.store.kind === 'lowdb' ? config.store.dataDir : 'PostgreSQL';
    const report = await importRegisterFiles(store, files, { dryRun: parsed.values['dry-run'] });
    process.stdout.write(`Register: ${where}\nFiles: ${files.join(', ')}\n\n${formatImportReport(report)}\n`);
    return 0;
  } catch (error) {
    if (isAnsvarError(error, 'ImportInvalid')) {
      const problems = (error.details ?? []) as ImportProblem[];
      for (const p of problems) process.stderr.write(`${formatProblem(p)}\n`);
      process.stderr.write(`\nNothing was imported: ${problems.length} problem(s) to fix.\n`);
      return 1;
    }
    if (isAnsvarError(error, 'StoreLocked'))
      process.stderr.write(`The register is in use (is the Ansvar server running?): ${error.message}\n`);
    else process.stderr.write(`Import failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 3;
  } finally {
    await stores?.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
