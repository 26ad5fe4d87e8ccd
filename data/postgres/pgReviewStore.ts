import type pg from 'pg';
import { AnsvarError } from '../../core/errors.js';
import type { AccessList, ReviewCampaign } from '../reviewModel.js';
import type { ReviewStore } from '../reviewStore.js';

/**
 * Access-review campaigns in PostgreSQL (the contract of data/reviewStore.ts): a decision is one
 * `UPDATE … WHERE id = $1 AND version = $2`, so two instances never both decide one campaign.
 */
export class PgReviewStore implements ReviewStore {
  /** `pool` may be one client inside a transaction (npm run migrate-store copies campaigns through it). */
  constructor(private readonly pool: pg.Pool | pg.PoolClient) {}

  async get(id: string): Promise<ReviewCampaign | undefined> {
    const { rows } = await this.pool.query<{ doc: ReviewCampaign }>(
      'SELECT doc FROM review_campaigns WHERE id = $1',
      [id],
    );
    return rows[0]?.doc;
  }

  async list(filter: { organisationId?: string; systemId?: string } = {}): Promise<ReviewCampaign[]> {
    const { rows } = await this.pool.query<{ doc: ReviewCampaign }>(
      `SELECT doc FROM review_campaigns
        WHERE ($1::text IS NULL OR organisation_id = $1) AND ($2::text IS NULL OR system_id = $2)
        ORDER BY started_at DESC, id`,
      [filter.organisationId ?? null, filter.systemId ?? null],
    );
    return rows.map((r) => r.doc);
  }

  async create(campaign: ReviewCampaign): Promise<void> {
    const inserted = await this.pool.query(
      `INSERT INTO review_campaigns (id, organisation_id, system_id, started_at, version, doc)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb) ON CONFLICT DO NOTHING`,
      [
        campaign.id,
        campaign.organisationId,
        campaign.systemId,
        campaign.startedAt,
        campaign.version,
        JSON.stringify(campaign),
      ],
    );
    if (inserted.rowCount !== 1)
      throw new AnsvarError(
        'RevisionConflict',
        `review ${campaign.id} exists, or one of its system is running`,
        {
          id: campaign.id,
        },
      );
  }

  async update(next: ReviewCampaign, expectedVersion: number): Promise<ReviewCampaign> {
    const written = { ...next, version: expectedVersion + 1 };
    const updated = await this.pool.query(
      `UPDATE review_campaigns SET version = $3, doc = $4::jsonb WHERE id = $1 AND version = $2`,
      [next.id, expectedVersion, written.version, JSON.stringify(written)],
    );
    if (updated.rowCount !== 1)
      throw new AnsvarError('RevisionConflict', `review ${next.id} was changed by someone else`, {
        id: next.id,
      });
    return written;
  }

  async accessList(systemId: string): Promise<AccessList | undefined> {
    const { rows } = await this.pool.query<{ doc: AccessList }>(
      'SELECT doc FROM access_lists WHERE system_id = $1',
      [systemId],
    );
    return rows[0]?.doc;
  }

  async putAccessList(list: AccessList): Promise<void> {
    await this.pool.query(
      `INSERT INTO access_lists (system_id, doc) VALUES ($1, $2::jsonb)
       ON CONFLICT (system_id) DO UPDATE SET doc = EXCLUDED.doc`,
      [list.systemId, JSON.stringify(list)],
    );
  }

  async close(): Promise<void> {}
}
