import { AnsvarError } from '../core/errors.js';

/**
 * Durable timers: "do X at time T" kept in the store, so a reminder, an escalation or a review deadline survives a
 * restart. The scheduler (services/time/scheduler.ts) claims due timers and runs them; this file is the contract every
 * timer store keeps (data/memory/, data/lowdb/ and data/postgres/; the first two share data/timerTable.ts).
 *
 * Contract:
 * - A timer's `id` is chosen by the caller and deterministic (e.g. `request:<id>:0:remind`), so planning the same
 *   timer twice (two processes, a replay after a crash) stores it once.
 * - `replaceGroup(group, timers)` is atomic: afterwards the group's timers are exactly `timers` by id. An id already
 *   stored keeps its stored state (due time, claim, attempts): planning again never moves or re-arms a timer.
 * - `add(timers)` stores the timers whose ids are not stored yet and leaves stored ones as they are.
 * - `claimDue` is the only way to run a timer. It atomically claims up to `limit` timers with `dueAt <= now` that
 *   nobody holds (never claimed, or the claim's lease ran out: its holder crashed), oldest due first, setting
 *   `claimedBy`/`claimedUntil`. While a lease holds, no other caller can claim the timer (a compare-and-set per
 *   timer; PostgreSQL: `UPDATE timers SET claimed_by = $owner, claimed_until = $until WHERE id IN (SELECT id FROM
 *   timers WHERE due_at <= $now AND (claimed_until IS NULL OR claimed_until <= $now) ORDER BY due_at LIMIT $n FOR
 *   UPDATE SKIP LOCKED) RETURNING *`).
 * - `complete(ids, owner)` removes, in one atomic write, those of the timers that `owner` still holds and names
 *   them; `release(id, owner, dueAt)` gives one back, due again at `dueAt`, with `attempts` + 1 when it failed, and
 *   returns false (changing nothing) when the claim was lost, so a holder whose lease ran out learns it.
 * - A timer runs at least once; its handler makes the effect happen once (a compare-and-set on what it changes, or
 *   an idempotent write), since a holder can crash after the effect and before `complete`.
 */
export interface Timer {
  /** Deterministic key chosen by the planner. */
  id: string;
  /** Which handler runs it ("request.remind", "reminder.digest" ...). */
  kind: string;
  /** What the timer belongs to (a request id ...): `replaceGroup` replaces these together. */
  group: string;
  /** ISO 8601 instant. */
  dueAt: string;
  /** Small, flat arguments for the handler. */
  payload: Record<string, string | number | boolean | null>;
  /** Failed runs so far. */
  attempts: number;
  claimedBy?: string;
  /** ISO 8601 instant the claim lapses at. */
  claimedUntil?: string;
}

/** What a planner stores: a timer as it starts out. */
export type NewTimer = Pick<Timer, 'id' | 'kind' | 'group' | 'dueAt' | 'payload'>;

export interface ClaimInput {
  now: Date;
  /** Who claims (a process id): `complete`/`release` must name it. */
  owner: string;
  leaseMs: number;
  limit: number;
}

export interface TimerStore {
  replaceGroup(group: string, timers: NewTimer[]): Promise<void>;
  /** Ids of the timers actually added. */
  add(timers: NewTimer[]): Promise<string[]>;
  claimDue(input: ClaimInput): Promise<Timer[]>;
  /** The ids actually removed (still held by `owner`). */
  complete(ids: readonly string[], owner: string): Promise<string[]>;
  release(id: string, owner: string, dueAt: Date, failed: boolean): Promise<boolean>;
  /** The earliest instant a timer can next be claimed (its due time, or its lease's end), if any. */
  nextDue(): Promise<Date | undefined>;
  /** Timers of a group (copies), for tests and the audit of a plan. */
  group(group: string): Promise<Timer[]>;
  /** Every timer (copies) in the order they were planned, for moving a store (migrate-store). */
  all?(): Promise<Timer[]>;
  count(): Promise<number>;
  close(): Promise<void>;
}

export function checkTimer(timer: NewTimer): void {
  if (!timer.id || !timer.kind || !timer.group || Number.isNaN(Date.parse(timer.dueAt))) {
    throw new AnsvarError('InvalidInput', `invalid timer ${JSON.stringify(timer.id)}`);
  }
}
