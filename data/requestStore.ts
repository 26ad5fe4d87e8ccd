import type {
  AuditEvent,
  CardCopy,
  InventoryItem,
  InventoryStatus,
  OutboxItem,
  RequestStatus,
  WorkRequest,
} from './requestModel.js';
import type { AuditHead, AuditLog } from './auditLog.js';
import type { NewTimer } from './timerStore.js';

/** What a request change brings with it, written in the same atomic step. */
export interface Effects {
  outbox?: OutboxItem[];
  audit?: AuditEvent[];
  /** New inventory items (a delivery registered); an id already stored is a conflict (RevisionConflict). */
  inventory?: InventoryItem[];
  /**
   * The request's timers as they should be after the change (`TimerStore.replaceGroup` semantics: ids kept keep
   * their stored state), written in the same atomic write. Only for a store whose `plansTimers` is true, which then
   * keeps them in its timer store; every timer id must start with `<group>:`.
   */
  timers?: TimerPlan;
}

export interface TimerPlan {
  group: string;
  timers: NewTimer[];
}

export interface InventoryFilter {
  organisationId?: string;
  unitId?: string;
  /** Items registered to this person (person id, case-insensitive). */
  holderId?: string;
  requestId?: string;
  /** Default: every status. */
  status?: InventoryStatus[];
  limit?: number;
}

/** The outbox item `copiesToUpdate` looks up copies for. */
export type UpdateNotice = Pick<OutboxItem, 'id' | 'requestId' | 'recipientId'>;

/** What `settleDelivery` writes for one outbox item. */
export interface SettledDelivery {
  itemId: string;
  at: string;
  cardCopy?: CardCopy;
  audit?: AuditEvent[];
}

/**
 * The contract of every request store (embedded lowdb, PostgreSQL in data/postgres/, memory for tests).
 * - Reads return copies, as plain JSON: a field written as undefined may read back as absent.
 * - `create` and `update` are atomic with their effects (outbox items, audit events): all are written, durably, or
 *   nothing is.
 * - `update` is one compare-and-set: it writes iff the stored `version` equals `expectedVersion`, and the stored
 *   version becomes `expectedVersion + 1`; otherwise it throws AnsvarError('RevisionConflict') and writes nothing.
 */
export interface RequestStore {
  get(id: string): Promise<WorkRequest | undefined>;
  list(filter: {
    organisationId?: string;
    personId?: string;
    /** Open requests whose current step (decision or work) has this person among its people. */
    awaitingPersonId?: string;
    /** Open requests whose current step has nobody to act on it (to be routed again). */
    waitingForNobody?: boolean;
    status?: RequestStatus[];
    limit?: number;
  }): Promise<WorkRequest[]>;
  /**
   * True when `create` and `update` accept `effects.timers` and write them atomically with the change (PostgreSQL:
   * one statement); absent or false: timers are planned with the timer store after the change.
   */
  readonly plansTimers?: boolean;
  create(request: WorkRequest, effects?: Effects): Promise<void>;
  update(next: WorkRequest, expectedVersion: number, effects?: Effects): Promise<WorkRequest>;
  /** Inventory items, sorted by unit, item type, asset tag. */
  inventory(filter: InventoryFilter): Promise<InventoryItem[]>;
  getInventoryItem(id: string): Promise<InventoryItem | undefined>;
  /**
   * Changes one inventory item (discarding it) with one compare-and-set on its `version`, atomically with the
   * effects; RevisionConflict when the stored version differs or the item does not exist.
   */
  updateInventoryItem(
    next: InventoryItem,
    expectedVersion: number,
    effects?: Effects,
  ): Promise<InventoryItem>;
  /** Records an event that changes no request (e.g. a card delivered), with the same durability. */
  recordAudit(events: AuditEvent[]): Promise<void>;
  /** Outbox items not yet delivered, oldest first. */
  pendingOutbox(limit?: number): Promise<OutboxItem[]>;
  /**
   * The undelivered outbox items this store handle may deliver now, oldest first: what a sender works through.
   * Where several instances share one store (PostgreSQL), an item is handed to one of them at a time, for a lease
   * that each call renews for the items it returns again; an item whose holder stopped without marking it is handed
   * out again once the lease ran out. A store that one process owns hands out every pending item.
   * Items in `inHand` (those the caller already holds: queued or being sent) are neither returned nor counted in
   * `limit`, and keep their claim: a claim costs what it hands out, not the caller's whole backlog.
   */
  claimOutbox(limit?: number, inHand?: ReadonlySet<string>): Promise<OutboxItem[]>;
  markDelivered(itemId: string, at: string): Promise<void>;
  /**
   * A notice's outcome as one change, all or nothing: the copy of the card it left (a decide or task card that was
   * sent), its audit events (delivered, or failed for good) and the item taken out of the outbox. One write instead
   * of three, so a crash never leaves the card copy or the audit event without the other.
   */
  settleDelivery(settled: SettledDelivery): Promise<void>;
  markAttempt(itemId: string, error: string): Promise<void>;
  addCardCopy(copy: CardCopy): Promise<void>;
  cardCopies(requestId: string): Promise<CardCopy[]>;
  /**
   * For an 'update' notice: the copies of its request's card that its recipient holds (recipient ids compared
   * case-insensitively), oldest first. When they hold none there is nothing to update, and the item leaves the
   * outbox in the same step (as `markDelivered`): one write instead of a read and a write.
   */
  copiesToUpdate(item: UpdateNotice, at: string): Promise<CardCopy[]>;
  /** Audit events not yet moved to the audit log, oldest first. */
  pendingAudit(limit?: number): Promise<AuditEvent[]>;
  /**
   * Drops pending audit events once the audit log holds them durably; `head` is the log's chain head after them,
   * kept by stores that record it (see AuditHead) in the same write.
   */
  auditFlushed(eventIds: string[], head?: AuditHead): Promise<void>;
  /**
   * Optional, for a store that keeps its pending events in the database of `log`: moves up to `limit` of the oldest
   * into `log` in one transaction with their removal (fewer round trips than `pendingAudit`, `append` and
   * `auditFlushed`, and no window between them), resolving to how many left the store (0: none pending). Resolves to
   * undefined when `log` is kept elsewhere, and the audit flusher takes the three steps.
   */
  moveAudit?(log: Pick<AuditLog, 'append'>, limit: number): Promise<number | undefined>;
  /** The audit chain head recorded by the last `auditFlushed`, for stores that keep one. */
  auditHead?(): Promise<AuditHead | undefined>;
  close(): Promise<void>;
}
