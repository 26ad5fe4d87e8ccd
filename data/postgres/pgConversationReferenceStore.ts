import type pg from 'pg';
import { AnsvarError } from '../../core/errors.js';
import type { ConversationReferenceStore } from '../conversationReferenceStore.js';

/** The ConversationReferenceStore contract on PostgreSQL: any instance reaches anyone another instance met. */
export class PgConversationReferenceStore implements ConversationReferenceStore {
  private closed = false;

  constructor(private readonly pool: pg.Pool) {}

  async get(personKey: string): Promise<Record<string, unknown> | undefined> {
    this.assertOpen();
    const { rows } = await this.pool.query<{ reference: Record<string, unknown> }>(
      'SELECT reference FROM conversation_references WHERE person_key = $1',
      [personKey],
    );
    return rows[0]?.reference;
  }

  async set(personKey: string, reference: Record<string, unknown>): Promise<void> {
    this.assertOpen();
    if (typeof personKey !== 'string' || personKey.length === 0) {
      throw new AnsvarError('InvalidInput', 'a conversation reference needs a non-empty person key');
    }
    await this.pool.query(
      `INSERT INTO conversation_references (person_key, reference) VALUES ($1, $2::jsonb)
       ON CONFLICT (person_key) DO UPDATE SET reference = excluded.reference, updated_at = now()`,
      [personKey, JSON.stringify(reference)],
    );
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private assertOpen(): void {
    if (this.closed) throw new AnsvarError('StoreLocked', 'the PostgreSQL conversation store is closed');
  }
}
