import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import pg from 'pg';
import { AnsvarError } from '../../core/errors.js';
import { logger } from '../../core/logger.js';
import { measureStoreWrite } from '../../core/telemetry.js';

/** How to reach PostgreSQL: a connection URL, or (absent) the standard PG* variables that `pg` reads itself. */
export interface PostgresSettings {
  connectionString?: string;
  /** Connections per instance; default 10. */
  poolMax?: number;
  /**
   * The connections' `application_name`; default `ansvar` (a running instance). The import names itself otherwise so
   * that `--replace-sample` can tell running instances from itself (data/postgres/pgSampleArchive.ts).
   */
  applicationName?: string;
}

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

/** The `application_name` of a running Ansvar's connections. */
export const INSTANCE_APPLICATION_NAME = 'ansvar';

/** A pool whose idle-client errors (the server restarted, a connection cut) are logged instead of crashing. */
export function createPool(settings: PostgresSettings): pg.Pool {
  const pool = new pg.Pool({
    ...(settings.connectionString === undefined ? {} : { connectionString: settings.connectionString }),
    max: settings.poolMax ?? 10,
    application_name: settings.applicationName ?? INSTANCE_APPLICATION_NAME,
  });
  pool.on('error', (error) => logger.warn({ err: error }, 'postgres: an idle connection failed'));
  return pool;
}

/** Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  return measureStoreWrite('postgres', 'transaction', () => transaction(pool, work));
}

async function transaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

function migrationsDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found above data/postgres');
    dir = parent;
  }
  return path.join(dir, 'data', 'postgres', 'migrations');
}

/** Every table of Ansvar's own data (not the migrations' bookkeeping), in one list for checks and test resets. */
export const ANSVAR_TABLES = [
  'register_entities',
  'register_pending_audit',
  'requests',
  'outbox',
  'card_copies',
  'request_pending_audit',
  'inventory',
  'audit_log',
  'conversation_references',
  'pending_downloads',
  'handled_activities',
  'schedule_runs',
  'timers',
  'review_campaigns',
  'access_lists',
] as const;

export const MIGRATIONS_TABLE = 'ansvar_migrations';

/**
 * Brings the schema up to date with node-pg-migrate: forward only, each migration in its own transaction, in file
 * order. Instances that start together wait for each other on the tool's advisory lock, so a migration runs once.
 * Resolves to the names of the migrations it ran (empty when the schema was current).
 */
export async function migrate(pool: pg.Pool): Promise<string[]> {
  const client = await pool.connect();
  try {
    const ran = await runner({
      dbClient: client,
      dir: migrationsDir(),
      migrationsTable: MIGRATIONS_TABLE,
      direction: 'up',
      checkOrder: true,
      advisoryLockMode: 'wait',
      log: () => undefined,
      logger: {
        debug: () => undefined,
        info: (message: string) => logger.debug({ component: 'migrate' }, message),
        warn: (message: string) => logger.warn({ component: 'migrate' }, message),
        error: (message: string) => logger.error({ component: 'migrate' }, message),
      },
    });
    const names = ran.map((m) => m.name);
    if (names.length > 0) logger.info({ migrations: names }, 'postgres: schema migrated');
    return names;
  } catch (error) {
    throw new AnsvarError(
      'StoreCorrupt',
      `PostgreSQL schema migration failed: ${error instanceof Error ? error.message : String(error)}`,
      {},
      { cause: error },
    );
  } finally {
    client.release();
  }
}

/** Whether an error means the database could not be reached at all (refused, unknown host, no such database). */
export function isUnreachable(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return (
    code === 'ECONNREFUSED' ||
    code === 'ENOTFOUND' ||
    code === 'ETIMEDOUT' ||
    code === 'EAI_AGAIN' ||
    code === '3D000' ||
    code === '28P01' ||
    code === '28000'
  );
}
