import type pg from 'pg';
import type { PendingDownloadRecord, PendingDownloadStore } from '../pendingDownloadStore.js';

/** Pending downloads in PostgreSQL, so a file-consent answer can reach any instance. */
export class PgPendingDownloadStore implements PendingDownloadStore {
  constructor(private readonly pool: pg.Pool) {}

  async add(
    record: PendingDownloadRecord,
    rules: { perPerson: number; limit: number; expiredBefore: number },
  ): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('DELETE FROM pending_downloads WHERE created_at < $1', [
        new Date(rules.expiredBefore).toISOString(),
      ]);
      await client.query(
        `DELETE FROM pending_downloads WHERE id IN (
           SELECT id FROM pending_downloads WHERE aad_object_id = $1 ORDER BY seq DESC OFFSET $2)`,
        [record.aadObjectId, Math.max(0, rules.perPerson - 1)],
      );
      await client.query(
        `INSERT INTO pending_downloads (id, aad_object_id, entry, created_at) VALUES ($1, $2, $3::jsonb, $4)`,
        [
          record.id,
          record.aadObjectId,
          JSON.stringify(record.entry),
          new Date(record.createdAt).toISOString(),
        ],
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async get(id: string): Promise<PendingDownloadRecord | undefined> {
    const { rows } = await this.pool.query<{
      id: string;
      aad_object_id: string;
      entry: Record<string, unknown>;
      created_at: Date;
    }>('SELECT id, aad_object_id, entry, created_at FROM pending_downloads WHERE id = $1', [id]);
    const row = rows[0];
    return (
      row && {
        id: row.id,
        aadObjectId: row.aad_object_id,
        entry: row.entry,
        createdAt: row.created_at.getTime(),
      }
    );
  }

  async remove(id: string): Promise<boolean> {
    const removed = await this.pool.query('DELETE FROM pending_downloads WHERE id = $1', [id]);
    return removed.rowCount === 1;
  }
}
