import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { AnsvarError } from '../../core/errors.js';
import { listInventory, listRequests, type RequestListFilter } from '../requestQueries.js';
import { validateEffects, validateInventoryItem, validateRequest } from '../requestDrafts.js';
import type { AuditEvent, CardCopy, InventoryItem, OutboxItem, WorkRequest } from '../requestModel.js';
import type {
  Effects,
  InventoryFilter,
  RequestStore,
  SettledDelivery,
  UpdateNotice,
} from '../requestStore.js';
import type { NewTimer } from '../timerStore.js';
import { checkTimer } from '../timerStore.js';
import { insertTimers } from './pgTimerStore.js';
import { inTransaction } from './database.js';
import { insertPendingAudit, readPendingAudit } from './pgRegisterStore.js';
import { PgAuditLog } from './pgAuditLog.js';
import type { AuditLog } from '../auditLog.js';

export interface PgRequestStoreOptions {
  /** How long a claim on an outbox item holds (see `claimOutbox`); default 120 s. */
  outboxLeaseMs?: number;
  /** This instance's name in outbox claims; default a random UUID. */
  instanceId?: string;
}

/**
 * The RequestStore contract on PostgreSQL, for any number of instances on one database.
 *
 * - `update` and `updateInventoryItem` are one conditional UPDATE on the version column: of concurrent updates with
 *   the same expected version, on any instance, exactly one changes a row; the others wait for its commit, re-check
 *   the version (Read Committed) and get RevisionConflict.
 * - A change and its effects (outbox items, pending audit events, inventory items, the request's timers) are one
 *   transaction: one data-modifying WITH statement (one round trip, one commit) unless inventory items are added.
 * - `claimOutbox` hands each undelivered item to one instance at a time: it claims unclaimed items, items whose
 *   lease ran out (their instance stopped or crashed) and renews its own, with FOR UPDATE SKIP LOCKED so instances
 *   never wait for each other. A delivered item is deleted; an item is sent again only when its claim ran out
 *   before it was marked delivered (at-least-once, as with one process). While the instance runs, it renews the
 *   claims it holds every third of the lease, so a delivery that takes longer than the lease on a busy machine (a
 *   slow channel, a long batch) is not taken over and sent twice by another instance; a crashed or stopped instance
 *   renews nothing and its claims lapse.
 * - The delivery bookkeeping (card copy, audit, attempt, delivered) of this instance is written in call order, so
 *   the order the outbox processor relies on (card copy → audit → delivered) holds across a crash.
 */
export class PgRequestStore implements RequestStore {
  readonly plansTimers = true;
  private closed = false;
  private bookkeeping: Promise<unknown> = Promise.resolve();
  private readonly leaseMs: number;
  private readonly leaseRenewal: NodeJS.Timeout;
  private renewing?: Promise<unknown>;
  readonly instanceId: string;

  constructor(
    private readonly pool: pg.Pool,
    options: PgRequestStoreOptions = {},
  ) {
    this.leaseMs = options.outboxLeaseMs ?? 120_000;
    this.instanceId = options.instanceId ?? randomUUID();
    this.leaseRenewal = setInterval(() => this.renewClaims(), Math.max(100, Math.floor(this.leaseMs / 3)));
    this.leaseRenewal.unref();
  }

  /** Extends the lease of every outbox item this instance holds; a failure is left to the next renewal or claim. */
  private renewClaims(): void {
    if (this.closed || this.renewing) return;
    this.renewing = this.pool
      .query(
        `UPDATE outbox SET claimed_until = now() + $2 * interval '1 millisecond'
         WHERE claimed_by = $1 AND claimed_until >= now()`,
        [this.instanceId, this.leaseMs],
      )
      .catch(() => undefined)
      .finally(() => {
        this.renewing = undefined;
      });
  }

  async get(id: string): Promise<WorkRequest | undefined> {
    this.assertOpen();
    const { rows } = await this.pool.query<{ doc: WorkRequest }>('SELECT doc FROM requests WHERE id = $1', [
      id,
    ]);
    return rows[0]?.doc;
  }

