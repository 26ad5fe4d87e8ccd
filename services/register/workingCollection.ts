import { isDeepStrictEqual } from 'node:util';

export interface ChangeCounts {
  added: number;
  changed: number;
  /** Role assignments only: ended by this import. */
  ended: number;
  /** Named by the files and already as they say. */
  unchanged: number;
}

/** One entity the plan adds, changes or ends, as it was and as it will be. */
export interface EntityChange<T> {
  change: 'added' | 'changed' | 'ended';
  before?: T;
  after: T;
}

/** The entities of one collection as they were and as the plan leaves them. */
export class Working<T extends { id: string }> {
  private readonly before: Map<string, T>;
  private readonly after: Map<string, T>;
  private readonly named = new Set<string>();

  constructor(entities: readonly T[]) {
    this.before = new Map(entities.map((e) => [e.id, e]));
    this.after = new Map(this.before);
  }

  get(id: string): T | undefined {
    return this.after.get(id);
  }

  values(): IterableIterator<T> {
    return this.after.values();
  }

  /** Marks the entity as named by the files, so the summary counts it. */
  touch(id: string): void {
    this.named.add(id);
  }

  put(entity: T): void {
    this.named.add(entity.id);
    this.after.set(entity.id, entity);
  }

  statuses(classify: (before: T, after: T) => 'changed' | 'ended' = () => 'changed'): {
    counts: ChangeCounts;
    changed: T[];
    details: EntityChange<T>[];
  } {
    const counts: ChangeCounts = { added: 0, changed: 0, ended: 0, unchanged: 0 };
    const changed: T[] = [];
    const details: EntityChange<T>[] = [];
    for (const id of this.named) {
      const before = this.before.get(id);
      const after = this.after.get(id)!;
      if (before === undefined) {
        counts.added += 1;
        details.push({ change: 'added', after });
      } else if (isDeepStrictEqual(before, after)) {
        counts.unchanged += 1;
        continue;
      } else {
        const change = classify(before, after);
        counts[change] += 1;
        details.push({ change, before, after });
      }
      changed.push(after);
    }
    return { counts, changed, details };
  }
}

/** Drops keys whose value is undefined, so stored entities compare equal to planned ones. */
export function compact<T extends object>(entity: T): T {
  return Object.fromEntries(Object.entries(entity).filter(([, v]) => v !== undefined)) as T;
}

/** A cell's three states (see rows.ts) applied to a stored value. */
export function pick<T>(cell: T | null | undefined, stored: T | undefined): T | undefined {
  return cell === undefined ? stored : (cell ?? undefined);
}
