import type { TurnContext } from 'botbuilder';
import type { StorageHealth } from '../data/storageHealth.js';

/**
 * What both HTTP hosts share and neither framework owns: the server's phase and bot, the fixed error bodies, the
 * turns in flight and what /healthz answers. Kept free of restify and Express, so the Agents host (bot/agentsHost.ts)
 * loads neither restify nor its `spdy` dependency (which Node 24 cannot load), and bot/http.ts loads no Express.
 */

export type Phase = 'starting' | 'ready' | 'stopping';

/** What the server needs from a bot: botbuilder's ActivityHandler (and TeamsActivityHandler) fit. */
export interface Bot {
  run(context: TurnContext): Promise<void>;
}

/** Shared with bot/app.ts, which moves the phase and wires the bot once the store is open. */
export interface ServerState {
  phase: Phase;
  bot?: Bot;
  /** Whether data can be written; /healthz reports not ready while it cannot. */
  storage?: StorageHealth;
}

/** The fixed error bodies, shared with the Agents host (bot/agentsHost.ts). */
export const PUBLIC_ERRORS: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  413: 'Payload too large',
  415: 'Unsupported media type',
  500: 'Internal error',
  501: 'Not implemented',
  503: 'Service unavailable',
};

/** Seconds a caller should wait before retrying a 503. */
export const RETRY_AFTER_SECONDS = 5;

/** The turns currently running, so shutdown can wait for them. */
export class InFlightTurns {
  private readonly pending = new Set<Promise<unknown>>();

  get size(): number {
    return this.pending.size;
  }

  track<T>(work: Promise<T>): Promise<T> {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.pending.add(settled);
    void settled.then(() => this.pending.delete(settled));
    return work;
  }

  /** Resolves true once every tracked turn has settled, false if `timeoutMs` passed first. */
  async drain(timeoutMs: number): Promise<boolean> {
    if (this.pending.size === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const all = (async () => {
      while (this.pending.size > 0) await Promise.all([...this.pending]);
      return true as const;
    })();
    try {
      return await Promise.race([all, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** What `GET /healthz` answers (both hosts). */
export function healthOf(state: ServerState): { status: 200 | 503; body: Record<string, unknown> } {
  const running = state.phase === 'ready' && state.bot !== undefined;
  const storage = state.storage?.problem;
  const ready = running && storage === undefined;
  return {
    status: ready ? 200 : 503,
    body: ready
      ? { status: 'ready' }
      : running && storage
        ? { status: 'storage', reason: storage.reason, since: storage.since }
        : { status: state.phase },
  };
}