  async list(filter: RequestListFilter): Promise<WorkRequest[]> {
    this.assertOpen();
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.organisationId !== undefined) {
      params.push(filter.organisationId);
      where.push(`organisation_id = $${params.length}`);
    }
    const onlyOpen = filter.awaitingPersonId !== undefined || filter.waitingForNobody === true;
    const statuses = onlyOpen ? (filter.status ?? ['open']).filter((s) => s === 'open') : filter.status;
    if (statuses !== undefined) {
      params.push(statuses);
      where.push(`status = ANY($${params.length}::text[])`);
    }
    if (filter.personId !== undefined) {
      params.push(filter.personId.toLowerCase());
      where.push(
        `(lower(doc->>'requesterId') = $${params.length} OR lower(doc->>'subjectId') = $${params.length})`,
      );
    }
    const { rows } = await this.pool.query<{ doc: WorkRequest }>(
      `SELECT doc FROM requests${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}`,
      params,
    );
    return listRequests(
      rows.map((r) => r.doc),
      filter,
    );
  }

  async create(request: WorkRequest, effects?: Effects): Promise<void> {
    this.assertOpen();
    validateRequest(request);
    checkEffects(effects);
    const doc = JSON.stringify(request);
    const write = `INSERT INTO requests (id, organisation_id, status, version, doc)
      VALUES ($1, $2, $3, $4, $5::jsonb) ON CONFLICT (id) DO NOTHING RETURNING id`;
    const params = [request.id, request.organisationId, request.status, request.version, doc];
    const inserted = hasInventory(effects)
      ? await inTransaction(this.pool, async (client) => {
          const done = await client.query(write, params);
          if (done.rowCount === 1) await writeEffects(client, effects);
          return done.rowCount ?? 0;
        })
      : await changeWithEffects(this.pool, write, params, effects);
    if (inserted !== 1) {
      throw new AnsvarError('RevisionConflict', `request ${request.id} already exists`, {
        requestId: request.id,
      });
    }
  }

  /**
   * One round trip and one commit for a change and its effects (a data-modifying WITH statement), except with new
   * inventory items, whose conflicts need a transaction that can roll the change back.
   */
  async update(next: WorkRequest, expectedVersion: number, effects?: Effects): Promise<WorkRequest> {
    this.assertOpen();
    validateRequest(next);
    checkEffects(effects);
    const written: WorkRequest = { ...structuredClone(next), version: expectedVersion + 1 };
    const write = `UPDATE requests SET doc = $3::jsonb, version = $2 + 1, status = $4, organisation_id = $5
      WHERE id = $1 AND version = $2 RETURNING id`;
    const params = [
      next.id,
      expectedVersion,
      JSON.stringify(written),
      written.status,
      written.organisationId,
    ];
    const updated = hasInventory(effects)
      ? await inTransaction(this.pool, async (client) => {
          const done = await client.query(write, params);
          if (done.rowCount === 1) await writeEffects(client, effects);
          return done.rowCount ?? 0;
        })
      : await changeWithEffects(this.pool, write, params, effects);
    if (updated !== 1) {
      const stored = await this.pool.query<{ version: number }>(
        'SELECT version FROM requests WHERE id = $1',
        [next.id],
      );
      const actual = stored.rows[0]?.version;
      throw new AnsvarError(
        'RevisionConflict',
        actual === undefined
          ? `request ${next.id} is not in the store; expected version ${expectedVersion}`
          : `request ${next.id}: expected version ${expectedVersion}, store is at ${actual}`,
        { requestId: next.id, expectedVersion, actualVersion: actual },
      );
    }
    return written;
  }

  async inventory(filter: InventoryFilter): Promise<InventoryItem[]> {
    this.assertOpen();
    const params: unknown[] = [];
    let where = '';
    if (filter.organisationId !== undefined) {
      params.push(filter.organisationId);
      where = ' WHERE organisation_id = $1';
    }
    const { rows } = await this.pool.query<{ doc: InventoryItem }>(
      `SELECT doc FROM inventory${where}`,
      params,
    );
    return listInventory(
      rows.map((r) => r.doc),
      filter,
    );
  }

  async getInventoryItem(id: string): Promise<InventoryItem | undefined> {
    this.assertOpen();
    const { rows } = await this.pool.query<{ doc: InventoryItem }>(
      'SELECT doc FROM inventory WHERE id = $1',
      [id],
    );
    return rows[0]?.doc;
  }

  async updateInventoryItem(
    next: InventoryItem,
    expectedVersion: number,
    effects?: Effects,
  ): Promise<InventoryItem> {
    this.assertOpen();
    validateInventoryItem(next);
    checkEffects(effects);
    const written: InventoryItem = { ...structuredClone(next), version: expectedVersion + 1 };
    await inTransaction(this.pool, async (client) => {
      const updated = await client.query(
        `UPDATE inventory SET doc = $3::jsonb, version = $2 + 1, organisation_id = $4
         WHERE id = $1 AND version = $2`,
        [next.id, expectedVersion, JSON.stringify(written), written.organisationId],
      );
      if (updated.rowCount !== 1) {
        const stored = await client.query<{ version: number }>(
          'SELECT version FROM inventory WHERE id = $1',
          [next.id],
        );
        const actual = stored.rows[0]?.version;
        throw new AnsvarError(
          'RevisionConflict',
          actual === undefined
            ? `inventory item ${next.id} is not in the store; expected version ${expectedVersion}`
            : `inventory item ${next.id}: expected version ${expectedVersion}, store is at ${actual}`,
          { itemId: next.id, expectedVersion, actualVersion: actual },
        );
      }
      await writeEffects(client, effects);
    });
    return written;
  }

  recordAudit(events: AuditEvent[]): Promise<void> {
    return this.inOrder(async () => {
      validateEffects({ audit: events });
      if (events.length > 0) await insertPendingAudit(this.pool, 'request_pending_audit', events);
    });
  }

  async pendingOutbox(limit?: number): Promise<OutboxItem[]> {
    this.assertOpen();
    const { rows } = await this.pool.query<OutboxRow>(
      'SELECT item, attempts, last_error FROM outbox ORDER BY seq LIMIT $1',
      [limitParam(limit)],
    );
    return rows.map(outboxItem);
  }

  async claimOutbox(limit?: number, inHand?: ReadonlySet<string>): Promise<OutboxItem[]> {
    this.assertOpen();
    // The items in hand keep their claim (the lease renewal renews it) and are not read again.
    const { rows } = await this.pool.query<OutboxRow & { seq: string }>(
      `UPDATE outbox SET claimed_by = $1, claimed_until = now() + $2 * interval '1 millisecond'
       WHERE id IN (
         SELECT id FROM outbox
         WHERE (claimed_by IS NULL OR claimed_by = $1 OR claimed_until < now()) AND NOT (id = ANY($4::text[]))
         ORDER BY seq LIMIT $3
         FOR UPDATE SKIP LOCKED)
       RETURNING seq, item, attempts, last_error`,
      [this.instanceId, this.leaseMs, limitParam(limit), inHand ? [...inHand] : []],
    );
    return rows.sort((a, b) => Number(a.seq) - Number(b.seq)).map(outboxItem);
  }

  markDelivered(itemId: string, _at: string): Promise<void> {
    return this.inOrder(async () => {
      await this.pool.query('DELETE FROM outbox WHERE id = $1', [itemId]);
    });
  }

  markAttempt(itemId: string, error: string): Promise<void> {
    return this.inOrder(async () => {
      await this.pool.query('UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1', [
        itemId,
        error,
      ]);
    });
  }

  /** One statement (one round trip, one commit): the card copy, the audit events and the item's removal. */
  settleDelivery(settled: SettledDelivery): Promise<void> {
    return this.inOrder(async () => {
      const copy = settled.cardCopy;
      if (copy) checkCardCopy(copy);
      validateEffects({ audit: settled.audit ?? [] });
      await this.pool.query(
        `WITH copied AS (
           INSERT INTO card_copies (request_id, conversation_id, activity_id, recipient_id)
           SELECT $2::text, $3::text, $4::text, $5::text WHERE $2::text IS NOT NULL
           ON CONFLICT DO NOTHING),
         audited AS (
           INSERT INTO request_pending_audit (id, event)
           SELECT e.doc->>'id', e.doc FROM jsonb_array_elements($6::jsonb) WITH ORDINALITY AS e(doc, ord)
           ORDER BY e.ord
           ON CONFLICT (id) DO NOTHING)
         DELETE FROM outbox WHERE id = $1`,
        [
          settled.itemId,
          copy?.requestId ?? null,
          copy?.conversationId ?? null,
          copy?.activityId ?? null,
          copy?.recipientId ?? null,
          JSON.stringify(settled.audit ?? []),
        ],
      );
    });
  }

  addCardCopy(copy: CardCopy): Promise<void> {
    return this.inOrder(async () => {
      checkCardCopy(copy);
      await this.pool.query(
        `INSERT INTO card_copies (request_id, conversation_id, activity_id, recipient_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING`,
        [copy.requestId, copy.conversationId, copy.activityId, copy.recipientId],
      );
    });
  }

  /** One statement: the recipient's copies, and the item deleted when there are none. */
  async copiesToUpdate(item: UpdateNotice, _at: string): Promise<CardCopy[]> {
    let held: CardCopyRow[] = [];
    await this.inOrder(async () => {
      const { rows } = await this.pool.query<CardCopyRow>(
        `WITH held AS (
           SELECT seq, request_id, recipient_id, conversation_id, activity_id FROM card_copies
           WHERE request_id = $2 AND lower(recipient_id) = lower($3)),
         settled AS (DELETE FROM outbox WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM held))
         SELECT request_id, recipient_id, conversation_id, activity_id FROM held ORDER BY seq`,
        [item.id, item.requestId, item.recipientId],
      );
      held = rows;
    });
    return held.map(cardCopyOf);
  }

  async cardCopies(requestId: string): Promise<CardCopy[]> {
    this.assertOpen();
    const { rows } = await this.pool.query<CardCopyRow>(
      `SELECT request_id, recipient_id, conversation_id, activity_id FROM card_copies WHERE request_id = $1
       ORDER BY seq`,
      [requestId],
    );
    return rows.map(cardCopyOf);
  }

  async pendingAudit(limit?: number): Promise<AuditEvent[]> {
    this.assertOpen();
    return readPendingAudit(this.pool, 'request_pending_audit', limit);
  }

  /** With the PostgreSQL audit log on this store's pool: the pending events move in one transaction. */
  async moveAudit(log: Pick<AuditLog, 'append'>, limit: number): Promise<number | undefined> {
    this.assertOpen();
    if (!(log instanceof PgAuditLog) || !log.keptWith(this.pool)) return undefined;
    return log.movePending('request_pending_audit', limit);
  }

  async auditFlushed(eventIds: string[]): Promise<void> {
    this.assertOpen();
    if (eventIds.length === 0) return;
    await this.pool.query('DELETE FROM request_pending_audit WHERE id = ANY($1::text[])', [eventIds]);
  }

  /** Gives back this instance's outbox claims (a clean stop), so another instance need not wait for the lease. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.leaseRenewal);
    await this.renewing;
    await this.bookkeeping;
    await this.pool
      .query('UPDATE outbox SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = $1', [
        this.instanceId,
      ])
      .catch(() => undefined);
  }

  /** Bookkeeping writes of this instance, one after the other in call order. */
  private inOrder(work: () => Promise<void>): Promise<void> {
    let run: Promise<void>;
    try {
      this.assertOpen();
      run = this.bookkeeping.then(work);
    } catch (error) {
      return Promise.reject(error);
    }
    this.bookkeeping = run.catch(() => undefined);
    return run;
  }

  private assertOpen(): void {
    if (this.closed) throw new AnsvarError('StoreLocked', 'the PostgreSQL request store is closed');
  }
}

