import { storageErrorCode } from '../data/storageHealth.js';
import { loadConfiguration, type Config } from '../services/infrastructure/config.js';
import { isAnsvarError } from '../core/errors.js';
import { logger, useReadableLogs } from '../core/logger.js';
import { dataDirProblem } from '../services/infrastructure/operatorMessages.js';
import { startApp, type RunningApp } from './app.js';
import { startTelemetry, type Telemetry } from './telemetry.js';

/**
 * The process entry (`npm start`, `node --import tsx bot/server.ts`). Exit codes: 0 after a clean stop on
 * SIGTERM/SIGINT; 1 when the configuration is invalid, the data directory is held by another process or damaged,
 * or start fails otherwise. Failures at start print one message to stderr, never a stack.
 */

function fail(message: string): never {
  process.stderr.write(`ansvar: ${message}\n`);
  process.exit(1);
}

/** The one line an operator reads when start fails, with the fix; undefined for an unexpected error. */
function startFailure(error: unknown, config: Config): string | undefined {
  const e = error as NodeJS.ErrnoException & { syscall?: string };
  const storage = storageErrorCode(error);
  if (storage)
    return `cannot write to the data directory ${config.dataDir} (${storage === 'ENOSPC' || storage === 'EDQUOT' ? 'the disk is full' : 'the disk reports an error'}, ${storage}); no data was changed: free space or fix the disk, then start Ansvar again`;
  if (e.syscall === 'listen' || e.syscall === 'bind') {
    if (e.code === 'EADDRINUSE')
      return `port ${config.port} on ${config.host} is already in use (is Ansvar already running?): stop that process, or start with another port, e.g. PORT=3979 npm start`;
    if (e.code === 'EACCES')
      return `no permission to listen on ${config.host}:${config.port}: use a port above 1023, e.g. PORT=3978`;
  }
  if (isAnsvarError(error, 'StoreCorrupt'))
    return `the register in ${config.dataDir} is damaged: ${error.message}`;
  const dataDir = dataDirProblem(error, config.dataDir);
  if (dataDir !== undefined) return dataDir;
  if (isAnsvarError(error)) return error.message;
  return undefined;
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfiguration();
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  logger.level = config.logLevel;
  if (config.logFormat === 'pretty') await useReadableLogs();

  // Before the app, so what the app sets up records (the outbox gauge). With no exporter configured this loads nothing.
  let telemetry: Telemetry | undefined;
  try {
    telemetry = await startTelemetry(config.telemetry);
  } catch (error) {
    fail(`cannot start telemetry: ${error instanceof Error ? error.message : String(error)}`);
  }

  let app: RunningApp;
  try {
    app = await startApp(config);
  } catch (error) {
    const known = startFailure(error, config);
    // A known failure is one line with its fix; only an unexpected one is worth its stack in the log.
    if (known === undefined) {
      logger.fatal({ err: error }, 'start failed');
      fail(
        `start failed: ${error instanceof Error ? error.message : String(error)} (details in the log above)`,
      );
    }
    logger.fatal({ reason: known }, 'start failed');
    fail(known);
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second signal while draining: the operator wants out now.
      fail(`${signal} received again while stopping; exiting without waiting`);
    }
    stopping = true;
    logger.info({ signal }, 'signal received');
    // What the last turns recorded is exported before the process ends.
    app
      .close()
      .then(() => telemetry?.shutdown())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.fatal({ err: error }, 'stop failed');
          fail(`stop failed: ${error instanceof Error ? error.message : String(error)}`);
        },
      );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

process.on('unhandledRejection', (reason) => {
  logger.fatal({ err: reason }, 'unhandled rejection');
  fail('unhandled rejection; see the log');
});

void main();
