/**
 * Once-per-due-time for scheduled work (the hygiene digest, timers): every instance's scheduler fires at the due
 * time, and only the one whose `claim` resolves true runs the job. Claims are kept, so a due time is never run
 * twice, also not by an instance that fires late.
 */
export interface ScheduleClaims {
  /** True for exactly one caller per (job, due time), across every instance sharing the store. */
  claim(job: string, dueAt: Date): Promise<boolean>;
}
