/**
 * npm run migrate-store -- --from DIR
 *
 * Moves an embedded (lowdb) data directory into the configured PostgreSQL database (DATABASE_URL, or
 * ANSVAR_STORE=postgres and the PG* variables): all or nothing, verified by counts and the audit chain before it
 * commits. The database must be empty; Ansvar must be stopped (the directory's locks are taken). The directory is
 * left as it was, as a backup. Exit codes: 0 moved, 2 usage or configuration, 3 failed (nothing written).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createPool, migrate } from '../data/postgres/database.js';
import { copyLowdbIntoPostgres } from '../data/postgres/copyFromLowdb.js';
import { logger } from '../core/logger.js';
import { configuredPostgres } from './postgresConfig.js';

const USAGE = `Usage: npm run migrate-store -- --from DIR

Moves the lowdb data directory DIR (e.g. .ansvar) into the PostgreSQL database of DATABASE_URL, all or nothing.`;

async function main(argv: string[]): Promise<number> {
  let from: string | undefined;
  try {
    from = parseArgs({ args: argv, options: { from: { type: 'string' } } }).values.from;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (!from) {
    process.stderr.write(`No --from directory given.\n\n${USAGE}\n`);
    return 2;
  }
  logger.level = 'warn';
  const store = configuredPostgres();
  if (!store) return 2;
  const pool = createPool(store);
  try {
    await migrate(pool);
    const report = await copyLowdbIntoPostgres(path.resolve(from), pool);
    process.stdout.write(
      `Moved ${path.resolve(from)} into PostgreSQL (verified):\n` +
        Object.entries(report)
          .map(([key, n]) => `  ${key}: ${n}\n`)
          .join(''),
    );
    return 0;
  } catch (error) {
    process.stderr.write(`migrate-store failed, nothing was written: ${(error as Error).message}\n`);
    return 3;
  } finally {
    await pool.end();
  }
}

process.exitCode = await main(process.argv.slice(2));
