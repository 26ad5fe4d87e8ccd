/**
 * npm run migrate
 *
 * Brings the PostgreSQL schema up to date (forward only, each migration in its own transaction) and exits. Ansvar
 * also does this at start; run it on its own before a rolling deploy. Needs DATABASE_URL (or ANSVAR_STORE=postgres
 * and the PG* variables). Exit codes: 0 done, 2 no PostgreSQL configured, 3 failed.
 */
import { createPool, migrate } from '../data/postgres/database.js';
import { logger } from '../core/logger.js';
import { configuredPostgres } from './postgresConfig.js';

async function main(): Promise<number> {
  logger.level = 'warn';
  const store = configuredPostgres(' The embedded lowdb store needs no migration.');
  if (!store) return 2;
  const pool = createPool(store);
  try {
    const ran = await migrate(pool);
    process.stdout.write(ran.length === 0 ? 'The schema is up to date.\n' : `Migrated: ${ran.join(', ')}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`Migration failed: ${(error as Error).message}\n`);
    return 3;
  } finally {
    await pool.end();
  }
}

process.exitCode = await main();
