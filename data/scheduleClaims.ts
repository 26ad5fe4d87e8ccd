/**
 * Once-per-due-time for scheduled work (the hygiene digest, timers): every instance's scheduler fires at the due
 * time, and only the one whose `claim` resolves true runs the job. Claims are kept, so a due time is never run
 * twice, also not by an instance that fires late.
 */
export interface ScheduleClaims {
  /** True for exactly one caller per (job, due time), across every instance sharing the store. */
  claim(job: string, dueAt: Date): Promise<boolean>;
}

/** One process owns the store (lowdb, tests): claims in memory, the last few hundred remembered. */
export class MemoryScheduleClaims implements ScheduleClaims {
  private readonly claimed = new Set<string>();

  async claim(job: string, dueAt: Date): Promise<boolean> {
    const key = `${job}\n${dueAt.toISOString()}`;
    if (this.claimed.has(key)) return false;
    this.claimed.add(key);
    if (this.claimed.size > 500) this.claimed.delete(this.claimed.values().next().value!);
    return true;
  }
}
