import type pg from 'pg';
import { AnsvarError } from '../../core/errors.js';
import { INSTANCE_APPLICATION_NAME } from './database.js';
import { AUDIT_LOCK_KEY } from './pgAuditLog.js';

/**
 * What trying the fictional sample register left in PostgreSQL besides the register (the counterpart of
 * data/lowdb/sampleArchive.ts): requests with their outbox, card copies and pending audit events, the inventory,
 * timers, conversation references, access reviews and access lists, the audit log, and the register's audit events not yet
 * flushed. `npm run import -- --replace-sample` moves their rows into a schema `sample_<time>` in the same
 * transaction as the register replacement, so the audit log starts a new chain whose first record is
 * `register_sample_replaced`. The live tables keep their constraints and indexes (rows are copied with
 * `CREATE TABLE … AS` and deleted); the archived `audit_log` keeps `seq`, `prev_hash` and `hash`, so its chain still
 * verifies on its own. Deduplication tables (handled activities, schedule runs, pending downloads) stay.
 */
export const SAMPLE_TABLES = [
  'requests',
  'outbox',
  'card_copies',
  'request_pending_audit',
  'inventory',
  'timers',
  'conversation_references',
  'review_campaigns',
  'access_lists',
  'audit_log',
  'register_pending_audit',
] as const;

/** The schema for a replacement at `at`: `sample_20261207T151419123Z` lower-cased (a plain identifier). */
export function sampleSchemaName(at: Date): string {
  return `sample_${at.toISOString().replace(/[-:.]/g, '').toLowerCase()}`;
}

/**
 * Moves the sample's rows into `schema`, inside the caller's transaction; returns the rows moved per table (tables
 * with none are not named). Takes the audit chain's advisory lock (no instance appends meanwhile) and refuses with
 * StoreLocked while any other connection of a running Ansvar (`application_name` `ansvar`) is open on the database:
 * PostgreSQL has no file lock, and a running instance would keep its timers, outbox and chain head in memory.
 */
export async function archiveSampleRows(
  client: pg.PoolClient,
  schema: string,
): Promise<Record<string, number>> {
  if (!/^sample_[0-9a-z]+$/.test(schema))
    throw new AnsvarError('InvalidInput', `not a sample schema: ${schema}`);
  await client.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK_KEY]);
  const running = await client.query<{ n: string }>(
    `SELECT count(*) AS n FROM pg_stat_activity
      WHERE datname = current_database() AND application_name = $1 AND pid <> pg_backend_pid()`,
    [INSTANCE_APPLICATION_NAME],
  );
  const connections = Number(running.rows[0]!.n);
  if (connections > 0) {
    throw new AnsvarError(
      'StoreLocked',
      `Ansvar is running on this database (${connections} connection(s) open): stop every instance, then run the ` +
        'import again. Nothing was changed.',
    );
  }
  // Writers of other connections (a second import, a tool) wait until this commits; nothing slips in between copy
  // and delete.
  await client.query(`LOCK TABLE ${SAMPLE_TABLES.join(', ')} IN EXCLUSIVE MODE`);
  await client.query(`CREATE SCHEMA ${schema}`);
  const moved: Record<string, number> = {};
  for (const table of SAMPLE_TABLES) {
    const copied = await client.query(`CREATE TABLE ${schema}.${table} AS TABLE ${table}`);
    const deleted = await client.query(`DELETE FROM ${table}`);
    if (copied.rowCount !== deleted.rowCount) {
      throw new AnsvarError(
        'StoreCorrupt',
        `setting the sample aside failed: ${table} copied ${copied.rowCount} rows, deleted ${deleted.rowCount}`,
      );
    }
    if ((deleted.rowCount ?? 0) > 0) moved[table] = deleted.rowCount ?? 0;
  }
  return moved;
}
