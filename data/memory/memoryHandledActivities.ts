import { HANDLED_ACTIVITY_TTL_MS, type HandledActivities, type InvokeAnswer } from '../handledActivities.js';

const MEMORY_LIMIT = 10_000;

/** One process owns the store (lowdb, tests): the activities in memory, the last 10,000 at most. */
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