interface CardCopyRow {
  request_id: string;
  recipient_id: string;
  conversation_id: string;
  activity_id: string;
}

function cardCopyOf(r: CardCopyRow): CardCopy {
  return {
    requestId: r.request_id,
    recipientId: r.recipient_id,
    conversationId: r.conversation_id,
    activityId: r.activity_id,
  };
}

interface OutboxRow {
  item: OutboxItem;
  attempts: number;
  last_error: string | null;
}

function outboxItem(row: OutboxRow): OutboxItem {
  const item: OutboxItem = { ...row.item, attempts: row.attempts };
  if (row.last_error !== null) item.lastError = row.last_error;
  return item;
}

function limitParam(limit: number | undefined): number | null {
  return limit === undefined ? null : Math.max(0, limit);
}

/** Shapes, and inventory ids given twice in one call (a conflict, as a stored id is). */
function checkEffects(effects: Effects | undefined): void {
  validateEffects(effects);
  const plan = effects?.timers;
  if (plan !== undefined) {
    for (const timer of plan.timers) {
      checkTimer(timer);
      // A timer of the plan can never be one another group holds: replaceGroup's check without a query.
      if (timer.group !== plan.group || !timer.id.startsWith(`${plan.group}:`)) {
        throw new AnsvarError('InvalidInput', `timer ${timer.id} is not of group ${plan.group}`);
      }
    }
  }
  const seen = new Set<string>();
  for (const item of effects?.inventory ?? []) {
    validateInventoryItem(item);
    if (seen.has(item.id)) {
      throw new AnsvarError('RevisionConflict', `inventory item ${item.id} already exists`, {
        itemId: item.id,
      });
    }
    seen.add(item.id);
  }
}

