interface Pending<D> {
  operation: (draft: D) => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Serialises every change to one file and commits them in groups: operations submitted while a write is on its way
 * are applied, in order, to one draft and written with one durable write (one fsync, one serialisation of the
 * file). An operation that throws is rejected alone and its draft changes are not made (drafts validate first); it
 * is rejected only once the group's write has settled, so a caller that reads after a RevisionConflict sees the
 * change it lost to. If the write fails, every operation of the group is rejected and the current state stays as it
 * was. `exclusive` runs a task that no group overlaps (e.g. moving requests to an archive).
 */
export class GroupCommit<D> {
  private pending: Array<Pending<D>> = [];
  private tail: Promise<void> = Promise.resolve();
  private scheduled = false;

  constructor(
    private readonly hooks: {
      begin: () => D;
      changed: (draft: D) => boolean;
      persist: (draft: D) => Promise<void>;
      commit: (draft: D) => void;
    },
  ) {}

  submit<T>(operation: (draft: D) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ operation, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        this.tail = this.tail.then(() => this.flush());
      }
    });
  }

  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.tail.then(task);
    this.tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Resolves when everything submitted so far has settled. */
  async drain(): Promise<void> {
    let seen: Promise<void> | undefined;
    while (seen !== this.tail) {
      seen = this.tail;
      await seen;
    }
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const batch = this.pending.splice(0);
    const draft = this.hooks.begin();
    const done: Array<{ pending: Pending<D>; value: unknown }> = [];
    const failed: Array<{ pending: Pending<D>; error: unknown }> = [];
    for (const pending of batch) {
      try {
        done.push({ pending, value: pending.operation(draft) });
      } catch (error) {
        failed.push({ pending, error });
      }
    }
    try {
      if (done.length > 0 && this.hooks.changed(draft)) {
        try {
          await this.hooks.persist(draft);
        } catch (error) {
          for (const { pending } of done) pending.reject(error);
          return;
        }
        this.hooks.commit(draft);
      }
      for (const { pending, value } of done) pending.resolve(value);
    } finally {
      for (const { pending, error } of failed) pending.reject(error);
    }
  }
}
