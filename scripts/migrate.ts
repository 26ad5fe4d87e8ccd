/**
 * npm run migrate
 *
 * Brings the PostgreSQL schema up to date (forward only, each migration in its own transaction) and exits. Ansvar
 * also does this at start; run it on its own before a rolling deploy. Needs DATABASE_URL (or ANSVAR_STORE=postgres
 * and the PG* variables). Exit codes: 0 done, 2 no PostgreSQL configured, 3 failed.
 */
import { createPool, migrate } from '../data/postgres/database.js';
import { loadConfig } from '../services/config.js';
import { logger } from '../services/logger.js';

async function main(): Promise<number> {
  logger.level = 'warn';
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  if (config.store.kind !== 'postgres') {
    process.stderr.write(
      'No PostgreSQL is configured: set DATABASE_URL (or ANSVAR_STORE=postgres and the PG* variables). ' +
        'The embedded lowdb store needs no migration.\n',
    );
    return 2;
  }
  const pool = createPool(config.store);
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
