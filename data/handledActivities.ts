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
const MEMORY_LIMIT = 10_000;

export class MemoryHandledActivities implements HandledActivities {
  private readonly entries = new Map<string, { expiresAt: number; answer?: InvokeAnswer }>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly ttlMs = HANDLED_ACTIVITY_TTL_MS,
  ) {}

  async begin(activityId: string): Promise<boolean> {
    const at = this.now();
    for (const [id, entry] of this.entries) {
      if (entry.expiresAt > at && this.entries.size < MEMORY_LIMIT) break;
      this.entries.delete(id);
    }
    const known = this.entries.get(activityId);
    if (known && known.expiresAt > at) return false;
    this.entries.set(activityId, { expiresAt: at + this.ttlMs });
    return true;
  }

  async finish(activityId: string, answer: InvokeAnswer): Promise<void> {
    const entry = this.entries.get(activityId);
    if (entry) entry.answer = structuredClone(answer);
  }

  async forget(activityId: string): Promise<void> {
    this.entries.delete(activityId);
  }

  async answer(activityId: string): Promise<InvokeAnswer | undefined> {
    const answer = this.entries.get(activityId)?.answer;
    return answer && structuredClone(answer);
  }
}