function hasInventory(effects: Effects | undefined): boolean {
  return (effects?.inventory?.length ?? 0) > 0;
}

/**
 * `write` (an INSERT or UPDATE of one request, RETURNING id) with its outbox items, pending audit events and timer
 * plan as one statement: each effect is joined to the written row, so when the compare-and-set writes nothing, no
 * effect is written either. Resolves to the number of requests written (0 or 1).
 */
async function changeWithEffects(
  pool: pg.Pool,
  write: string,
  params: unknown[],
  effects: Effects | undefined,
): Promise<number> {
  const n = params.length;
  const plan = effects?.timers;
  const timers = plan ? distinctTimers(plan.timers) : [];
  const sql = `WITH written AS (${write}),
    outboxed AS (
      INSERT INTO outbox (id, request_id, item, attempts, last_error)
      SELECT e.doc->>'id', e.doc->>'requestId', e.doc, coalesce((e.doc->>'attempts')::int, 0), e.doc->>'lastError'
      FROM written, jsonb_array_elements($${n + 1}::jsonb) WITH ORDINALITY AS e(doc, ord)
      ORDER BY e.ord
      ON CONFLICT (id) DO NOTHING),
    audited AS (
      INSERT INTO request_pending_audit (id, event)
      SELECT e.doc->>'id', e.doc FROM written, jsonb_array_elements($${n + 2}::jsonb) WITH ORDINALITY AS e(doc, ord)
      ORDER BY e.ord
      ON CONFLICT (id) DO NOTHING)${
        plan
          ? `,
    unplanned AS (
      DELETE FROM timers WHERE grp = $${n + 3} AND NOT (id = ANY($${n + 4}::text[])) AND EXISTS (SELECT 1 FROM written)),
    planned AS (
      INSERT INTO timers (id, kind, grp, due_at, payload)
      SELECT t.id, t.kind, t.grp, t.due_at, t.payload
      FROM written, unnest($${n + 4}::text[], $${n + 5}::text[], $${n + 6}::text[], $${n + 7}::timestamptz[],
        $${n + 8}::jsonb[]) WITH ORDINALITY AS t(id, kind, grp, due_at, payload, ord)
      ORDER BY t.ord
      ON CONFLICT (id) DO NOTHING)`
          : ''
      }
    SELECT count(*)::int AS n FROM written`;
  const all = [...params, JSON.stringify(effects?.outbox ?? []), JSON.stringify(effects?.audit ?? [])];
  if (plan) {
    all.push(
      plan.group,
      timers.map((t) => t.id),
      timers.map((t) => t.kind),
      timers.map((t) => t.group),
      timers.map((t) => t.dueAt),
      timers.map((t) => JSON.stringify(t.payload)),
    );
  }
  const { rows } = await pool.query<{ n: number }>(sql, all);
  return rows[0]?.n ?? 0;
}

