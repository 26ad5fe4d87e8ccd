import { storageErrorCode } from '../data/durableAppend.js';
import { loadConfig, loadEnvFile, type Config } from '../services/config.js';
import { isAnsvarError } from '../services/errors.js';
import { logger } from '../services/logger.js';
import { startApp, type RunningApp } from './app.js';

/**
 * The process entry (`npm start`, `node --import tsx bot/server.ts`). Exit codes: 0 after a clean stop on
 * SIGTERM/SIGINT; 1 when the configuration is invalid, the data directory is held by another process or damaged,
 * or start fails otherwise. Failures at start print one message to stderr, never a stack.
 */

function fail(message: string): never {
  process.stderr.write(`ansvar: ${message}\n`);
  process.exit(1);
}

function startFailure(error: unknown, config: Config): string {
  const storage = storageErrorCode(error);
  if (storage)
    return `cannot write to the data directory ${config.dataDir} (${storage === 'ENOSPC' || storage === 'EDQUOT' ? 'the disk is full' : 'the disk reports an error'}, ${storage}); no data was changed: free space or fix the disk, then start Ansvar again`;
  if (isAnsvarError(error, 'StoreLocked'))
    return `the data directory ${config.dataDir} is in use by another Ansvar process (${error.message}); stop it or choose another ANSVAR_DATA_DIR`;
  if (isAnsvarError(error, 'StoreCorrupt'))
    return `the register in ${config.dataDir} is damaged (${error.message}); restore it from the backup`;
  if (isAnsvarError(error)) return error.message;
  const code = (error as { code?: unknown }).code;
  if (code === 'EADDRINUSE') return `port ${config.port} on ${config.host} is already in use`;
  if (code === 'EACCES') return `no permission to listen on ${config.host}:${config.port}`;
  return `start failed: ${error instanceof Error ? error.message : String(error)}`;
}

async function main(): Promise<void> {
  let config: Config;
  try {
    loadEnvFile();
    config = loadConfig();
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  logger.level = config.logLevel;

  let app: RunningApp;
  try {
    app = await startApp(config);
  } catch (error) {
    logger.fatal({ err: error }, 'start failed');
    fail(startFailure(error, config));
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second signal while draining: the operator wants out now.
      fail(`${signal} received again while stopping; exiting without waiting`);
    }
    stopping = true;
    logger.info({ signal }, 'signal received');
    app.close().then(
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
