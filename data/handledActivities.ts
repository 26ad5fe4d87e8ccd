/**
 * Invokes already taken on, by activity id, so an invoke that Teams sends again (it got no answer in time, about
 * 15 s) is answered and not executed twice. With several instances on one database the retry may reach another
 * instance, so the PostgreSQL store keeps them in a table; one process keeps them in memory.
 */
export interface InvokeAnswer {
  status: number;
  body?: unknown;
}

export interface HandledActivities {
  /** True for exactly one caller per activity id within `ttlMs` (default 10 minutes): that caller executes it. */
  begin(activityId: string): Promise<boolean>;
  /** Keeps the answer the executing caller gave, for the repeats. */
  finish(activityId: string, answer: InvokeAnswer): Promise<void>;
  /** Forgets an activity whose execution failed, so a retry executes it again. */
  forget(activityId: string): Promise<void>;
  /** The answer kept for the activity; undefined while it is still executing (or unknown). */
  answer(activityId: string): Promise<InvokeAnswer | undefined>;
}

export const HANDLED_ACTIVITY_TTL_MS = 10 * 60_000;
