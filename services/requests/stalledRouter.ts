import type { Logger } from '../../core/logger.js';
import type { RequestEngine } from './engine.js';

/**
 * Runs `RequestEngine.rerouteStalled` in the background whenever it is woken (after each register change, and once
 * at start for changes made while Ansvar was stopped, e.g. an import): wakes during a run make one more run after
 * it, never two at once. A failed run is logged; the next wake tries again.
 */
export class StalledRequestRouter {
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private readonly log: Logger;

  constructor(
    private readonly engine: Pick<RequestEngine, 'rerouteStalled'>,
    logger: Logger,
  ) {
    this.log = logger.child({ component: 'requests.stalledRouter' });
  }

  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = undefined;
    });
  }

  /** Resolves when no run is going on (tests; shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Lets the run in progress finish and starts no other. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.idle();
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        const rerouted = await this.engine.rerouteStalled();
        if (rerouted.length > 0)
          this.log.info({ requests: rerouted }, 'requests that had nobody routed again');
      } catch (error) {
        this.log.error({ err: error }, 'routing requests that had nobody again failed');
      }
    } while (this.again && !this.stopped);
  }
}
