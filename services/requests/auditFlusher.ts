import type { RegisterStore } from '../../data/registerStore.js';
import type { AuditLog } from '../../data/auditLog.js';
import type { RequestStore } from '../../data/requestStore.js';
import { isAnsvarError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';

/**
 * A store that keeps audit events pending, written atomically with the change they describe: the request store
 * and the register store both are one.
 */
export type AuditSource = Pick<RequestStore, 'pendingAudit' | 'auditFlushed' | 'moveAudit'>;

/**
 * Moves the audit events a store holds as pending (written atomically with the change they describe) into the
 * append-only audit log: `auditLog.append(events)`, then `source.auditFlushed(ids)`, or in one step where the source
 * keeps its pending events in the log's database (`source.moveAudit`: PostgreSQL). One flusher per store; several
 * flushers may share one audit log (its appends are serialised, and it skips ids it holds).
 *
 * Guarantees:
 * - Every pending event reaches the log, once. A crash between the append and `auditFlushed` leaves the events
 *   pending; the next start flushes them again and the log skips ids it already holds.
 * - `start()` flushes what an earlier process left pending. `wake()` (after each store change; see
 *   `withChangeNotice`) flushes soon, coalescing a burst of changes into one append; a poll every `pollIntervalMs`
 *   catches events written without a wake. `stop()` waits for the pass under way and makes a final one.
 * - Nothing here runs on the click path: `wake()` only sets a timer, and passes run one at a time in the background.
 *   A failed pass (the log or the store could not be written) is logged and retried with backoff; the events stay
 *   pending in the store meanwhile, so nothing is lost.
 */

export interface AuditFlusherOptions {
  source: AuditSource;
  /** Names the source in logs ('requests', 'register'); default 'requests'. */
  name?: string;
  auditLog: Pick<AuditLog, 'append'>;
  logger: Logger;
  /** How long a wake waits before flushing, so a burst of changes shares one append and one store write; default 25 ms. */
  coalesceMs?: number;
  /** Look for pending events this often even without a wake; default 1 s; 0 = only at start, on wake and at stop. */
  pollIntervalMs?: number;
  /** Events per append; default 1,000. */
  batchSize?: number;
  /** Wait after a failed pass, doubling up to `maxRetryDelayMs`; default 500 ms. */
  retryDelayMs?: number;
  /** Default 30 s. */
  maxRetryDelayMs?: number;
}

const DEFAULTS = {
  coalesceMs: 25,
  pollIntervalMs: 1_000,
  batchSize: 1_000,
  retryDelayMs: 500,
  maxRetryDelayMs: 30_000,
};

export class AuditFlusher {
  private readonly log: Logger;
  private readonly settings: typeof DEFAULTS;
  private state: 'new' | 'running' | 'stopping' | 'stopped' = 'new';
  /** Passes run one after another on this chain. */
  private chain: Promise<unknown> = Promise.resolve();
  /** A pass is queued on the chain and has not begun: further wakes join it. */
  private queued = false;
  private wakeTimer: NodeJS.Timeout | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  /** No background pass before this time (ms since the epoch) after a failure. */
  private retryAt = 0;
  private moved = 0;
  private stopping: Promise<void> | undefined;

  constructor(private readonly options: AuditFlusherOptions) {
    this.log = options.logger.child({ component: 'auditFlusher', source: options.name ?? 'requests' });
    this.settings = {
      coalesceMs: options.coalesceMs ?? DEFAULTS.coalesceMs,
      pollIntervalMs: options.pollIntervalMs ?? DEFAULTS.pollIntervalMs,
      batchSize: Math.max(1, options.batchSize ?? DEFAULTS.batchSize),
      retryDelayMs: options.retryDelayMs ?? DEFAULTS.retryDelayMs,
      maxRetryDelayMs: options.maxRetryDelayMs ?? DEFAULTS.maxRetryDelayMs,
    };
  }

  /** Events moved to the log by this flusher so far. */
  get flushed(): number {
    return this.moved;
  }

  /** Flushes what is pending now (events left by an earlier process included), then keeps flushing. Once. */
  start(): void {
    if (this.state !== 'new') throw new Error('an audit flusher starts once');
    this.state = 'running';
    this.kick();
    if (this.settings.pollIntervalMs > 0) {
      this.pollTimer = setInterval(() => {
        if (Date.now() >= this.retryAt) this.kick();
      }, this.settings.pollIntervalMs);
      this.pollTimer.unref();
    }
  }

  /** The store changed: flush soon. Cheap, synchronous, never throws; wakes in a burst share one pass. */
  wake(): void {
    if (this.state !== 'running' || this.wakeTimer || this.queued) return;
    const delay = Math.max(this.settings.coalesceMs, this.retryAt - Date.now());
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = undefined;
      this.kick();
    }, delay);
    this.wakeTimer.unref();
  }

  /**
   * Runs a pass now (after the one under way) and resolves with how many events it moved; rejects if the log or
   * the store fails. For tests, tools and the final flush.
   */
  flushNow(): Promise<number> {
    const pass = this.chain.then(() => this.drain());
    this.chain = pass.catch(() => undefined);
    return pass;
  }

  /** Stops waking and polling, waits for the pass under way, then flushes what is left. Idempotent; never rejects. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      const wasRunning = this.state === 'running';
      this.state = 'stopping';
      clearTimeout(this.wakeTimer);
      clearInterval(this.pollTimer);
      this.wakeTimer = undefined;
      this.pollTimer = undefined;
      if (wasRunning) {
        try {
          const moved = await this.flushNow();
          this.log.info({ moved, total: this.moved }, 'final audit flush done');
        } catch (error) {
          this.log.error(
            { err: error },
            'final audit flush failed: the events stay pending in their store and are flushed at the next start',
          );
        }
      }
      this.state = 'stopped';
    })();
    return this.stopping;
  }

  /** Queues a background pass unless one is already queued; its failure schedules a retry. */
  private kick(): void {
    if (this.state !== 'running' || this.queued) return;
    this.queued = true;
    this.chain = this.chain
      .then(async () => {
        this.queued = false;
        if (this.state !== 'running') return;
        try {
          await this.drain();
          this.failures = 0;
          this.retryAt = 0;
        } catch (error) {
          this.failures += 1;
          const delay = Math.min(
            this.settings.maxRetryDelayMs,
            this.settings.retryDelayMs * 2 ** (this.failures - 1),
          );
          this.retryAt = Date.now() + delay;
          // Storage that cannot take writes is reported once by the app; the retries are warnings.
          this.log[isAnsvarError(error, 'NotSaved') ? 'warn' : 'error'](
            { err: error, failures: this.failures, retryInMs: delay },
            'audit flush failed; the events stay pending and are retried',
          );
          this.wake();
        }
      })
      .catch(() => undefined);
  }

  /** Moves pending events in batches until none is left; each batch is appended durably before it is dropped. */
  private async drain(): Promise<number> {
    const { batchSize } = this.settings;
    let moved = 0;
    for (;;) {
      const taken = await this.options.source.moveAudit?.(this.options.auditLog, batchSize);
      if (taken !== undefined) {
        moved += taken;
        this.moved += taken;
        if (taken < batchSize) return moved;
        continue;
      }
      const events = await this.options.source.pendingAudit(batchSize);
      if (events.length === 0) return moved;
      const head = await this.options.auditLog.append(events);
      await this.options.source.auditFlushed(
        events.map((e) => e.id),
        head ?? undefined,
      );
      moved += events.length;
      this.moved += events.length;
      if (events.length < batchSize) return moved;
    }
  }
}

