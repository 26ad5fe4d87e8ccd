import type pg from 'pg';
import { AnsvarError } from '../../core/errors.js';
import { logger } from '../../core/logger.js';
import { applyChanges, withPendingAudit } from '../registerChanges.js';
import { archiveSampleRows } from './pgSampleArchive.js';
import {
  deepFreeze,
  type DeepReadonly,
  type Register,
  type RegisterChanges,
  type RegisterIds,
  type RegisterSnapshot,
} from '../model.js';
import type { RegisterEffects, RegisterStore } from '../registerStore.js';
import type { AuditEvent } from '../requestModel.js';
import { inTransaction } from './database.js';
import { PgAuditLog } from './pgAuditLog.js';
import type { AuditLog } from '../auditLog.js';

const KINDS = ['organisations', 'units', 'people', 'systems', 'roleAssignments'] as const;
type Kind = (typeof KINDS)[number];

/** The channel a committed register change is announced on (payload: the new revision). */
export const REGISTER_CHANNEL = 'ansvar_register';

function emptySnapshot(): RegisterSnapshot {
  return { revision: 0, organisations: [], units: [], people: [], systems: [], roleAssignments: [] };
}

export interface PgRegisterStore extends RegisterStore {
  /** Reads what other instances changed since the revision held here (also done on every NOTIFY). */
  refresh(): Promise<void>;
}

/**
 * The RegisterStore contract on PostgreSQL. The register is served from memory, as the lowdb store serves it: it
 * is read whole at open and kept current from then on, so `revision`, `frozen` and `snapshot` never read the
 * database. Every apply commits `pg_notify('ansvar_register', revision)`; each instance LISTENs on its own
 * connection and then reads the entities written after the revision it holds (a revision check, so a missed
 * notification only delays the refresh until the next one or the next write). After a lost connection the listener
 * reconnects and refreshes.
 *
 * `apply` is one compare-and-set on `register_meta.revision` (a conditional UPDATE: whoever waited on the row lock
 * re-checks the revision after the winner commits). Applies of one instance are written in call order.
 */
export async function openPgRegisterStore(pool: pg.Pool): Promise<PgRegisterStore> {
  const store = new PostgresRegisterStore(pool);
  await store.open();
  return store;
}

