// The echo bot as a server process, started the way `npm start` starts Ansvar (bot/server.ts): the compiled app in
// dist/, configured from the environment (.env included), the same logger and log format, the same composition root
// (startApp) with only the bot replaced by the EchoBot. The local-mode ratio bench (localRatio.ts) runs it with the
// options of package.json's start script next to `node dist/bot/server.js`. Plain JavaScript, so no loader runs in
// one process and not in the other.
import process from 'node:process';
import { startApp } from '../../dist/bot/app.js';
import { EchoBot } from '../../dist/bot/echoBot.js';
import { loadConfiguration } from '../../dist/services/infrastructure/config.js';
import { logger, useReadableLogs } from '../../dist/core/logger.js';

const config = loadConfiguration();
logger.level = config.logLevel;
if (config.logFormat === 'pretty') await useReadableLogs();
const app = await startApp(config, { bot: new EchoBot() });
const stop = () => {
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
