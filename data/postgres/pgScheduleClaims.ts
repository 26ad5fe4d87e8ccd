import type pg from 'pg';
import type { ScheduleClaims } from '../scheduleClaims.js';

/**
 * Schedule claims on PostgreSQL: one row per (job, due time), inserted by whichever instance comes first (the
 * primary key decides; the others' inserts do nothing). Rows claimed more than 30 days ago are removed as claims are made.
 */
export class PgScheduleClaims implements ScheduleClaims {
  constructor(
    private readonly pool: pg.Pool,
    private readonly instanceId: string,
  ) {}

  async claim(job: string, dueAt: Date): Promise<boolean> {
    const inserted = await this.pool.query(
      `INSERT INTO schedule_runs (job, due_at, instance) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [job, dueAt.toISOString(), this.instanceId],
    );
    await this.pool.query(`DELETE FROM schedule_runs WHERE started_at < now() - interval '30 days'`);
    return inserted.rowCount === 1;
  }
}
