import type { DeepReadonly, RegisterChanges, RegisterSnapshot } from './model.js';

/**
 * The contract every register store keeps (embedded lowdb now; PostgreSQL can follow without touching services/).
 *
 * - Reads return copies: mutating a result never changes the store.
 * - `apply` is one compare-and-set: the whole change set is written iff the stored revision still equals
 *   `expectedRevision`; otherwise it throws `AnsvarError('RevisionConflict')` and nothing is written.
 * - When `apply` resolves, the change is durable (it survives a crash or power loss).
 * - Entities are matched by `id`; a change set only inserts or replaces, never deletes.
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
  /** Writes `changes` atomically if the revision is still `expectedRevision`; resolves to the new revision. */
  apply(changes: RegisterChanges, expectedRevision: number): Promise<number>;
  /** Flushes and releases the store (and its file lock). Idempotent. */
  close(): Promise<void>;
}
