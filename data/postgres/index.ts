import type pg from 'pg';
import { AnsvarError } from '../../core/errors.js';
import type { AuditLog } from '../auditLog.js';
import type { ConversationReferenceStore } from '../conversationReferenceStore.js';
import { createPool, isUnreachable, migrate, type PostgresSettings } from './database.js';
import { PgAuditLog } from './pgAuditLog.js';
import { PgConversationReferenceStore } from './pgConversationReferenceStore.js';
import { openPgRegisterStore, type PgRegisterStore } from './pgRegisterStore.js';
import { PgRequestStore, type PgRequestStoreOptions } from './pgRequestStore.js';
import { PgScheduleClaims } from './pgScheduleClaims.js';
import { PgTimerStore } from './pgTimerStore.js';
import type { TimerStore } from '../timerStore.js';
import { PgHandledActivities } from './pgHandledActivities.js';
import type { HandledActivities } from '../handledActivities.js';
import type { PendingDownloadStore } from '../pendingDownloadStore.js';
import { PgPendingDownloadStore } from './pgPendingDownloadStore.js';
import { PgReviewStore } from './pgReviewStore.js';
import type { ReviewStore } from '../reviewStore.js';
import type { ScheduleClaims } from '../scheduleClaims.js';

export { createPool, migrate, type PostgresSettings } from './database.js';

export interface PostgresStores {
  pool: pg.Pool;
  register: PgRegisterStore;
  requests: PgRequestStore;
  audit: AuditLog;
  conversations: ConversationReferenceStore;
  schedule: ScheduleClaims;
  timers: TimerStore;
  activities: HandledActivities;
  pendingDownloads: PendingDownloadStore;
  reviews: ReviewStore;
  /** Closes the stores, then the pool. Idempotent. */
  close(): Promise<void>;
}

/**
 * Connects, brings the schema up to date (unless `migrate: false`) and opens every store on one pool. Throws
 * AnsvarError('InvalidConfig') naming the connection problem when the database cannot be reached.
 */
export async function openPostgresStores(
  settings: PostgresSettings & PgRequestStoreOptions & { migrate?: boolean },
): Promise<PostgresStores> {
  const pool = createPool(settings);
  try {
    try {
      await pool.query('SELECT 1');
    } catch (error) {
      if (!isUnreachable(error)) throw error;
      throw new AnsvarError(
        'InvalidConfig',
        `PostgreSQL cannot be reached (${(error as Error).message}); check DATABASE_URL or the PG* variables`,
        {},
        { cause: error },
      );
    }
    if (settings.migrate !== false) await migrate(pool);
    const register = await openPgRegisterStore(pool);
    const requests = new PgRequestStore(pool, settings);
    const audit = new PgAuditLog(pool);
    const conversations = new PgConversationReferenceStore(pool);
    const schedule = new PgScheduleClaims(pool, requests.instanceId);
    const timers = new PgTimerStore(pool);
    const activities = new PgHandledActivities(pool);
    const pendingDownloads = new PgPendingDownloadStore(pool);
    const reviews = new PgReviewStore(pool);
    let closing: Promise<void> | undefined;
    return {
      pool,
      register,
      requests,
      audit,
      conversations,
      schedule,
      timers,
      activities,
      pendingDownloads,
      reviews,
      close: () =>
        (closing ??= (async () => {
          await requests.close();
          await register.close();
          await audit.close();
          await pool.end();
        })()),
    };
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
}
