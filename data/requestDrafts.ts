import { AnsvarError } from '../core/errors.js';
import type { AuditEvent, CardCopy, InventoryItem, OutboxItem, WorkRequest } from './requestModel.js';
import { firstValues, listInventory, listRequests, type RequestListFilter } from './requestQueries.js';
import type {
  Effects,
  InventoryFilter,
  RequestStore,
  SettledDelivery,
  UpdateNotice,
} from './requestStore.js';

/**
 * Everything a request store holds, as one immutable value: every change builds a new state (see RequestDraft), so
 * a store can compute the next state, write it durably, and only then make it current.
 *
 * - `requests`, `outbox` and `pendingAudit` keep insertion order, which is the order they were written in ("oldest
 *   first" for the pending lists).
 * - `outbox` holds undelivered items only: a delivered item is dropped (the audit log records deliveries), which
 *   keeps the hot file small.
 * - `cardCopies` by request id.
 * - `inventory` by item id: registered equipment, which outlives the requests that delivered it (never archived).
 */
export interface RequestState {
  readonly requests: ReadonlyMap<string, WorkRequest>;
  readonly outbox: ReadonlyMap<string, OutboxItem>;
  readonly cardCopies: ReadonlyMap<string, readonly CardCopy[]>;
  readonly pendingAudit: ReadonlyMap<string, AuditEvent>;
  readonly inventory: ReadonlyMap<string, InventoryItem>;
}

export function emptyRequestState(): RequestState {
  return {
    requests: new Map(),
    outbox: new Map(),
    cardCopies: new Map(),
    pendingAudit: new Map(),
    inventory: new Map(),
  };
}

/**
 * A next state under construction from `base`, shared by every RequestStore implementation so they all follow one
 * set of rules. Each operation validates before it changes anything, so an operation that throws leaves the draft as
 * it was (several operations can share one draft: a group commit). Maps are copied on first change only; the base
 * state is never mutated. Values are cloned on the way in, so later mutation by the caller cannot leak in.
 */
export class RequestDraft {
  private requests: Map<string, WorkRequest> | undefined;
  private outbox: Map<string, OutboxItem> | undefined;
  private cardCopies: Map<string, readonly CardCopy[]> | undefined;
  private pendingAudit: Map<string, AuditEvent> | undefined;
  private inventory: Map<string, InventoryItem> | undefined;

  constructor(private readonly base: RequestState) {}

  get current(): RequestState {
    return {
      requests: this.requests ?? this.base.requests,
      outbox: this.outbox ?? this.base.outbox,
      cardCopies: this.cardCopies ?? this.base.cardCopies,
      pendingAudit: this.pendingAudit ?? this.base.pendingAudit,
      inventory: this.inventory ?? this.base.inventory,
    };
  }

  get changed(): boolean {
    return !!(this.requests || this.outbox || this.cardCopies || this.pendingAudit || this.inventory);
  }

  /**
   * `exists` is asked for ids not in the state (a store with an archive knows more requests than its state holds).
   */
  create(request: WorkRequest, effects: Effects | undefined, exists?: (id: string) => boolean): void {
    validateRequest(request);
    this.checkEffects(effects);
    const requests = this.current.requests;
    if (requests.has(request.id) || exists?.(request.id)) {
      throw new AnsvarError('RevisionConflict', `request ${request.id} already exists`, {
        requestId: request.id,
      });
    }
    const copy = structuredClone(request);
    this.addEffects(effects);
    this.mutableRequests().set(copy.id, copy);
  }

  /** Returns the stored request (not a copy; clone before handing it out). */
  update(next: WorkRequest, expectedVersion: number, effects: Effects | undefined): WorkRequest {
    validateRequest(next);
    this.checkEffects(effects);
    const stored = this.current.requests.get(next.id);
    if (!stored) {
      throw new AnsvarError(
        'RevisionConflict',
        `request ${next.id} is not in the store (or archived, and archived requests do not change); expected version ${expectedVersion}`,
        { requestId: next.id, expectedVersion },
      );
    }
    if (stored.version !== expectedVersion) {
      throw new AnsvarError(
        'RevisionConflict',
        `request ${next.id}: expected version ${expectedVersion}, store is at ${stored.version}`,
        { requestId: next.id, expectedVersion, actualVersion: stored.version },
      );
    }
    const written: WorkRequest = { ...structuredClone(next), version: expectedVersion + 1 };
    this.addEffects(effects);
    this.mutableRequests().set(written.id, written);
    return written;
  }

