/**
 * npm run migrate
 *
 * Brings the PostgreSQL schema up to date (forward only, each migration in its own transaction) and exits. Ansvar
 * also does this at start; run it on its own before a rolling deploy. Needs DATABASE_URL (or ANSVAR_STORE=postgres
 * and the PG* variables). Exit codes: 0 done, 2 no PostgreSQL configured, 3 failed.
 */
import { migrate } from '../data/postgres/database.js';
import { onConfiguredPostgres } from './postgresConfig.js';

process.exitCode = await onConfiguredPostgres(
  async (pool) => {
    const ran = await migrate(pool);
    process.stdout.write(ran.length === 0 ? 'The schema is up to date.\n' : `Migrated: ${ran.join(', ')}\n`);
  },
  { failure: 'Migration failed', note: ' The embedded lowdb store needs no migration.' },
);
