/**
 * npm run migrate-store -- --from DIR
 *
 * Moves an embedded (lowdb) data directory into the configured PostgreSQL database (DATABASE_URL, or
 * ANSVAR_STORE=postgres and the PG* variables): all or nothing, verified by counts and the audit chain before it
 * commits. The database must be empty; Ansvar must be stopped (the directory's locks are taken). The directory is
 * left as it was, as a backup. Exit codes: 0 moved, 2 usage or configuration, 3 failed (nothing written).
 */
import path from 'node:path';
import { migrate } from '../data/postgres/database.js';
import { copyLowdbIntoPostgres } from '../data/postgres/copyFromLowdb.js';
import { parseCommandLine, usageError } from './commandLine.js';
import { onConfiguredPostgres } from './postgresConfig.js';

const USAGE = `Usage: npm run migrate-store -- --from DIR

Moves the lowdb data directory DIR (e.g. .ansvar) into the PostgreSQL database of DATABASE_URL, all or nothing.`;

async function main(argv: string[]): Promise<number> {
  const parsed = parseCommandLine({ args: argv, options: { from: { type: 'string' } } }, USAGE);
  if (typeof parsed === 'number') return parsed;
  const { from } = parsed.values;
  if (!from) return usageError('No --from directory given.', USAGE);
  return onConfiguredPostgres(
    async (pool) => {
      await migrate(pool);
      const report = await copyLowdbIntoPostgres(path.resolve(from), pool);
      process.stdout.write(
        `Moved ${path.resolve(from)} into PostgreSQL (verified):\n` +
          Object.entries(report)
            .map(([key, n]) => `  ${key}: ${n}\n`)
            .join(''),
      );
    },
    { failure: 'migrate-store failed, nothing was written' },
  );
}

process.exitCode = await main(process.argv.slice(2));
