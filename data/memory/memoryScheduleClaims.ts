import type { ScheduleClaims } from '../scheduleClaims.js';

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
