import type pg from 'pg';
import { AnsvarError } from '../../core/errors.js';
import {
  chainHash,
  GENESIS_HASH,
  matchesAuditFilter,
  normalise,
  validate as validateAuditEvent,
} from '../auditRecords.js';
import type { AuditEvent } from '../requestModel.js';
import type { AuditFilter, AuditLog } from '../auditLog.js';

/** The advisory lock key every append takes: one chain, whichever instance appends. */
export const AUDIT_LOCK_KEY = 0x616e73766172; // "ansvar"

const PAGE = 2000;

/** The tables in which the register and request stores keep their pending audit events. */
export type PendingAuditTable = 'register_pending_audit' | 'request_pending_audit';

interface Head {
  seq: string;
  hash: string;
}

/**
 * The AuditLog contract on PostgreSQL: one sha256 chain over all records in `seq` order, with exactly the hashing of
 * every audit log (data/auditRecords.ts), so `npm run audit` verifies either. An append is one transaction that first
 * takes `pg_advisory_xact_lock(AUDIT_LOCK_KEY)` (released at commit, so it also works behind a pooler in
 * transaction mode): appends of any number of instances are serialised and the chain never forks. An event whose id
 * the log holds is skipped. Two round trips (the lock with the head and the ids held, then the insert with the
 * commit; six before), as an append holds the lock that every instance's appends wait for. `read` streams in pages and
 * verifies the chain from the first record as it goes, throwing StoreCorrupt naming the first bad record.
 */
export class PgAuditLog implements AuditLog {
  private closed = false;

  constructor(private readonly pool: pg.Pool) {}

