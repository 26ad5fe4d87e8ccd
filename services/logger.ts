import { AsyncLocalStorage } from 'node:async_hooks';
import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * The one structured logger: JSON lines on stdout; level set once from config at start. Kept on `globalThis` so
 * there is one per process even when a loader evaluates this module twice (a CommonJS and an ESM copy, as mocha
 * with tsx does), and a level set anywhere applies everywhere.
 */
const slot = Symbol.for('ansvar.logger');
const holder = globalThis as typeof globalThis & { [slot]?: Logger };

/** The ids of the activity whose turn is running; every log line written during the turn carries them. */
export interface TurnLogFields {
  activityId?: string;
  conversationId?: string;
}

const turnSlot = Symbol.for('ansvar.logger.turn');
const turnHolder = globalThis as typeof globalThis & { [turnSlot]?: AsyncLocalStorage<TurnLogFields> };
const turnFields = (turnHolder[turnSlot] ??= new AsyncLocalStorage<TurnLogFields>());

/** Runs `work` so that every line any logger writes during it (and in what it starts) has `fields`. */
export function withTurnLogFields<T>(fields: TurnLogFields, work: () => T): T {
  return turnFields.run(fields, work);
}

export const logger: Logger = (holder[slot] ??= pino({
  name: 'ansvar',
  level: 'info',
  mixin: () => turnFields.getStore() ?? {},
  redact: {
    paths: ['*.password', '*.secret', '*.clientSecret', '*.token', 'authorization'],
    censor: '[redacted]',
  },
}));
