import { startApp, type RunningApp } from '../../bot/app.js';
import { EchoBot } from '../../bot/echoBot.js';
import { loadConfig } from '../../services/infrastructure/config.js';
import { logger } from '../../core/logger.js';
import { LoopbackCredentialsFactory } from '../../fakes/fakeConnector.js';

/**
 * The app under load, in a process of its own (forked by throughput.ts, run through tsx because it uses the test
 * fakes' outbound credentials): the real composition root, `startApp`, with Bot Framework authentication on. The
 * bot is the product's (TeamsBot, startApp's default) or the EchoBot baseline; everything else is identical.
 *
 * Protocol over the IPC channel: ← {type:'start', ...HarnessStart}; → {type:'ready', url} or {type:'error',
 * message}; ← {type:'close'} → the app closes and the process exits.
 */

export interface HarnessStart {
  bot: 'ansvar' | 'echo';
  dataDir: string;
  appId: string;
  tenantId: string;
  metadataUrl: string;
  issuer: string;
}

type Inbound = { type: 'start'; start: HarnessStart } | { type: 'close' };

let app: RunningApp | undefined;

async function start(options: HarnessStart): Promise<RunningApp> {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    ANSVAR_DATA_DIR: options.dataDir,
    ANSVAR_SAMPLE_ON_EMPTY: 'false',
    LOG_LEVEL: 'warn',
    MicrosoftAppId: options.appId,
    MicrosoftAppPassword: 'not-a-secret',
    // A single-tenant bot (the default app type) names its tenant, as a municipality's registration does.
    MicrosoftAppTenantId: options.tenantId,
    ALLOWED_TENANT_IDS: options.tenantId,
    ToBotFromChannelOpenIdMetadataUrl: options.metadataUrl,
    ToBotFromChannelTokenIssuer: options.issuer,
    // ANSVAR_BENCH_HOST=agents: both bots on the Agents SDK host (the JWT figure compares like with like).
    ...(process.env.ANSVAR_BENCH_HOST ? { ANSVAR_HOST: process.env.ANSVAR_BENCH_HOST } : {}),
  });
  logger.level = config.logLevel;
  return startApp(config, {
    credentialsFactory: new LoopbackCredentialsFactory(options.appId),
    ...(options.bot === 'echo' ? { bot: new EchoBot() } : {}),
  });
}

function send(message: unknown): void {
  process.send?.(message);
}

process.on('message', (message: Inbound) => {
  if (message.type === 'start') {
    start(message.start).then(
      (running) => {
        app = running;
        send({ type: 'ready', url: running.url });
      },
      (error: unknown) => {
        send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
        process.exit(1);
      },
    );
  } else if (message.type === 'close') {
    void (app?.close() ?? Promise.resolve()).finally(() => process.exit(0));
  }
});

// The parent went away without saying goodbye: do not linger holding the data directory.
process.on('disconnect', () => {
  void (app?.close() ?? Promise.resolve()).finally(() => process.exit(0));
});