class PostgresRegisterStore implements PgRegisterStore {
  private data: RegisterSnapshot = deepFreeze(emptySnapshot());
  private listener: pg.PoolClient | undefined;
  private stopListening: (() => void) | undefined;
  private applies: Promise<unknown> = Promise.resolve();
  private queuedRefresh: Promise<void> | undefined;
  private closed = false;
  private reconnect: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly pool: pg.Pool) {}

  async open(): Promise<void> {
    await this.listen();
    await this.refresh();
  }

  async revision(): Promise<number> {
    this.assertOpen();
    return this.data.revision;
  }

  async snapshot(): Promise<RegisterSnapshot> {
    this.assertOpen();
    return structuredClone(this.data);
  }

  async frozen(): Promise<DeepReadonly<RegisterSnapshot>> {
    this.assertOpen();
    return this.data;
  }

  apply(changes: RegisterChanges, expectedRevision: number, effects?: RegisterEffects): Promise<number> {
    const run = this.applies.then(() => this.applyNow(changes, expectedRevision, effects));
    this.applies = run.catch(() => undefined);
    return run;
  }

  private async applyNow(
    changes: RegisterChanges,
    expectedRevision: number,
    effects: RegisterEffects | undefined,
  ): Promise<number> {
    this.assertOpen();
    // Validates the events (InvalidInput) and copies them before anything is written.
    const events = [...withPendingAudit(new Map(), effects).values()];
    const incoming = KINDS.map((kind) => [kind, dedupe<{ id: string }>(changes[kind] ?? [])] as const);
    const revision = await inTransaction(this.pool, async (client) => {
      const bumped = await client.query<{ revision: string }>(
        'UPDATE register_meta SET revision = revision + 1 WHERE id = 1 AND revision = $1 RETURNING revision',
        [expectedRevision],
      );
      if (bumped.rowCount !== 1) {
        const current = await client.query<{ revision: string }>('SELECT revision FROM register_meta');
        throw new AnsvarError(
          'RevisionConflict',
          `expected revision ${expectedRevision}, store is at ${current.rows[0]?.revision}`,
        );
      }
      const next = Number(bumped.rows[0]!.revision);
      // Replacing the sample: what trying it left leaves the live tables first, so `events` begin a new audit chain.
      if (effects?.archiveSampleTo) await archiveSampleRows(client, effects.archiveSampleTo);
      for (const [kind, ids] of Object.entries(effects?.remove ?? {})) {
        if (!ids || ids.length === 0) continue;
        await client.query(
          'UPDATE register_entities SET removed = true, revision = $3 WHERE kind = $1 AND id = ANY($2::text[])',
          [kind, ids, next],
        );
      }
      for (const [kind, entities] of incoming) {
        if (entities.length === 0) continue;
        await client.query(
          `INSERT INTO register_entities (kind, id, revision, doc)
           SELECT $1, e.doc->>'id', $2, e.doc FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS e(doc, ord)
           ORDER BY e.ord
           ON CONFLICT (kind, id) DO UPDATE SET doc = excluded.doc, revision = excluded.revision, removed = false`,
          [kind, next, JSON.stringify(entities)],
        );
      }
      if (events.length > 0) await insertPendingAudit(client, 'register_pending_audit', events);
      await client.query('SELECT pg_notify($1, $2)', [REGISTER_CHANNEL, String(next)]);
      return next;
    });
    if (this.data.revision === expectedRevision) {
      this.data = deepFreeze({ ...applyChanges(this.data, changes, effects?.remove), revision });
    } else {
      await this.readChanges();
    }
    return revision;
  }

  async pendingAudit(limit?: number): Promise<AuditEvent[]> {
    this.assertOpen();
    return readPendingAudit(this.pool, 'register_pending_audit', limit);
  }

  /** With the PostgreSQL audit log on this store's pool: the pending events move in one transaction. */
  async moveAudit(log: Pick<AuditLog, 'append'>, limit: number): Promise<number | undefined> {
    this.assertOpen();
    if (!(log instanceof PgAuditLog) || !log.keptWith(this.pool)) return undefined;
    return log.movePending('register_pending_audit', limit);
  }

  async auditFlushed(eventIds: string[]): Promise<void> {
    this.assertOpen();
    if (eventIds.length === 0) return;
    await this.pool.query('DELETE FROM register_pending_audit WHERE id = ANY($1::text[])', [eventIds]);
  }

  /**
   * Runs in the same queue as this instance's applies, so the state in memory moves one revision range at a time.
   * Coalesces: while a refresh waits in the queue, asking again returns that one.
   */
  refresh(): Promise<void> {
    if (this.queuedRefresh) return this.queuedRefresh;
    const run = this.applies.then(() => {
      this.queuedRefresh = undefined;
      return this.readChanges();
    });
    this.queuedRefresh = run;
    this.applies = run.catch(() => undefined);
    return run;
  }

  private async readChanges(): Promise<void> {
    const held = this.data.revision;
    const { revision, rows } = await inTransaction(this.pool, async (client) => {
      await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const meta = await client.query<{ revision: string }>('SELECT revision FROM register_meta');
      const at = Number(meta.rows[0]?.revision ?? 0);
      if (at <= held) return { revision: at, rows: [] };
      const changed = await client.query<{ kind: Kind; doc: never; removed: boolean }>(
        'SELECT kind, doc, removed FROM register_entities WHERE revision > $1 ORDER BY seq',
        [held],
      );
      return { revision: at, rows: changed.rows };
    });
    if (revision <= held) return;
    const changes: { [K in Kind]: Register[K][number][] } = {
      organisations: [],
      units: [],
      people: [],
      systems: [],
      roleAssignments: [],
    };
    const removed: RegisterIds = {};
    for (const row of rows) {
      if (row.removed) (removed[row.kind] ??= []).push((row.doc as { id: string }).id);
      else (changes[row.kind] as unknown[]).push(row.doc);
    }
    this.data = deepFreeze({ ...applyChanges(this.data, changes as RegisterChanges, removed), revision });
  }

  private async listen(): Promise<void> {
    const client = await this.pool.connect();
    const onNotification = (message: pg.Notification) => {
      if (message.channel !== REGISTER_CHANNEL) return;
      if (Number(message.payload) > this.data.revision) {
        this.refresh().catch((error: unknown) =>
          logger.warn({ err: error }, 'register refresh after a change notice failed'),
        );
      }
    };
    const onError = (error: Error) => {
      logger.warn({ err: error }, 'register change listener lost its connection; reconnecting');
      this.dropListener(true);
    };
    client.on('notification', onNotification);
    client.on('error', onError);
    // The connection goes back to the pool when the listener stops: without its listeners, or every store opened
    // on the pool would leave one more on it (MaxListenersExceededWarning) and react to other users' errors.
    this.stopListening = () => {
      client.removeListener('notification', onNotification);
      client.removeListener('error', onError);
    };
    try {
      await client.query(`LISTEN ${REGISTER_CHANNEL}`);
    } catch (error) {
      this.stopListening();
      this.stopListening = undefined;
      client.release(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
    this.listener = client;
  }

  private dropListener(broken: boolean): void {
    const client = this.listener;
    this.listener = undefined;
    this.stopListening?.();
    this.stopListening = undefined;
    client?.release(broken ? new Error('listener connection lost') : undefined);
    if (broken && !this.closed) {
      this.reconnect = setTimeout(() => {
        this.reconnect = undefined;
        if (this.closed) return;
        this.listen()
          .then(() => this.refresh())
          .catch((error: unknown) => {
            logger.warn({ err: error }, 'register change listener could not reconnect');
            this.dropListener(true);
          });
      }, 1000);
      this.reconnect.unref?.();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.reconnect) clearTimeout(this.reconnect);
    await this.applies;
    const client = this.listener;
    if (client) {
      await client.query(`UNLISTEN ${REGISTER_CHANNEL}`).catch(() => undefined);
      this.dropListener(false);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new AnsvarError('StoreLocked', 'the PostgreSQL register store is closed');
  }
}

/** The last entity of an id wins, at the place of its first (as applyChanges treats a change set). */
function dedupe<T extends { id: string }>(entities: readonly T[]): T[] {
  const byId = new Map<string, T>();
  for (const entity of entities) byId.set(entity.id, entity);
  return [...byId.values()];
}

/** Pending audit events in call order; an id already pending is kept as it was. */
export async function insertPendingAudit(
  client: pg.PoolClient | pg.Pool,
  table: 'register_pending_audit' | 'request_pending_audit',
  events: readonly AuditEvent[],
): Promise<void> {
  await client.query(
    `INSERT INTO ${table} (id, event)
     SELECT e.doc->>'id', e.doc FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(doc, ord)
     ORDER BY e.ord
     ON CONFLICT (id) DO NOTHING`,
    [JSON.stringify(events)],
  );
}

export async function readPendingAudit(
  pool: pg.Pool,
  table: 'register_pending_audit' | 'request_pending_audit',
  limit: number | undefined,
): Promise<AuditEvent[]> {
  const { rows } = await pool.query<{ event: AuditEvent }>(
    `SELECT event FROM ${table} ORDER BY seq LIMIT $1`,
    [limit === undefined ? null : Math.max(0, limit)],
  );
  return rows.map((r) => r.event);
}
