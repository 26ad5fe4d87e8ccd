import { randomUUID } from 'node:crypto';
import type { ConversationReference } from 'botbuilder';
import type { AuditEvent, CardCopy, OutboxItem } from '../../data/requestModel.js';
import type { ConversationReferenceStore } from '../../data/conversationReferenceStore.js';
import type { RequestStore } from '../../data/requestStore.js';
import type { Logger } from '../../core/logger.js';
import { systemClock, type Clock } from '../../core/clock.js';
import { recordOutboxDelay } from '../../core/telemetry.js';
import { describeFailure, certainlyNotAccepted } from './connectorErrors.js';
import { Lanes } from './lanes.js';
import { backoffDelay, type RetryPolicy } from './retry.js';
import type { NotificationSender, OutboundMessage, SendResult } from './sender.js';

/**
 * Drains the transactional outbox (RequestStore.claimOutbox, in batches: with several instances on one database,
 * each item is claimed by one of them at a time): for each item it finds the recipient's conversation
 * reference, asks `render` what to say, and sends (or, for 'update', replaces every stored card copy the recipient
 * holds of that request), records the card copy of a 'decide'/'task' card, audits, and marks the item delivered.
 * An 'update' for someone who holds no copy (their card never reached them) is done without rendering anything, and
 * nothing is rendered for a recipient without a conversation reference. The bookkeeping of one item (card copy,
 * audit, attempt, delivered) is submitted together, so the store writes it in one group.
 *
 * Guarantees:
 * - One drain loop per processor, and at most one running processor per request store in a process (`start`
 *   throws otherwise). Items are delivered `concurrency` at a time, at most one per recipient (their lane): one
 *   recipient's items go out one after the other, oldest first (a card before its update), so a recipient whose
 *   conversation Teams throttles (429, Retry-After) or whose send is slow holds up nobody else. `wake()` asks for
 *   another claim, also made while the lanes still run; the loop also wakes when a deferred item falls due and
 *   every `pollIntervalMs` (items written without a wake).
 * - Restart-safe: `start()` drains whatever is pending, so an item left by a crash is sent after the restart. Order
 *   after a send, its bookkeeping (card copy, audit event, the item out of the outbox) is one store change
 *   (`settleDelivery`). A crash between the send and that change sends the item again at the next start (the outbox
 *   is at-least-once); within one process an item whose send succeeded is never sent again, even if its bookkeeping
 *   failed and is retried.
 * - A send is retried (later, with backoff) only when the connector proved it did not accept it; an update (a PUT,
 *   idempotent) is also retried when the outcome is unknown. Persisted attempts (`markAttempt`) bound the retries
 *   across restarts (`maxAttempts`).
 * - Final outcomes leave the outbox: delivered, nothing to send, unreachable (no conversation reference; the engine
 *   tells the requester whom to contact), blocked (403 MessageWritesBlocked), failed (a definite refusal, an unknown
 *   outcome of a send, or attempts used up). Undeliverable items are audited as `delivery_failed` and removed in
 *   one change (`settleDelivery`): the store has no "undeliverable" state of its own.
 *   `onOutcome` hears every final outcome, and every deferral, as it happens; `onOutcomes` hears them in batches (at
 *   most `OUTCOME_BATCH` items, and whenever the lanes are empty), one call after the other, so a listener can make
 *   one change for several items of the same request (the people of a step who could not be reached).
 * - `stop()` lets the items in flight finish (including their rate-limit waits and retries) and starts no other.
 */

export type RenderNotification = (item: OutboxItem) => Promise<OutboundMessage | undefined>;

export interface ItemOutcome {
  item: OutboxItem;
  outcome: DeliveryOutcome;
}

/** Items whose outcomes `onOutcomes` hears at once, at most. */
export const OUTCOME_BATCH = 25;

/** New items claimed at once (with several instances, each takes a batch; the rest stays for the others). */
export const CLAIM_BATCH = 50;

/**
 * Items in flight at once by default, each for another recipient. More clears a backlog sooner but takes CPU from
 * the turns meanwhile (PostgreSQL bench, 2 cores: 1 in flight kept the decisions/s of the one-at-a-time loop, 6 cost
 * about a quarter of them while the notices of the burst went out).
 */
export const DEFAULT_CONCURRENCY = 4;