/** What changed in a request store (each may have added pending audit events and outbox items). */
export type StoreChange =
  | 'create'
  | 'update'
  | 'updateInventoryItem'
  | 'recordAudit'
  | 'markAttempt'
  | 'markDelivered'
  | 'settleDelivery'
  | 'addCardCopy';

/**
 * Whether a change can have added pending audit events: the outbox's bookkeeping (an attempt counted, a notice
 * delivered or found with nothing to update, a card copy kept) takes no events, so it need not wake the flusher (a
 * pass that finds nothing still asks the store).
 */
export function mayAddAudit(change: StoreChange): boolean {
  return !(change === 'markAttempt' || change === 'markDelivered' || change === 'addCardCopy');
}

/**
 * The request store with a listener called after each successful write (not after a failed one), e.g. to wake the
 * audit flusher. The listener runs synchronously after the write resolved and must be cheap; it cannot fail the
 * write (an exception from it is swallowed). Reads and `close` pass straight through.
 */
export function withChangeNotice(store: RequestStore, onChange: (change: StoreChange) => void): RequestStore {
  const notify = (change: StoreChange) => {
    try {
      onChange(change);
    } catch {
      // A listener's failure must not turn a committed write into an error for the caller.
    }
  };
  const after = async <T>(change: StoreChange, write: Promise<T>): Promise<T> => {
    const result = await write;
    notify(change);
    return result;
  };
  return {
    get: (id) => store.get(id),
    list: (filter) => store.list(filter),
    create: (request, effects) => after('create', store.create(request, effects)),
    update: (next, expectedVersion, effects) => after('update', store.update(next, expectedVersion, effects)),
    inventory: (filter) => store.inventory(filter),
    getInventoryItem: (id) => store.getInventoryItem(id),
    updateInventoryItem: (next, expectedVersion, effects) =>
      after('updateInventoryItem', store.updateInventoryItem(next, expectedVersion, effects)),
    recordAudit: (events) => after('recordAudit', store.recordAudit(events)),
    pendingOutbox: (limit) => store.pendingOutbox(limit),
    claimOutbox: (limit, inHand) => store.claimOutbox(limit, inHand),
    markDelivered: (itemId, at) => after('markDelivered', store.markDelivered(itemId, at)),
    markAttempt: (itemId, error) => after('markAttempt', store.markAttempt(itemId, error)),
    settleDelivery: (settled) => after('settleDelivery', store.settleDelivery(settled)),
    addCardCopy: (copy) => after('addCardCopy', store.addCardCopy(copy)),
    cardCopies: (requestId) => store.cardCopies(requestId),
    copiesToUpdate: (item, at) => after('markDelivered', store.copiesToUpdate(item, at)),
    pendingAudit: (limit) => store.pendingAudit(limit),
    auditFlushed: (eventIds, head) => store.auditFlushed(eventIds, head),
    ...(store.moveAudit ? { moveAudit: (log, limit) => store.moveAudit!(log, limit) } : {}),
    ...(store.auditHead ? { auditHead: () => store.auditHead!() } : {}),
    ...(store.plansTimers === true ? { plansTimers: true } : {}),
    close: () => store.close(),
  };
}

/**
 * The register store with a listener called after each successful `apply` (e.g. to wake the register's audit
 * flusher), with the same rules as `withChangeNotice`. Everything else passes straight through.
 */
export function registerWithChangeNotice(store: RegisterStore, onApply: () => void): RegisterStore {
  return {
    revision: () => store.revision(),
    snapshot: () => store.snapshot(),
    frozen: () => store.frozen(),
    apply: async (changes, expectedRevision, effects) => {
      const revision = await store.apply(changes, expectedRevision, effects);
      try {
        onApply();
      } catch {
        // A listener's failure must not turn a committed write into an error for the caller.
      }
      return revision;
    },
    pendingAudit: (limit) => store.pendingAudit(limit),
    auditFlushed: (eventIds, head) => store.auditFlushed(eventIds, head),
    ...(store.moveAudit ? { moveAudit: (log, limit) => store.moveAudit!(log, limit) } : {}),
    ...(store.auditHead ? { auditHead: () => store.auditHead!() } : {}),
    close: () => store.close(),
  };
}
