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

/**
 * The AuditLog contract on PostgreSQL: one sha256 chain over all records in `seq` order, with exactly the hashing of
 * every audit log (data/auditRecords.ts), so `npm run audit` verifies either. An append is one transaction that first
 * takes `pg_advisory_xact_lock(AUDIT_LOCK_KEY)` (released at commit, so it also works behind a pooler in
 * transaction mode): appends of any number of instances are serialised and the chain never forks. An event whose id
 * the log holds is skipped. Three round trips (the lock with the head and the ids held, the insert, the commit;
 * six before), as an append holds the lock that every instance's appends wait for. `read` streams in pages and
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
      const last = opened[2]!.rows[0] as { seq: string; hash: string } | undefined;
      const skip = new Set(opened[3]!.rows.map((r: { id: string }) => r.id));
      let seq = Number(last?.seq ?? 0);
      let hash = last?.hash ?? GENESIS_HASH;
      const rows: { seq: number; id: string; json: string; prev: string; hash: string }[] = [];
      for (const event of copies) {
        if (skip.has(event.id)) continue;
        skip.add(event.id);
        const json = JSON.stringify(event);
        const prev = hash;
        hash = chainHash(prev, json);
        rows.push({ seq: ++seq, id: event.id, json, prev, hash });
      }
      if (rows.length > 0) {
        await client.query(
          `INSERT INTO audit_log (seq, id, event_json, prev_hash, hash)
           SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[])`,
          [
            rows.map((r) => r.seq),
            rows.map((r) => r.id),
            rows.map((r) => r.json),
            rows.map((r) => r.prev),
            rows.map((r) => r.hash),
          ],
        );
      }
      await client.query('COMMIT');
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
