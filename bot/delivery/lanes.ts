/**
 * Runs tasks at most `concurrency` at a time and at most one per key (a lane), each lane's tasks in the order they
 * were pushed. A lane that has more to do after a task goes to the back of the line, so one busy lane (a person
 * with many notices, a conversation that Teams throttles) holds at most one slot and never holds up the others.
 * Tasks handle their own errors: a rejected task is treated as done.
 *
 * Not p-limit or p-queue: neither keeps the order within a key, which is the point here; a keyed queue over
 * p-limit would add a dependency for the few lines below.
 */
export class Lanes {
  /** Tasks not started yet, per lane. */
  private readonly waiting = new Map<string, (() => Promise<void>)[]>();
  /** Lanes with a task waiting and none running, oldest first. */
  private readonly ready: string[] = [];
  private readonly running = new Set<string>();
  private emptyWaiters: (() => void)[] = [];

  /** `afterTask` runs after each task, once its lane's next task (if any) is queued or started. */
  constructor(
    private readonly concurrency: number,
    private readonly afterTask: () => void = () => undefined,
  ) {
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
    }
  }

  push(lane: string, task: () => Promise<void>): void {
    const queue = this.waiting.get(lane);
    if (queue) queue.push(task);
    else {
      this.waiting.set(lane, [task]);
      if (!this.running.has(lane)) this.ready.push(lane);
    }
    this.pump();
  }

  /** Tasks pushed and not started. */
  get pending(): number {
    let n = 0;
    for (const queue of this.waiting.values()) n += queue.length;
    return n;
  }

  get empty(): boolean {
    return this.running.size === 0 && this.waiting.size === 0;
  }

  /** Forgets the tasks not started; the running ones finish. */
  clear(): void {
    this.waiting.clear();
    this.ready.length = 0;
    this.settleIfEmpty();
  }

  /** Resolves when nothing runs and nothing waits. */
  whenEmpty(): Promise<void> {
    if (this.empty) return Promise.resolve();
    return new Promise((resolve) => this.emptyWaiters.push(resolve));
  }

  private pump(): void {
    while (this.running.size < this.concurrency && this.ready.length > 0) {
      const lane = this.ready.shift()!;
      const queue = this.waiting.get(lane)!;
      const task = queue.shift()!;
      if (queue.length === 0) this.waiting.delete(lane);
      this.running.add(lane);
      const done = () => {
        this.running.delete(lane);
        if (this.waiting.has(lane)) this.ready.push(lane);
        this.pump();
        this.settleIfEmpty();
        this.afterTask();
      };
      // A task that throws before its first await is a rejected task too.
      Promise.resolve().then(task).then(done, done);
    }
  }

  private settleIfEmpty(): void {
    if (!this.empty) return;
    const waiters = this.emptyWaiters;
    this.emptyWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