/** The first timer of each id, as replaceGroup stores a plan naming one id twice. */
function distinctTimers(timers: readonly NewTimer[]): NewTimer[] {
  const byId = new Map<string, NewTimer>();
  for (const timer of timers) if (!byId.has(timer.id)) byId.set(timer.id, timer);
  return [...byId.values()];
}

async function writeEffects(client: pg.PoolClient, effects: Effects | undefined): Promise<void> {
  const outbox = effects?.outbox ?? [];
  if (outbox.length > 0) {
    await client.query(
      `INSERT INTO outbox (id, request_id, item, attempts, last_error)
       SELECT e.doc->>'id', e.doc->>'requestId', e.doc, coalesce((e.doc->>'attempts')::int, 0), e.doc->>'lastError'
       FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(doc, ord)
       ORDER BY e.ord
       ON CONFLICT (id) DO NOTHING`,
      [JSON.stringify(outbox)],
    );
  }
  const audit = effects?.audit ?? [];
  if (audit.length > 0) await insertPendingAudit(client, 'request_pending_audit', audit);
  const plan = effects?.timers;
  if (plan) {
    const timers = distinctTimers(plan.timers);
    await client.query('DELETE FROM timers WHERE grp = $1 AND NOT (id = ANY($2::text[]))', [
      plan.group,
      timers.map((t) => t.id),
    ]);
    await insertTimers(client, timers);
  }
  const inventory = effects?.inventory ?? [];
  if (inventory.length > 0) {
    const inserted = await client.query<{ id: string }>(
      `INSERT INTO inventory (id, organisation_id, version, doc)
       SELECT e.doc->>'id', e.doc->>'organisationId', (e.doc->>'version')::int, e.doc
       FROM jsonb_array_elements($1::jsonb) AS e(doc)
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [JSON.stringify(inventory)],
    );
    if (inserted.rowCount !== inventory.length) {
      const added = new Set(inserted.rows.map((r) => r.id));
      const existing = inventory.find((i) => !added.has(i.id))?.id;
      throw new AnsvarError('RevisionConflict', `inventory item ${existing} already exists`, {
        itemId: existing,
      });
    }
  }
}

function checkCardCopy(copy: CardCopy): void {
  for (const key of ['requestId', 'recipientId', 'conversationId', 'activityId'] as const) {
    if (typeof copy[key] !== 'string' || copy[key].length === 0) {
      throw new AnsvarError('InvalidInput', `card copy needs a non-empty ${key}`);
    }
  }
}