export type DeliveryOutcome =
  | { status: 'delivered'; activityIds: string[] }
  | { status: 'skipped'; reason: 'nothingToSend' | 'noCardCopies' }
  | { status: 'unreachable' }
  | { status: 'blocked' }
  | { status: 'failed'; reason: string }
  | { status: 'deferred'; reason: string; retryAt: number };

/**
 * The seam for installing the app for a person who never opened it (Graph
 * `POST /users/{id}/teamwork/installedApps`, TeamsAppInstallation.ReadWriteSelfForUser.All). Not built yet: the
 * default installs nothing. An installer that returns true makes the item wait (deferred) for the reference that
 * the install's `installationUpdate` brings.
 */
export interface ProactiveInstaller {
  install(personId: string): Promise<boolean>;
}

export const noProactiveInstaller: ProactiveInstaller = { install: async () => false };

export type OutboxRequests = Pick<
  RequestStore,
  'claimOutbox' | 'markDelivered' | 'markAttempt' | 'settleDelivery' | 'copiesToUpdate'
>;

export interface OutboxProcessorOptions {
  requests: OutboxRequests;
  references: ConversationReferenceStore;
  sender: NotificationSender;
  render: RenderNotification;
  logger: Logger;
  /** Person id (e-mail) → conversation reference key (Entra object id); see `directoryPersonKey`. Default: same. */
  personKeyOf?: (personId: string) => Promise<string | undefined>;
  installer?: ProactiveInstaller;
  onOutcome?: (item: OutboxItem, outcome: DeliveryOutcome) => void | Promise<void>;
  onOutcomes?: (results: ItemOutcome[]) => void | Promise<void>;
  /** Attempts per item across restarts before it is given up; default 8. */
  maxAttempts?: number;
  /** Backoff between attempts of one item; default 5 s doubling up to 15 min, full jitter. */
  itemRetryPolicy?: Omit<RetryPolicy, 'maxAttempts'>;
  /** Default 60 s; 0 = no polling (wake() and due deferrals only). */
  pollIntervalMs?: number;
  /** Items delivered at once, at most one per recipient; default DEFAULT_CONCURRENCY. */
  concurrency?: number;
  clock?: Clock;
  random?: () => number;
  newId?: () => string;
}

const DEFAULT_ITEM_RETRY = { baseDelayMs: 5_000, maxDelayMs: 15 * 60_000 };
const running = new WeakSet<object>();

export class OutboxProcessor {
  private readonly log: Logger;
  private readonly clock: Clock;
  private state: 'new' | 'running' | 'stopped' = 'new';
  private loopDone: Promise<void> | undefined;
  private wakeRequested = true;
  private signal: (() => void) | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private idleWaiters: (() => void)[] = [];
  /** Item id → earliest time of its next attempt (in memory: after a restart everything is tried at once). */
  private readonly notBefore = new Map<string, number>();
  /** Sends that succeeded but whose bookkeeping did not finish: never sent again by this process. */
  private readonly sentUnmarked = new Map<string, SendResult & { status: 'sent' }>();
  private readonly concurrency: number;
  /** One lane per recipient: their notices in order (a card's update after the card), others' beside them. */
  private readonly lanes: Lanes;
  /** Ids of the items queued in a lane or in flight. */
  private readonly holding = new Set<string>();
  /**
   * Items finished since the last claim began: that claim may have read them before they were settled, and must not
   * queue them again (a second send). One left pending (deferred) is claimed again by the next claim.
   */
  private readonly finishedDuringClaim = new Set<string>();
  /** The last claim returned as many items as it asked for: more may be pending. */
  private claimFull = false;
  /** Outcomes not yet handed to `onOutcomes`. */
  private readonly outcomes: ItemOutcome[] = [];
  private reporting: Promise<void> = Promise.resolve();

  constructor(private readonly options: OutboxProcessorOptions) {
    this.log = options.logger.child({ component: 'delivery.outbox' });
    this.clock = options.clock ?? systemClock;
    this.concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    this.lanes = new Lanes(this.concurrency, () => this.afterItem());
  }

