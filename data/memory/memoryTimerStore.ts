import { TimerTable } from '../timerTable.js';
import type { ClaimInput, NewTimer, Timer, TimerStore } from '../timerStore.js';

/** The TimerStore contract in memory (tests, and the shape the lowdb store persists). Reads return copies. */
export class MemoryTimerStore implements TimerStore {
  private readonly table: TimerTable;

  constructor(initial: Iterable<Timer> = []) {
    this.table = new TimerTable(initial);
  }

  async replaceGroup(group: string, timers: NewTimer[]): Promise<void> {
    this.table.apply(this.table.planReplace(group, timers));
  }

  async add(timers: NewTimer[]): Promise<string[]> {
    const changes = this.table.planAdd(timers);
    this.table.apply(changes);
    return changes.flatMap((c) => ('put' in c ? [c.put.id] : []));
  }

  async claimDue(input: ClaimInput): Promise<Timer[]> {
    const changes = this.table.planClaim(input);
    this.table.apply(changes);
    return changes.flatMap((c) => ('put' in c ? [structuredClone(c.put)] : []));
  }

  async complete(ids: readonly string[], owner: string): Promise<string[]> {
    const changes = this.table.planComplete(ids, owner);
    this.table.apply(changes);
    return changes.flatMap((c) => ('delete' in c ? [c.delete] : []));
  }

  async release(id: string, owner: string, dueAt: Date, failed: boolean): Promise<boolean> {
    const changes = this.table.planRelease(id, owner, dueAt, failed);
    if (changes) this.table.apply(changes);
    return changes !== undefined;
  }

  async nextDue(): Promise<Date | undefined> {
    return this.table.nextDue();
  }

  async group(group: string): Promise<Timer[]> {
    return structuredClone(this.table.ofGroup(group));
  }

  async all(): Promise<Timer[]> {
    return structuredClone(this.table.all());
  }

  async count(): Promise<number> {
    return this.table.size;
  }

  async close(): Promise<void> {}
}