  async append(events: AuditEvent[]): Promise<void> {
    this.assertOpen();
    for (const event of events) validateAuditEvent(event);
    const copies = events.map(normalise);
    if (copies.length === 0) return;
    const client = await this.pool.connect();
    try {
      // One round trip (a simple query, so its parts are constants and escaped literals): the transaction, the
      // lock that serialises appends and, each in a snapshot taken after the lock, the chain head and which of these
      // events the log already holds.
      const ids = copies.map((e) => client.escapeLiteral(e.id)).join(', ');
      const opened = (await client.query(
        `BEGIN; SELECT pg_advisory_xact_lock(${AUDIT_LOCK_KEY});
         SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1;
         SELECT id FROM audit_log WHERE id = ANY(ARRAY[${ids}]::text[])`,
      )) as unknown as pg.QueryResult[];
      const held = new Set(opened[3]!.rows.map((r: { id: string }) => r.id));
      await chainAndCommit(client, opened[2]!.rows[0] as Head | undefined, copies, held);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Whether this log is kept in the database of `pool` (a store's pending events can move in one transaction). */
  keptWith(pool: pg.Pool): boolean {
    return pool === this.pool;
  }

  /**
   * Moves up to `limit` of the oldest pending events of a store's table into the log: their removal and their
   * append are one transaction, so an event leaves the table exactly when it enters the chain. Two round trips
   * (one when nothing is pending: no lock is taken then), where reading, appending and dropping took five. The
   * lock is the appends' own and is taken before the pending rows are read, so events enter the chain in the
   * order they were written whichever instance moves them. Resolves to how many events left the table (ids the log
   * already held are dropped without a second record).
   */
  async movePending(table: PendingAuditTable, limit: number): Promise<number> {
    this.assertOpen();
    const n = Math.max(1, Math.floor(limit));
    const client = await this.pool.connect();
    try {
      // The lock only when something is pending (an idle poll does not queue behind appends), and the delete only
      // in a transaction that holds it (a row written after the first check waits for the next pass). Each
      // statement reads a snapshot taken after the lock.
      const opened = (await client.query(
        `BEGIN;
         SELECT pg_advisory_xact_lock(${AUDIT_LOCK_KEY}), set_config('ansvar.audit_move', 'locked', true)
           FROM (SELECT 1 FROM ${table} LIMIT 1) AS pending;
         SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1;
         WITH taken AS (
           DELETE FROM ${table}
           WHERE current_setting('ansvar.audit_move', true) = 'locked'
             AND seq IN (SELECT seq FROM ${table} ORDER BY seq LIMIT ${n})
           RETURNING seq, id, event)
         SELECT t.event, EXISTS (SELECT 1 FROM audit_log a WHERE a.id = t.id) AS held FROM taken t ORDER BY t.seq`,
      )) as unknown as pg.QueryResult[];
      const taken = opened[3]!.rows as { event: AuditEvent; held: boolean }[];
      if (taken.length === 0) {
        await client.query('ROLLBACK');
        return 0;
      }
      for (const { event } of taken) validateAuditEvent(event);
      const held = new Set(taken.filter((r) => r.held).map((r) => r.event.id));
      const copies = taken.map((r) => normalise(r.event));
      await chainAndCommit(client, opened[2]!.rows[0] as Head | undefined, copies, held);
      return taken.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async *read(filter?: AuditFilter): AsyncIterable<AuditEvent> {
    this.assertOpen();
    const since = filter?.since === undefined ? undefined : Date.parse(filter.since);
    if (since !== undefined && Number.isNaN(since))
      throw new AnsvarError('InvalidInput', `since ${JSON.stringify(filter?.since)} is not a date`);
    let prevHash = GENESIS_HASH;
    let after = 0;
    let expected = 1;
    for (;;) {
      const { rows } = await this.pool.query<{
        seq: string;
        event_json: string;
        prev_hash: string;
        hash: string;
      }>('SELECT seq, event_json, prev_hash, hash FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2', [
        after,
        PAGE,
      ]);
      for (const row of rows) {
        const seq = Number(row.seq);
        const problem =
          seq !== expected
            ? `follows record ${expected - 1}: records were removed`
            : row.prev_hash !== prevHash
              ? 'does not follow the record before it (prevHash differs): records were removed, inserted or reordered'
              : row.hash !== chainHash(prevHash, row.event_json)
                ? 'does not match its hash: the record was changed after it was written'
                : undefined;
        if (problem) {
          throw new AnsvarError(
            'StoreCorrupt',
            `Audit log table audit_log, record ${seq} ${problem}. Ansvar has not changed the table. ` +
              'The audit log is a public record: compare it with a backup and have the authority decide how to restore it.',
            { record: seq },
          );
        }
        prevHash = row.hash;
        expected = seq + 1;
        const event = JSON.parse(row.event_json) as AuditEvent;
        if (matchesAuditFilter(event, filter, since)) yield event;
      }
      if (rows.length < PAGE) return;
      after = Number(rows[rows.length - 1]!.seq);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private assertOpen(): void {
    if (this.closed) throw new AnsvarError('StoreLocked', 'the PostgreSQL audit log is closed');
  }
}

/**
 * Chains `copies` after `head` (skipping ids in `held`, and an id named twice after its first), then writes them and
 * commits in one round trip: a simple query of escaped literals, so a failed insert stops before the COMMIT and the
 * caller rolls back.
 */
async function chainAndCommit(
  client: pg.PoolClient,
  head: Head | undefined,
  copies: readonly AuditEvent[],
  held: Set<string>,
): Promise<void> {
  let seq = Number(head?.seq ?? 0);
  let hash = head?.hash ?? GENESIS_HASH;
  const values: string[] = [];
  for (const event of copies) {
    if (held.has(event.id)) continue;
    held.add(event.id);
    const json = JSON.stringify(event);
    const prev = hash;
    hash = chainHash(prev, json);
    const literals = [event.id, json, prev, hash].map((v) => client.escapeLiteral(v)).join(', ');
    values.push(`(${++seq}, ${literals})`);
  }
  await client.query(
    values.length === 0
      ? 'COMMIT'
      : `INSERT INTO audit_log (seq, id, event_json, prev_hash, hash) VALUES ${values.join(', ')}; COMMIT`,
  );
}
