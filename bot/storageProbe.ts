import fs from 'node:fs';
import path from 'node:path';
import type { StorageHealth } from '../data/storageHealth.js';
import type { logger } from '../core/logger.js';

/**
 * Full disk as a state: once a data file cannot be written (ENOSPC, EDQUOT, EIO ...), tries a small write-and-fsync
 * in the data directory every `intervalMs`; when it succeeds the failures are cleared (the next real write proves
 * each file again), so /healthz reports ready and the bot carries on without a restart.
 */
export class StorageProbe {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly health: StorageHealth,
    private readonly dataDir: string,
    private readonly intervalMs: number,
    private readonly log: typeof logger,
  ) {
    health.onFailure(() => {
      const problem = health.problem;
      // Once per episode, so an operator is alerted once; refused changes after this are warnings.
      this.log.error(
        { reason: problem?.reason, file: problem?.file },
        'data cannot be written: changes are refused until space returns; questions are still answered',
      );
      this.schedule();
    });
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.probe();
    }, this.intervalMs);
    this.timer.unref();
  }

  private async probe(): Promise<void> {
    if (this.stopped || this.health.problem === undefined) return;
    const file = path.join(this.dataDir, `.write-probe-${process.pid}`);
    try {
      // As much as a typical decision writes, so "ready" means a decision fits again.
      await fs.promises.writeFile(file, Buffer.alloc(64 * 1024, 32), { flush: true });
      this.health.recovered();
      this.log.info('data can be written again: ready');
    } catch {
      this.schedule();
    } finally {
      await fs.promises.rm(file, { force: true }).catch(() => undefined);
    }
  }
}