  /** Returns the stored item (not a copy; clone before handing it out). */
  updateInventoryItem(
    next: InventoryItem,
    expectedVersion: number,
    effects: Effects | undefined,
  ): InventoryItem {
    validateInventoryItem(next);
    this.checkEffects(effects);
    const stored = this.current.inventory.get(next.id);
    if (stored?.version !== expectedVersion) {
      throw new AnsvarError(
        'RevisionConflict',
        stored
          ? `inventory item ${next.id}: expected version ${expectedVersion}, store is at ${stored.version}`
          : `inventory item ${next.id} is not in the store; expected version ${expectedVersion}`,
        { itemId: next.id, expectedVersion, actualVersion: stored?.version },
      );
    }
    const written: InventoryItem = { ...structuredClone(next), version: expectedVersion + 1 };
    this.addEffects(effects);
    this.mutableInventory().set(written.id, written);
    return written;
  }

  recordAudit(events: AuditEvent[]): void {
    this.checkEffects({ audit: events });
    this.addEffects({ audit: events });
  }

  /** Unknown (already delivered) ids are ignored: marking is idempotent. */
  markDelivered(itemId: string): void {
    if (!this.current.outbox.has(itemId)) return;
    this.mutableOutbox().delete(itemId);
  }

  markAttempt(itemId: string, error: string): void {
    const item = this.current.outbox.get(itemId);
    if (!item) return;
    this.mutableOutbox().set(itemId, { ...item, attempts: item.attempts + 1, lastError: error });
  }

  /** The same (request, conversation, activity) twice is stored once. */
  addCardCopy(copy: CardCopy): void {
    for (const key of ['requestId', 'recipientId', 'conversationId', 'activityId'] as const) {
      if (typeof copy[key] !== 'string' || copy[key].length === 0) {
        throw new AnsvarError('InvalidInput', `card copy needs a non-empty ${key}`);
      }
    }
    const existing = this.current.cardCopies.get(copy.requestId) ?? [];
    if (existing.some((c) => c.conversationId === copy.conversationId && c.activityId === copy.activityId))
      return;
    const { requestId, recipientId, conversationId, activityId } = copy;
    this.mutableCardCopies().set(requestId, [
      ...existing,
      { requestId, recipientId, conversationId, activityId },
    ]);
  }

  auditFlushed(eventIds: string[]): void {
    const pending = this.current.pendingAudit;
    const present = eventIds.filter((id) => pending.has(id));
    if (present.length === 0) return;
    const map = this.mutablePendingAudit();
    for (const id of present) map.delete(id);
  }

  /** Drops requests (and their card copies) from the state; used when they have been moved to an archive. */
  removeRequests(ids: Iterable<string>): void {
    for (const id of ids) {
      if (this.current.requests.has(id)) this.mutableRequests().delete(id);
      if (this.current.cardCopies.has(id)) this.mutableCardCopies().delete(id);
    }
  }

  /**
   * Checks the effects against the shapes and against the draft, so an operation throws before anything changes:
   * a new inventory item whose id is stored already (or given twice) is a conflict, as a second create of a
   * request is.
   */
  private checkEffects(effects: Effects | undefined): void {
    validateEffects(effects);
    const seen = new Set<string>();
    for (const item of effects?.inventory ?? []) {
      validateInventoryItem(item);
      if (this.current.inventory.has(item.id) || seen.has(item.id)) {
        throw new AnsvarError('RevisionConflict', `inventory item ${item.id} already exists`, {
          itemId: item.id,
        });
      }
      seen.add(item.id);
    }
  }

  /** Clones everything first, so a value that cannot be cloned throws before the draft changes. */
  private addEffects(effects: Effects | undefined): void {
    const outbox = (effects?.outbox ?? []).map((item) => structuredClone(item));
    const audit = (effects?.audit ?? []).map((event) => structuredClone(event));
    const inventory = (effects?.inventory ?? []).map((item) => structuredClone(item));
    for (const item of outbox) {
      if (this.current.outbox.has(item.id)) continue;
      this.mutableOutbox().set(item.id, item);
    }
    for (const event of audit) {
      if (this.current.pendingAudit.has(event.id)) continue;
      this.mutablePendingAudit().set(event.id, event);
    }
    for (const item of inventory) this.mutableInventory().set(item.id, item);
  }

  private mutableRequests(): Map<string, WorkRequest> {
    return (this.requests ??= new Map(this.base.requests));
  }
  private mutableOutbox(): Map<string, OutboxItem> {
    return (this.outbox ??= new Map(this.base.outbox));
  }
  private mutableCardCopies(): Map<string, readonly CardCopy[]> {
    return (this.cardCopies ??= new Map(this.base.cardCopies));
  }
  private mutablePendingAudit(): Map<string, AuditEvent> {
    return (this.pendingAudit ??= new Map(this.base.pendingAudit));
  }
  private mutableInventory(): Map<string, InventoryItem> {
    return (this.inventory ??= new Map(this.base.inventory));
  }
}

export function validateRequest(request: WorkRequest): void {
  if (typeof request?.id !== 'string' || request.id.length === 0) {
    throw new AnsvarError('InvalidInput', 'a request needs a non-empty id');
  }
  if (!Number.isInteger(request.version) || request.version < 0) {
    throw new AnsvarError('InvalidInput', `request ${request.id} has no valid version`);
  }
}

