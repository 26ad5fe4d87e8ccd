import { AsyncLocalStorage } from 'node:async_hooks';
import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * The one structured logger: JSON lines on stdout; level set once from config at start. Kept on `globalThis` so
 * there is one per process even when a loader evaluates this module twice (a CommonJS and an ESM copy, as mocha
 * with tsx does), and a level set anywhere applies everywhere. `useReadableLogs` turns the lines into readable
 * text for a person at a terminal (local mode); JSON stays the format for everything a machine reads.
 */
const slot = Symbol.for('ansvar.logger');
const outputSlot = Symbol.for('ansvar.logger.output');
const holder = globalThis as typeof globalThis & {
  [slot]?: Logger;
  [outputSlot]?: { target: { write(line: string): unknown } };
};

/** The ids of the activity whose turn is running; every log line written during the turn carries them. */
export interface TurnLogFields {
  activityId?: string;
  conversationId?: string;
  /** With telemetry on: the turn's trace, so a log line leads to its trace (set by core/telemetry.ts). */
  traceId?: string;
}

const turnSlot = Symbol.for('ansvar.logger.turn');
const turnHolder = globalThis as typeof globalThis & { [turnSlot]?: AsyncLocalStorage<TurnLogFields> };
const turnFields = (turnHolder[turnSlot] ??= new AsyncLocalStorage<TurnLogFields>());

/** Runs `work` so that every line any logger writes during it (and in what it starts) has `fields`. */
export function withTurnLogFields<T>(fields: TurnLogFields, work: () => T): T {
  return turnFields.run(fields, work);
}

/** Where log lines go; replaced (never the logger) when the format changes. */
const output = (holder[outputSlot] ??= { target: pino.destination({ dest: 1, sync: true }) });

export const logger: Logger = (holder[slot] ??= pino(
  {
    name: 'ansvar',
    level: 'info',
    mixin: () => turnFields.getStore() ?? {},
    redact: {
      paths: ['*.password', '*.secret', '*.clientSecret', '*.token', 'authorization'],
      censor: '[redacted]',
    },
  },
  { write: (line: string) => output.target.write(line) },
));

/**
 * Readable lines ("12:00:01 INFO: register store opened  file=...") instead of JSON, through pino-pretty, loaded
 * only here so a production start never pays for it. Synchronous, so lines stay in order with stderr messages.
 */
export async function useReadableLogs(): Promise<void> {
  const { default: pretty } = await import('pino-pretty');
  output.target = pretty({
    sync: true,
    colorize: process.stdout.isTTY === true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,name',
    singleLine: true,
  });
}
