import type pg from 'pg';
import { createPool } from '../data/postgres/database.js';
import type { StoreSettings } from '../data/stores.js';
import { logger } from '../core/logger.js';
import { loadConfiguration } from '../services/infrastructure/config.js';

/**
 * The configured PostgreSQL store for the PostgreSQL-only commands (migrate, migrate-store), or undefined after
 * saying on stderr why there is none (bad configuration, or the embedded store configured). `note` follows that
 * message when the embedded store is configured.
 */
function configuredPostgres(note = ''): Extract<StoreSettings, { kind: 'postgres' }> | undefined {
  let store: StoreSettings;
  try {
    store = loadConfiguration().store;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return undefined;
  }
  if (store.kind !== 'postgres') {
    process.stderr.write(
      `No PostgreSQL is configured: set DATABASE_URL (or ANSVAR_STORE=postgres and the PG* variables).${note}\n`,
    );
    return undefined;
  }
  return store;
}

/**
 * Runs a PostgreSQL-only command's `work` on a pool of the configured database, ends the pool, and gives the exit
 * code: 0 done, 2 no PostgreSQL configured (see `configuredPostgres`), 3 `work` failed (`failure: message` on
 * stderr).
 */
export async function onConfiguredPostgres(
  work: (pool: pg.Pool) => Promise<void>,
  options: { failure: string; note?: string },
): Promise<number> {
  logger.level = 'warn';
  const store = configuredPostgres(options.note);
  if (!store) return 2;
  const pool = createPool(store);
  try {
    await work(pool);
    return 0;
  } catch (error) {
    process.stderr.write(`${options.failure}: ${(error as Error).message}\n`);
    return 3;
  } finally {
    await pool.end();
  }
}