  /** Starts the drain loop, which first drains everything pending. Throws if the store already has a processor. */
  start(): void {
    if (this.state !== 'new') throw new Error('an outbox processor starts once');
    if (running.has(this.options.requests))
      throw new Error('another outbox processor is running on this store');
    running.add(this.options.requests);
    this.state = 'running';
    this.loopDone = this.loop().finally(() => running.delete(this.options.requests));
  }

  /** Something was written to the outbox (or a reference arrived): drain again soon. Cheap; coalesces. */
  wake(): void {
    this.wakeRequested = true;
    this.signal?.();
  }

  /**
   * Resolves when no item is queued or in flight, their outcomes are reported and no wake is pending (tests;
   * shutdown diagnostics).
   */
  whenIdle(): Promise<void> {
    if (this.state !== 'running' || (!this.wakeRequested && this.signal && this.lanes.empty)) {
      return Promise.resolve();
    }
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Waits for the items in flight, then stops. Idempotent. */
  async stop(): Promise<void> {
    if (this.state === 'new') this.state = 'stopped';
    if (this.state === 'running') {
      this.state = 'stopped';
      this.signal?.();
    }
    await this.loopDone;
    this.clearTimer();
    this.releaseIdle();
  }

  private async loop(): Promise<void> {
    while (this.state === 'running') {
      if (!this.wakeRequested) {
        if (this.lanes.empty && this.outcomes.length > 0) {
          // The end of a pass: whatever is batched is reported (then the loop looks again for a wake).
          await this.report(this.outcomes.splice(0));
          continue;
        }
        if (this.lanes.empty) this.releaseIdle();
        await this.waitForWake();
        continue;
      }
      this.wakeRequested = false;
      try {
        await this.dispatch();
      } catch (error) {
        // The store could not be read: try again at the next wake or poll.
        this.log.error({ err: error }, 'outbox claim failed');
      }
    }
    // stop(): the items in flight finish, the others wait for the next start.
    this.lanes.clear();
    await this.lanes.whenEmpty();
    await this.report(this.outcomes.splice(0));
  }

  /**
   * Claims the next batch besides the items this processor holds (queued or in flight: the store skips them, so a
   * claim during a backlog — every decision and submission wakes the processor — costs the batch, not the backlog;
   * deferred ones are returned again, first, so the limit counts them) and queues each new item that is due in its
   * recipient's lane.
   */
  private async dispatch(): Promise<void> {
    const limit = this.notBefore.size + CLAIM_BATCH;
    this.finishedDuringClaim.clear();
    const items = await this.options.requests.claimOutbox(limit, this.holding);
    this.claimFull = items.length >= limit;
    if (!this.claimFull) {
      // Everything pending was seen: a deferral whose item is gone (settled elsewhere) is forgotten.
      const pendingIds = new Set(items.map((i) => i.id));
      for (const id of this.notBefore.keys()) if (!pendingIds.has(id)) this.notBefore.delete(id);
    }
    const now = this.clock.now();
    for (const item of items) {
      if (item.deliveredAt !== undefined || this.holding.has(item.id)) continue;
      if (this.finishedDuringClaim.has(item.id)) continue;
      const due = this.notBefore.get(item.id);
      if (due !== undefined && due > now) continue;
      this.holding.add(item.id);
      this.lanes.push(item.recipientId.toLowerCase(), () => this.run(item));
    }
  }

  /** One item in its lane: delivered, its outcome batched for `onOutcomes`, then the loop hears of it. */
  private async run(item: OutboxItem): Promise<void> {
    try {
      if (this.state !== 'running') return;
      this.outcomes.push({ item, outcome: await this.process(item) });
      if (this.outcomes.length >= OUTCOME_BATCH) await this.report(this.outcomes.splice(0));
    } finally {
      this.holding.delete(item.id);
      this.finishedDuringClaim.add(item.id);
    }
  }

  /**
   * After each item (the lanes' bookkeeping done): when the last claim was full, more waits in the store, claimed
   * before the lanes run dry. Otherwise the loop only looks again: a new deferral changes its sleep, and once the
   * lanes are empty it reports and goes idle.
   */
  private afterItem(): void {
    if (this.claimFull && this.lanes.pending < this.concurrency) this.wake();
    else this.signal?.();
  }

  /** `onOutcomes` calls, one after the other (lanes finish batches concurrently). */
  private report(results: ItemOutcome[]): Promise<void> {
    if (results.length === 0 || !this.options.onOutcomes) return this.reporting;
    const listener = this.options.onOutcomes;
    this.reporting = this.reporting.then(async () => {
      try {
        await listener(results);
      } catch (error) {
        this.log.error({ err: error, items: results.length }, 'outcomes listener failed');
      }
    });
    return this.reporting;
  }

  private async process(item: OutboxItem): Promise<DeliveryOutcome> {
    let outcome: DeliveryOutcome;
    try {
      outcome = await this.deliver(item);
    } catch (error) {
      // A store, render or directory failure: not a send that may have gone out (those are caught in deliver).
      this.log.error({ err: error, itemId: item.id }, 'outbox item failed');
      outcome = await this.defer(
        item,
        `internal: ${error instanceof Error ? error.name : 'error'}`,
        undefined,
      );
    }
    recordOutboxDelay(item.createdAt, outcome.status, this.clock.now());
    try {
      await this.options.onOutcome?.(item, outcome);
    } catch (error) {
      this.log.error({ err: error, itemId: item.id }, 'outcome listener failed');
    }
    return outcome;
  }

  private async deliver(item: OutboxItem): Promise<DeliveryOutcome> {
    const already = this.sentUnmarked.get(item.id);
    if (already) return this.finishSent(item, already);

    // An update for someone whom nothing of this request reached has nothing to replace (and nothing undeliverable
    // to report): the store settles it with the lookup.
    const copies =
      item.purpose === 'update' ? await this.options.requests.copiesToUpdate(item, this.isoNow()) : [];
    if (item.purpose === 'update' && copies.length === 0)
      return { status: 'skipped', reason: 'noCardCopies' };
    const reference = await this.referenceOf(item.recipientId);
    if (!reference) {
      if (await (this.options.installer ?? noProactiveInstaller).install(item.recipientId)) {
        return this.defer(item, 'installed; waiting for the conversation reference', undefined);
      }
      return this.giveUp(item, { status: 'unreachable' }, 'unreachable: no conversation reference');
    }
    const message = await this.options.render(item);
    if (message === undefined) {
      await this.options.requests.markDelivered(item.id, this.isoNow());
      return { status: 'skipped', reason: 'nothingToSend' };
    }
    if (item.purpose === 'update') return this.updateCopies(item, reference, message, copies);

    const result = await this.options.sender.send(reference, message);
    if (result.status === 'sent') {
      this.sentUnmarked.set(item.id, result);
      return this.finishSent(item, result);
    }
    if (result.status === 'blocked')
      return this.giveUp(item, { status: 'blocked' }, describeFailure(result.failure));
    if (certainlyNotAccepted(result.failure)) {
      const retryAfterMs = result.failure.kind === 'throttled' ? result.failure.retryAfterMs : undefined;
      return this.defer(item, result.message, retryAfterMs);
    }
    return this.giveUp(item, { status: 'failed', reason: result.message }, result.message);
  }

  private async finishSent(
    item: OutboxItem,
    result: SendResult & { status: 'sent' },
  ): Promise<DeliveryOutcome> {
    const leavesCard = item.purpose === 'decide' || item.purpose === 'task';
    // One change: the card copy, its audit event and the item's removal are written together or not at all.
    await this.options.requests.settleDelivery({
      itemId: item.id,
      at: this.isoNow(),
      ...(leavesCard
        ? {
            cardCopy: {
              requestId: item.requestId,
              recipientId: item.recipientId,
              conversationId: result.conversationId,
              activityId: result.activityId,
            },
            audit: [this.auditEvent(item, 'card_delivered', undefined, { activityId: result.activityId })],
          }
        : {}),
    });
    this.sentUnmarked.delete(item.id);
    this.notBefore.delete(item.id);
    return { status: 'delivered', activityIds: [result.activityId] };
  }

  /** Replaces every copy of the request's card that the recipient holds. PUT is idempotent: retried as a whole. */
  private async updateCopies(
    item: OutboxItem,
    reference: Partial<ConversationReference>,
    message: OutboundMessage,
    copies: CardCopy[],
  ): Promise<DeliveryOutcome> {
    const updated: string[] = [];
    let retryLater: { reason: string; retryAfterMs?: number } | undefined;
    for (const copy of copies) {
      const result = await this.options.sender.update(
        reference,
        copy.conversationId,
        copy.activityId,
        message,
      );
      if (result.status === 'sent') updated.push(copy.activityId);
      else if (result.status === 'blocked') {
        return this.giveUp(item, { status: 'blocked' }, describeFailure(result.failure));
      } else if (result.failure.kind === 'rejected') {
        // E.g. the message was deleted: this copy cannot be updated, the others still can.
        this.log.warn(
          { itemId: item.id, activityId: copy.activityId, failure: result.message },
          'card copy not updated',
        );
      } else {
        retryLater ??= {
          reason: result.message,
          retryAfterMs: result.failure.kind === 'throttled' ? result.failure.retryAfterMs : undefined,
        };
      }
    }
    if (retryLater) return this.defer(item, retryLater.reason, retryLater.retryAfterMs);
    await this.options.requests.markDelivered(item.id, this.isoNow());
    this.notBefore.delete(item.id);
    return { status: 'delivered', activityIds: updated };
  }

  private async defer(
    item: OutboxItem,
    reason: string,
    retryAfterMs: number | undefined,
  ): Promise<DeliveryOutcome> {
    await this.options.requests.markAttempt(item.id, reason);
    const attempts = item.attempts + 1;
    const maxAttempts = this.options.maxAttempts ?? 8;
    if (attempts >= maxAttempts) {
      return this.giveUp(
        item,
        { status: 'failed', reason: `gave up after ${attempts} attempts: ${reason}` },
        reason,
      );
    }
    const policy = { maxAttempts, ...(this.options.itemRetryPolicy ?? DEFAULT_ITEM_RETRY) };
    const delay = Math.max(
      retryAfterMs ?? 0,
      backoffDelay(attempts, policy, this.options.random ?? Math.random),
    );
    const retryAt = this.clock.now() + delay;
    this.notBefore.set(item.id, retryAt);
    this.log.warn({ itemId: item.id, attempts, delayMs: delay, reason }, 'outbox item deferred');
    return { status: 'deferred', reason, retryAt };
  }

  private async giveUp(item: OutboxItem, outcome: DeliveryOutcome, reason: string): Promise<DeliveryOutcome> {
    // One change: the failure's audit event and the item's removal (its attempt count goes with it).
    await this.options.requests.settleDelivery({
      itemId: item.id,
      at: this.isoNow(),
      audit: [this.auditEvent(item, 'delivery_failed', reason)],
    });
    this.notBefore.delete(item.id);
    this.log.warn(
      { itemId: item.id, recipientId: item.recipientId, status: outcome.status, reason },
      'outbox item undeliverable',
    );
    return outcome;
  }

  private async referenceOf(personId: string): Promise<Partial<ConversationReference> | undefined> {
    const key = this.options.personKeyOf ? await this.options.personKeyOf(personId) : personId;
    if (!key) return undefined;
    const stored = await this.options.references.get(key);
    return stored as Partial<ConversationReference> | undefined;
  }

  private auditEvent(
    item: OutboxItem,
    type: 'card_delivered' | 'delivery_failed',
    reason: string | undefined,
    details: Record<string, string> = {},
  ): AuditEvent {
    return {
      id: (this.options.newId ?? randomUUID)(),
      at: this.isoNow(),
      type,
      actor: 'system',
      requestId: item.requestId,
      ...(reason === undefined ? {} : { reason }),
      details: {
        outboxItemId: item.id,
        recipientId: item.recipientId,
        purpose: item.purpose,
        version: item.version,
        ...details,
      },
    };
  }

  private isoNow(): string {
    return new Date(this.clock.now()).toISOString();
  }

  /** Sleeps until wake(), stop(), the next deferred item's time, or the poll interval, whichever comes first. */
  private waitForWake(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.signal = undefined;
        this.clearTimer();
        resolve();
      };
      this.signal = done;
      const now = this.clock.now();
      const poll = this.options.pollIntervalMs ?? 60_000;
      let wait = poll > 0 ? poll : Infinity;
      for (const due of this.notBefore.values()) wait = Math.min(wait, Math.max(0, due - now));
      if (wait !== Infinity) {
        this.timer = setTimeout(() => this.wake(), wait);
        this.timer.unref?.();
      }
    });
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private releaseIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
