import { AnsvarError } from '../core/errors.js';
import { checkTimer, type ClaimInput, type NewTimer, type Timer } from './timerStore.js';

/** When a timer can next be claimed: its lease's end while claimed, else its due time (ms since the epoch). */
function readyAt(timer: Timer): number {
  return Date.parse(timer.claimedUntil ?? timer.dueAt);
}

interface HeapEntry {
  at: number;
  id: string;
  /** The timer object the entry was made for: an entry whose timer was replaced since is stale and skipped. */
  timer: Timer;
}

/**
 * The timers of one store in memory, with a min-heap on `readyAt` so a tick touches only the due timers (100,000
 * pending cost a claim of O(due · log n)). Entries are invalidated lazily: every change stores a new Timer object
 * and pushes a new entry; an entry whose object is no longer the stored one is dropped when it reaches the top.
 * Changes are described as `TimerChange`s, so the lowdb store can journal exactly what it applies.
 */
export class TimerTable {
  private readonly timers = new Map<string, Timer>();
  private readonly groups = new Map<string, Set<string>>();
  private heap: HeapEntry[] = [];

  constructor(initial: Iterable<Timer> = []) {
    for (const timer of initial) this.put(timer);
  }

  get size(): number {
    return this.timers.size;
  }

  get(id: string): Timer | undefined {
    return this.timers.get(id);
  }

  all(): Timer[] {
    return [...this.timers.values()];
  }

  ofGroup(group: string): Timer[] {
    return [...(this.groups.get(group) ?? [])].map((id) => this.timers.get(id)!);
  }

  /** The changes `replaceGroup` makes, without making them. */
  planReplace(group: string, timers: NewTimer[]): TimerChange[] {
    const wanted = new Map(timers.map((t) => [t.id, t]));
    const changes: TimerChange[] = [];
    for (const id of this.groups.get(group) ?? []) if (!wanted.has(id)) changes.push({ delete: id });
    for (const timer of wanted.values()) {
      checkTimer(timer);
      const stored = this.timers.get(timer.id);
      if (stored && stored.group !== group) {
        throw new AnsvarError('InvalidInput', `timer ${timer.id} belongs to group ${stored.group}`);
      }
      if (!stored) changes.push({ put: fresh(timer) });
    }
    return changes;
  }

  planAdd(timers: NewTimer[]): TimerChange[] {
    const seen = new Set<string>();
    const changes: TimerChange[] = [];
    for (const timer of timers) {
      checkTimer(timer);
      if (this.timers.has(timer.id) || seen.has(timer.id)) continue;
      seen.add(timer.id);
      changes.push({ put: fresh(timer) });
    }
    return changes;
  }

  planClaim(input: ClaimInput): TimerChange[] {
    const now = input.now.getTime();
    const until = new Date(now + input.leaseMs).toISOString();
    const claims: TimerChange[] = [];
    const popped: HeapEntry[] = [];
    while (claims.length < input.limit) {
      const top = this.peekValid();
      if (!top || top.at > now) break;
      popped.push(this.pop()!);
      claims.push({ put: { ...top.timer, claimedBy: input.owner, claimedUntil: until } });
    }
    // Planning changes nothing: entries go back; applying the claims makes them stale.
    for (const entry of popped) this.push(entry);
    return claims;
  }

  planComplete(ids: readonly string[], owner: string): TimerChange[] {
    return [...new Set(ids)]
      .filter((id) => this.timers.get(id)?.claimedBy === owner)
      .map((id) => ({ delete: id }));
  }

  planRelease(id: string, owner: string, dueAt: Date, failed: boolean): TimerChange[] | undefined {
    const stored = this.timers.get(id);
    if (!stored || stored.claimedBy !== owner) return undefined;
    const next: Timer = {
      ...stored,
      dueAt: dueAt.toISOString(),
      attempts: stored.attempts + (failed ? 1 : 0),
    };
    delete next.claimedBy;
    delete next.claimedUntil;
    return [{ put: next }];
  }

  apply(changes: readonly TimerChange[]): void {
    for (const change of changes) {
      if ('delete' in change) this.remove(change.delete);
      else this.put(change.put);
    }
  }

  nextDue(): Date | undefined {
    const top = this.peekValid();
    return top ? new Date(top.at) : undefined;
  }

  private put(timer: Timer): void {
    const stored = this.timers.get(timer.id);
    if (stored && stored.group !== timer.group) this.groups.get(stored.group)?.delete(timer.id);
    this.timers.set(timer.id, timer);
    let ids = this.groups.get(timer.group);
    if (!ids) this.groups.set(timer.group, (ids = new Set()));
    ids.add(timer.id);
    this.push({ at: readyAt(timer), id: timer.id, timer });
  }

  private remove(id: string): void {
    const stored = this.timers.get(id);
    if (!stored) return;
    this.timers.delete(id);
    const ids = this.groups.get(stored.group);
    ids?.delete(id);
    if (ids?.size === 0) this.groups.delete(stored.group);
  }

  private peekValid(): HeapEntry | undefined {
    for (;;) {
      const top = this.heap[0];
      if (!top) return undefined;
      if (this.timers.get(top.id) === top.timer) return top;
      this.pop();
    }
  }

  private push(entry: HeapEntry): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.at <= entry.at) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = entry;
  }

  private pop(): HeapEntry | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length === 0 || !last) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && heap[right]!.at < heap[left]!.at ? right : left;
      if (heap[child]!.at >= last.at) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
    // Stale entries would otherwise pile up under timers that are planned again and again.
    if (heap.length > 4 * this.timers.size + 1024) this.compact();
    return top;
  }

  private compact(): void {
    const entries = [...this.timers.values()].map((timer) => ({ at: readyAt(timer), id: timer.id, timer }));
    this.heap = [];
    for (const entry of entries) this.push(entry);
  }
}

/** One change to a timer table: a timer stored (whole) or removed. */
export type TimerChange = { put: Timer } | { delete: string };

function fresh(timer: NewTimer): Timer {
  return {
    id: timer.id,
    kind: timer.kind,
    group: timer.group,
    dueAt: new Date(timer.dueAt).toISOString(),
    payload: { ...timer.payload },
    attempts: 0,
  };
}
