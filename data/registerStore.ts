import type { DeepReadonly, RegisterChanges, RegisterIds, RegisterSnapshot } from './model.js';
import type { AuditEvent } from './requestModel.js';
import type { AuditHead, AuditLog } from './auditLog.js';

/** What a register change brings with it, written in the same atomic step. */
export interface RegisterEffects {
  /** Audit events describing the change, kept pending until the audit flusher has moved them to the audit log. */
  audit?: AuditEvent[];
  /**
   * Entities deleted in the same atomic step, before `changes` are applied. Only for taking the fictional sample
   * register out of a store (model.ts `sampleIds`); everything else ends roles through `validTo` and keeps history.
   */
  remove?: RegisterIds;
  /**
   * Start a new audit chain: the store forgets the chain head it recorded and its events not yet flushed, in the same
   * atomic step. Only for replacing the sample register after its audit log was set aside
   * (data/lowdb/sampleArchive.ts); the embedded store honours it, other stores ignore it.
   */
  newAuditChain?: boolean;
  /**
   * PostgreSQL: move what trying the sample left (requests, timers, reviews, the audit log ...) into this schema
   * (`sample_<time>`) in the same transaction, so the audit log starts a new chain with `audit`
   * (data/postgres/pgSampleArchive.ts). Only for replacing the sample register; other stores ignore it.
   */
  archiveSampleTo?: string;
}

/**
 * The contract every register store keeps (embedded lowdb now; PostgreSQL can follow without touching services/).
 *
 * - Reads return copies: mutating a result never changes the store.
 * - `apply` is one compare-and-set: the whole change set is written iff the stored revision still equals
 *   `expectedRevision`; otherwise it throws `AnsvarError('RevisionConflict')` and nothing is written.
 * - When `apply` resolves, the change is durable (it survives a crash or power loss).
 * - Entities are matched by `id`; a change set only inserts or replaces; it deletes only the ids in `effects.remove`.
 * - The audit events of an `apply` are written in the same atomic step as the change (all or nothing), as pending
 *   events: `pendingAudit` hands them to the audit flusher (services/requests/auditFlusher.ts), which appends them
 *   to the audit log and then calls `auditFlushed`. Dropping flushed events does not change the revision.
 */
export interface RegisterStore {
  /** Current revision without copying anything. */
  revision(): Promise<number>;
  /** The whole register at one revision, as a deep copy. */
  snapshot(): Promise<RegisterSnapshot>;
  /**
   * The whole register at one revision without copying: the store's own state, deep-frozen, shared by every
   * caller. For read-only indexes on the hot path, so the process does not hold one copy of the register per
   * index. Writing to it throws.
   */
  frozen(): Promise<DeepReadonly<RegisterSnapshot>>;
  /**
   * Writes `changes` and the effects' audit events atomically if the revision is still `expectedRevision`;
   * resolves to the new revision. An audit event without an id is refused (InvalidInput) and nothing is written.
   */
  apply(changes: RegisterChanges, expectedRevision: number, effects?: RegisterEffects): Promise<number>;
  /** Audit events not yet moved to the audit log, oldest first. */
  pendingAudit(limit?: number): Promise<AuditEvent[]>;
  /** Drops pending audit events once the audit log holds them durably; unknown ids are ignored. */
  /** `head`: the audit log's chain head after these events, kept by stores that record it (see AuditHead). */
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
  /** Flushes and releases the store (and its file lock). Idempotent. */
  close(): Promise<void>;
}
