import type pg from 'pg';
import { HANDLED_ACTIVITY_TTL_MS, type HandledActivities, type InvokeAnswer } from '../handledActivities.js';

/**
 * HandledActivities in PostgreSQL: the primary key decides who executes; expired rows are reused and pruned.
 *
 * `begin` and `finish` commit without waiting for the WAL flush (`synchronous_commit` off for their own statement
 * only: `set_config(..., true)` is local to the statement's transaction, so it also holds behind a pooler in
 * transaction mode and never leaks to other statements). They are not decisions: if the database itself crashes in
 * the fraction of a second before the flush, a retried invoke executes again, and the request's compare-and-set
 * answers it with the current state. That takes two flushes off every invoke's path.
 */
export class PgHandledActivities implements HandledActivities {
  private lastPrune = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly ttlMs = HANDLED_ACTIVITY_TTL_MS,
  ) {}

  async begin(activityId: string): Promise<boolean> {
    if (Date.now() - this.lastPrune > 60_000) {
      this.lastPrune = Date.now();
      await this.pool.query('DELETE FROM handled_activities WHERE expires_at < now()');
    }
    const claimed = await this.pool.query(
      `INSERT INTO handled_activities (activity_id, response, expires_at)
       SELECT $1, NULL, now() + $2 * interval '1 millisecond'
       FROM (SELECT set_config('synchronous_commit', 'off', true)) AS relaxed
       ON CONFLICT (activity_id) DO UPDATE SET response = NULL, expires_at = excluded.expires_at
       WHERE handled_activities.expires_at < now()`,
      [activityId, this.ttlMs],
    );
    return claimed.rowCount === 1;
  }

  async finish(activityId: string, answer: InvokeAnswer): Promise<void> {
    await this.pool.query(
      `UPDATE handled_activities SET response = $2::jsonb
       FROM (SELECT set_config('synchronous_commit', 'off', true)) AS relaxed WHERE activity_id = $1`,
      [activityId, JSON.stringify(answer)],
    );
  }

  async forget(activityId: string): Promise<void> {
    await this.pool.query('DELETE FROM handled_activities WHERE activity_id = $1', [activityId]);
  }

  async answer(activityId: string): Promise<InvokeAnswer | undefined> {
    const { rows } = await this.pool.query<{ response: InvokeAnswer | null }>(
      'SELECT response FROM handled_activities WHERE activity_id = $1',
      [activityId],
    );
    return rows[0]?.response ?? undefined;
  }
}
