import { pino, type Logger } from 'pino';

export type { Logger };

/** The one structured logger. JSON lines on stdout; level set once from config at start. */
export const logger: Logger = pino({
  name: 'ansvar',
  level: 'info',
  redact: { paths: ['*.password', '*.secret', '*.clientSecret', '*.token', 'authorization'], censor: '[redacted]' },
});