export function validateEffects(effects: Effects | undefined): void {
  for (const item of effects?.outbox ?? []) {
    if (typeof item?.id !== 'string' || item.id.length === 0) {
      throw new AnsvarError('InvalidInput', 'an outbox item needs a non-empty id');
    }
  }
  for (const event of effects?.audit ?? []) {
    if (typeof event?.id !== 'string' || event.id.length === 0) {
      throw new AnsvarError('InvalidInput', 'an audit event needs a non-empty id');
    }
  }
}

export function validateInventoryItem(item: InventoryItem): void {
  if (typeof item?.id !== 'string' || item.id.length === 0) {
    throw new AnsvarError('InvalidInput', 'an inventory item needs a non-empty id');
  }
  if (!Number.isInteger(item.version) || item.version < 0) {
    throw new AnsvarError('InvalidInput', `inventory item ${item.id} has no valid version`);
  }
}

/**
 * What every request store built on a `RequestState` and `RequestDraft`s shares: reads from the current state (as
 * copies), and every change as one draft operation handed to `change`, which makes it durable (or not) in the
 * store's own way. Subclasses own `state` and say when they are closed.
 */
export abstract class DraftRequestStore implements RequestStore {
  protected abstract state: RequestState;

  /** Applies `operation` to a draft of the current state and makes the result the state (durably, if the store is). */
  protected abstract change<T>(operation: (draft: RequestDraft) => T): Promise<T>;

  /** Throws StoreLocked once the store is closed. */
  protected abstract assertOpen(): void;

  abstract close(): Promise<void>;

  async get(id: string): Promise<WorkRequest | undefined> {
    this.assertOpen();
    const request = this.state.requests.get(id);
    return request && structuredClone(request);
  }

  async list(filter: RequestListFilter): Promise<WorkRequest[]> {
    this.assertOpen();
    return listRequests(this.state.requests.values(), filter);
  }

  async create(request: WorkRequest, effects?: Effects): Promise<void> {
    await this.change((d) => d.create(request, effects));
  }

  async update(next: WorkRequest, expectedVersion: number, effects?: Effects): Promise<WorkRequest> {
    return structuredClone(await this.change((d) => d.update(next, expectedVersion, effects)));
  }

  async inventory(filter: InventoryFilter): Promise<InventoryItem[]> {
    this.assertOpen();
    return listInventory(this.state.inventory.values(), filter);
  }

  async getInventoryItem(id: string): Promise<InventoryItem | undefined> {
    this.assertOpen();
    const item = this.state.inventory.get(id);
    return item && structuredClone(item);
  }

  async updateInventoryItem(
    next: InventoryItem,
    expectedVersion: number,
    effects?: Effects,
  ): Promise<InventoryItem> {
    return structuredClone(await this.change((d) => d.updateInventoryItem(next, expectedVersion, effects)));
  }

  async recordAudit(events: AuditEvent[]): Promise<void> {
    await this.change((d) => d.recordAudit(events));
  }

  async pendingOutbox(limit?: number): Promise<OutboxItem[]> {
    this.assertOpen();
    return firstValues(this.state.outbox, limit);
  }

  /** One process owns this store: every pending item is its to deliver. */
  async claimOutbox(limit?: number, inHand?: ReadonlySet<string>): Promise<OutboxItem[]> {
    this.assertOpen();
    return firstValues(this.state.outbox, limit, inHand);
  }

  async markDelivered(itemId: string, _at: string): Promise<void> {
    await this.change((d) => d.markDelivered(itemId));
  }

  async markAttempt(itemId: string, error: string): Promise<void> {
    await this.change((d) => d.markAttempt(itemId, error));
  }

  async settleDelivery(settled: SettledDelivery): Promise<void> {
    await this.change((d) => {
      if (settled.cardCopy) d.addCardCopy(settled.cardCopy);
      if (settled.audit) d.recordAudit(settled.audit);
      d.markDelivered(settled.itemId);
    });
  }

  async addCardCopy(copy: CardCopy): Promise<void> {
    await this.change((d) => d.addCardCopy(copy));
  }

  async copiesToUpdate(item: UpdateNotice, at: string): Promise<CardCopy[]> {
    const recipient = item.recipientId.toLowerCase();
    const held = (await this.cardCopies(item.requestId)).filter(
      (c) => c.recipientId.toLowerCase() === recipient,
    );
    if (held.length === 0) await this.markDelivered(item.id, at);
    return held;
  }

  async cardCopies(requestId: string): Promise<CardCopy[]> {
    this.assertOpen();
    return structuredClone([...(this.state.cardCopies.get(requestId) ?? [])]);
  }

  async pendingAudit(limit?: number): Promise<AuditEvent[]> {
    this.assertOpen();
    return firstValues(this.state.pendingAudit, limit);
  }

  async auditFlushed(eventIds: string[]): Promise<void> {
    await this.change((d) => d.auditFlushed(eventIds));
  }
}
