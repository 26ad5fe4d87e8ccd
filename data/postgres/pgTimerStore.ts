import type pg from 'pg';
import { AnsvarError } from '../../core/errors.js';
import { checkTimer, type ClaimInput, type NewTimer, type Timer, type TimerStore } from '../timerStore.js';

interface TimerRow {
  id: string;
  kind: string;
  grp: string;
  due_at: Date;
  payload: Timer['payload'];
  attempts: number;
  claimed_by: string | null;
  claimed_until: Date | null;
}

const COLUMNS = 'id, kind, grp, due_at, payload, attempts, claimed_by, claimed_until';

function toTimer(row: TimerRow): Timer {
  const timer: Timer = {
    id: row.id,
    kind: row.kind,
    group: row.grp,
    dueAt: row.due_at.toISOString(),
    payload: row.payload,
    attempts: row.attempts,
  };
  if (row.claimed_by !== null) timer.claimedBy = row.claimed_by;
  if (row.claimed_until !== null) timer.claimedUntil = row.claimed_until.toISOString();
  return timer;
}

/** The first timer of each id, checked: a plan naming one id twice stores it once, as the other stores do. */
function distinct(timers: readonly NewTimer[]): NewTimer[] {
  const byId = new Map<string, NewTimer>();
  for (const timer of timers) {
    checkTimer(timer);
    if (!byId.has(timer.id)) byId.set(timer.id, timer);
  }
  return [...byId.values()];
}

/**
 * The TimerStore contract (data/timerStore.ts) on PostgreSQL, for any number of instances on one database: a due
 * timer is claimed with `FOR UPDATE SKIP LOCKED` for a lease, so each runs on one instance at a time; a lease that
 * lapsed (its holder crashed) makes the timer claimable again. The pool belongs to the caller.
 */
export class PgTimerStore implements TimerStore {
  constructor(private readonly pool: pg.Pool) {}

  async replaceGroup(group: string, timers: NewTimer[]): Promise<void> {
    const wanted = distinct(timers);
    const ids = wanted.map((t) => t.id);
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const foreign = await client.query<{ id: string; grp: string }>(
        'SELECT id, grp FROM timers WHERE id = ANY($1) AND grp <> $2 LIMIT 1',
        [ids, group],
      );
      const clash = foreign.rows[0];
      if (clash) throw new AnsvarError('InvalidInput', `timer ${clash.id} belongs to group ${clash.grp}`);
      await client.query('DELETE FROM timers WHERE grp = $1 AND NOT (id = ANY($2))', [group, ids]);
      await insertTimers(client, wanted);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async add(timers: NewTimer[]): Promise<string[]> {
    return insertTimers(this.pool, distinct(timers));
  }

  async claimDue(input: ClaimInput): Promise<Timer[]> {
    const now = input.now.toISOString();
    const until = new Date(input.now.getTime() + input.leaseMs).toISOString();
    const claimed = await this.pool.query<TimerRow & { ready: Date; seq: string }>(
      `WITH due AS (
         SELECT id, COALESCE(claimed_until, due_at) AS ready, seq FROM timers
         WHERE COALESCE(claimed_until, due_at) <= $3
         ORDER BY COALESCE(claimed_until, due_at), seq LIMIT $4 FOR UPDATE SKIP LOCKED)
       UPDATE timers t SET claimed_by = $1, claimed_until = $2 FROM due WHERE t.id = due.id
       RETURNING t.id, t.kind, t.grp, t.due_at, t.payload, t.attempts, t.claimed_by, t.claimed_until, due.ready, due.seq`,
      [input.owner, until, now, input.limit],
    );
    // RETURNING gives no order: the longest ready first, as they were chosen.
    const rows = claimed.rows.sort(
      (a, b) => a.ready.getTime() - b.ready.getTime() || Number(a.seq) - Number(b.seq),
    );
    return rows.map(toTimer);
  }

  async complete(ids: readonly string[], owner: string): Promise<string[]> {
    const removed = await this.pool.query<{ id: string }>(
      'DELETE FROM timers WHERE id = ANY($1) AND claimed_by = $2 RETURNING id',
      [[...new Set(ids)], owner],
    );
    return removed.rows.map((r) => r.id);
  }

  async release(id: string, owner: string, dueAt: Date, failed: boolean): Promise<boolean> {
    const released = await this.pool.query(
      `UPDATE timers SET due_at = $3, attempts = attempts + $4, claimed_by = NULL, claimed_until = NULL
       WHERE id = $1 AND claimed_by = $2`,
      [id, owner, dueAt.toISOString(), failed ? 1 : 0],
    );
    return released.rowCount === 1;
  }

  async nextDue(): Promise<Date | undefined> {
    const next = await this.pool.query<{ at: Date | null }>(
      'SELECT min(COALESCE(claimed_until, due_at)) AS at FROM timers',
    );
    return next.rows[0]?.at ?? undefined;
  }

  async group(group: string): Promise<Timer[]> {
    const rows = await this.pool.query<TimerRow>(
      `SELECT ${COLUMNS} FROM timers WHERE grp = $1 ORDER BY seq`,
      [group],
    );
    return rows.rows.map(toTimer);
  }

  async all(): Promise<Timer[]> {
    const rows = await this.pool.query<TimerRow>(`SELECT ${COLUMNS} FROM timers ORDER BY seq`);
    return rows.rows.map(toTimer);
  }

  async count(): Promise<number> {
    const counted = await this.pool.query<{ n: string }>('SELECT count(*) AS n FROM timers');
    return Number(counted.rows[0]?.n ?? 0);
  }

  /** The pool is closed by the PostgreSQL stores that own it. */
  async close(): Promise<void> {}
}

/** Stores the timers whose ids are not stored yet, in the given order; resolves to the ids added. */
export async function insertTimers(
  db: pg.Pool | pg.PoolClient,
  timers: readonly NewTimer[],
): Promise<string[]> {
  if (timers.length === 0) return [];
  const inserted = await db.query<{ id: string }>(
    `INSERT INTO timers (id, kind, grp, due_at, payload)
     SELECT id, kind, grp, due_at, payload
     FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::jsonb[])
       WITH ORDINALITY AS planned (id, kind, grp, due_at, payload, n)
     ORDER BY n
     ON CONFLICT (id) DO NOTHING RETURNING id`,
    [
      timers.map((t) => t.id),
      timers.map((t) => t.kind),
      timers.map((t) => t.group),
      timers.map((t) => t.dueAt),
      timers.map((t) => JSON.stringify(t.payload)),
    ],
  );
  const added = new Set(inserted.rows.map((r) => r.id));
  return timers.map((t) => t.id).filter((id) => added.has(id));
}
