import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * The one structured logger: JSON lines on stdout; level set once from config at start. Kept on `globalThis` so
 * there is one per process even when a loader evaluates this module twice (a CommonJS and an ESM copy, as mocha
 * with tsx does), and a level set anywhere applies everywhere.
 */
const slot = Symbol.for('ansvar.logger');
const holder = globalThis as typeof globalThis & { [slot]?: Logger };

export const logger: Logger = (holder[slot] ??= pino({
  name: 'ansvar',
  level: 'info',
  redact: {
    paths: ['*.password', '*.secret', '*.clientSecret', '*.token', 'authorization'],
    censor: '[redacted]',
  },
}));
