/**
 * npm run export -- FILE.xlsx | FILE.csv [--delimiter ';']
 *
 * Writes the register in ANSVAR_DATA_DIR in the import format, read without the register's lock (a consistent
 * snapshot of the committed file), so it works while the bot runs; a missing folder of FILE is created. FILE.xlsx: one workbook with the sheets
 * organisations, systems, people, roles. FILE.csv: the systems in FILE.csv and the other tables next to it in
 * FILE.people.csv, FILE.roles.csv and FILE.organisations.csv. Exit codes: 0 written, 2 usage error, 3 anything else.
 */
import path from 'node:path';
import { storeOpener, type StoreOpener } from '../data/stores.js';
import { loadConfiguration } from '../services/infrastructure/config.js';
import { logger } from '../core/logger.js';
import { commandFailure, outputFileProblem } from '../services/infrastructure/operatorMessages.js';
import { exportRegister } from '../services/register/exporter.js';
import { parseCommandLine, usageError } from './commandLine.js';

const USAGE = `Usage: npm run export -- FILE.xlsx | FILE.csv [--delimiter ';']

Writes the register in the import format (only current role assignments).
  FILE.xlsx          one workbook with the sheets organisations, systems, people, roles
  FILE.csv           systems in FILE.csv, the other tables in FILE.people.csv, FILE.roles.csv, FILE.organisations.csv
  --delimiter ';'    CSV field separator as Swedish/Norwegian Excel expects (default ',')`;

async function main(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(
    {
      args: argv,
      allowPositionals: true,
      options: {
        delimiter: { type: 'string', default: ',' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    },
    USAGE,
  );
  if (typeof parsed === 'number') return parsed;
  const [file, ...rest] = parsed.positionals;
  const delimiter = parsed.values.delimiter;
  if (
    file === undefined ||
    rest.length > 0 ||
    !/\.(xlsx|csv)$/i.test(file) ||
    (delimiter !== ',' && delimiter !== ';')
  ) {
    return usageError("Give exactly one FILE ending in .xlsx or .csv, and a delimiter ',' or ';'.", USAGE);
  }

  logger.level = 'warn';
  let dataDir = '';
  let stores: StoreOpener | undefined;
  try {
    const config = loadConfiguration();
    dataDir = config.dataDir;
    const opened = (stores = storeOpener(config.store));
    const where = config.store.kind === 'lowdb' ? config.store.dataDir : 'PostgreSQL';
    const written = await exportRegister({ snapshot: () => opened.registerSnapshot() }, file, { delimiter });
    process.stdout.write(
      `Exported the register in ${where} to:\n${written.map((w) => `  ${w}\n`).join('')}` +
        `Import it again with: npm run import -- ${written.join(' ')}\n`,
    );
    return 0;
  } catch (error) {
    const target = (error as NodeJS.ErrnoException).path;
    const aboutOutput = target !== undefined && dataDir !== '' && !path.resolve(target).startsWith(dataDir);
    process.stderr.write(
      `Export failed: ${aboutOutput ? outputFileProblem(error, file) : commandFailure(error, dataDir)}\n`,
    );
    return 3;
  } finally {
    await stores?.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
