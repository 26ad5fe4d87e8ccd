import type { StoreSettings } from '../data/stores.js';
import { loadConfiguration } from '../services/infrastructure/config.js';

/**
 * The configured PostgreSQL store for the PostgreSQL-only commands (migrate, migrate-store), or undefined after
 * saying on stderr why there is none (bad configuration, or the embedded store configured). `note` follows that
 * message when the embedded store is configured.
 */
export function configuredPostgres(note = ''): Extract<StoreSettings, { kind: 'postgres' }> | undefined {
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
