import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServiceClientCredentialsFactory } from 'botframework-connector';
import { openAuditLog } from '../data/auditLog.js';
import { openLowConversationReferenceStore } from '../data/lowConversationReferenceStore.js';
import { openLowRegisterStore } from '../data/lowRegisterStore.js';
import { openLowRequestStore } from '../data/lowRequestStore.js';
import type { RegisterStore } from '../data/registerStore.js';
import type { AuditLog, ConversationReferenceStore, RequestStore } from '../data/requestStore.js';
import type { AppServices } from '../services/appServices.js';
import { redactedSummary, type Config } from '../services/config.js';
import { createDirectory, type Directory } from '../services/directory/index.js';
import { logger } from '../services/logger.js';
import { loadSampleRegister } from '../services/register/importer.js';
import {
  AuditFlusher,
  registerWithChangeNotice,
  withChangeNotice,
} from '../services/requests/auditFlusher.js';
import { loadCatalogues } from '../services/equipment/catalogue.js';
import { InventoryService } from '../services/equipment/inventory.js';
import { HygieneCheck } from '../services/hygiene.js';
import { RegisterCareService } from '../services/registerCare.js';
import { createRequestEngine } from '../services/requests/index.js';
import { RegisterView } from '../services/search/registerView.js';
import { createAdapter } from './adapter.js';
import {
  ConversationReferenceRecorder,
  directoryPersonKey,
  withConversationReferences,
} from './delivery/conversationReferences.js';
import { createProactiveInstaller } from './delivery/graphInstaller.js';
import { HygieneDigest, HygieneScheduler } from './delivery/hygieneDigest.js';
import { PersonMessenger } from './delivery/personMessenger.js';
import { OutboxProcessor } from './delivery/outboxProcessor.js';
import { TeamsRateLimiter } from './delivery/rateLimiter.js';
import { requestNotificationRenderer } from './delivery/requestNotifications.js';
import { ProactiveSender } from './delivery/sender.js';
import { noteUndeliverableCards } from './delivery/unreachableNotes.js';
import { StalledRequestRouter } from '../services/requests/stalledRouter.js';
import { createHttpServer, InFlightTurns, type Bot, type ServerState } from './http.js';
import { TeamsBot } from './teamsBot.js';

/**
 * The composition root: the only place that creates infrastructure and wires it together.
 *
 * Start order: adapter (no network) → HTTP server listening (answers 503 while starting) → store opened (the lock)
 * → in local mode with ANSVAR_SAMPLE_ON_EMPTY and an empty store (revision 0), the sample register `data/sample/`
 * is imported; a store that holds data is never added to at start → directory → bot (TeamsBot) → ready.
 * The local directory reads the sample's out-of-office/disabled list (`data/sample/directory-status.json`) in local
 * mode whenever the file exists, whether the sample was loaded now or at an earlier start: it only names the
 * sample's own people (example.* addresses), so it changes nothing for a register of real people. With an app id
 * the local directory reports everyone available.
 * No step makes a network call (Graph and the OpenID keys are first contacted on the first request that needs them).
 * The audit log (`<dataDir>/audit.jsonl`) is opened after the request store; the audit flusher starts with the bot
 * and first moves events an earlier process left pending in the request store.
 * `close()`: 503 for new requests → in-flight turns finish (bounded by `shutdownGraceMs`) → listener closed → final
 * audit flush → the stores this app opened are closed (an injected store belongs to the caller).
 */

export interface AppOverrides {
  store?: RegisterStore;
  requestStore?: RequestStore;
  conversationReferences?: ConversationReferenceStore;
  /** Default: `<dataDir>/audit.jsonl`, opened (and closed) by the app. */
  auditLog?: AuditLog;
  directory?: Directory;
  bot?: Bot;
  credentialsFactory?: ServiceClientCredentialsFactory;
  now?: () => Date;
  /** Longest wait for in-flight turns at close; default 10 s. */
  shutdownGraceMs?: number;
}

export interface RunningApp {
  /** Base URL, e.g. http://127.0.0.1:3978 */
  url: string;
  port: number;
  /** Idempotent; resolves once the listener and the store are closed. */
  close(): Promise<void>;
}

const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

export async function startApp(config: Config, overrides: AppOverrides = {}): Promise<RunningApp> {
  const log = logger.child({ component: 'app' });
  const now = overrides.now ?? (() => new Date());
  log.info({ config: redactedSummary(config) }, 'starting');
  if (config.localMode) {
    log.warn('local mode: no authentication; for a developer machine or the Agents Playground only');
  }

  const adapter = createAdapter(config, { logger, credentialsFactory: overrides.credentialsFactory });
  const state: ServerState = { phase: 'starting' };
  const turns = new InFlightTurns();
  const server = createHttpServer({ config, adapter, logger, state, turns });
  await listen(server, config.port, config.host);
  const port = (server.address() as { port: number }).port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;

  let store: RegisterStore | undefined;
  let ownsStore = false;
  let auditFlusher: AuditFlusher | undefined;
  let registerAuditFlusher: AuditFlusher | undefined;
  let delivery: OutboxProcessor | undefined;
  let hygieneSchedule: HygieneScheduler | undefined;
  let stalledRouter: StalledRequestRouter | undefined;
  /** Stores this app opened (and so closes); injected ones belong to the caller. */
  const owned: { close(): Promise<void> }[] = [];
  try {
    if (overrides.store) store = overrides.store;
    else {
      store = await openLowRegisterStore(config.dataDir);
      ownsStore = true;
    }
    const storedRequests =
      overrides.requestStore ?? (await ownedBy(owned, openLowRequestStore(config.dataDir)));
    const auditLog = overrides.auditLog ?? (await ownedBy(owned, openAuditLog(config.dataDir)));
    // Every write that may add audit events wakes the flusher; the write itself never waits for the audit log.
    const flusher = new AuditFlusher({ source: storedRequests, name: 'requests', auditLog, logger });
    // Register changes made in Teams carry their audit events in the register store's own atomic write.
    const registerFlusher = new AuditFlusher({ source: store, name: 'register', auditLog, logger });
    // Bound once delivery exists below; a write before that (there is none at start) only wakes the flusher.
    let wakeDelivery = () => {};
    const requestStore = withChangeNotice(storedRequests, () => {
      flusher.wake();
      wakeDelivery();
    });
    const conversationReferences =
      overrides.conversationReferences ??
      (await ownedBy(owned, openLowConversationReferenceStore(config.dataDir)));
    if (config.localMode && config.sampleOnEmpty && (await store.revision()) === 0) {
      const report = await loadSampleRegister(store, sampleDir());
      log.info(
        { sampleDir: sampleDir(), revision: report.revision, warnings: report.warnings.length },
        'empty register: loaded the fictional sample register (data/sample); to start your own instead, see "Your own register" in README.md',
      );
    }
    const statusFile = path.join(sampleDir(), 'directory-status.json');
    const directory =
      overrides.directory ??
      createDirectory(config, store, {
        now,
        localStatusFile: config.localMode && fs.existsSync(statusFile) ? statusFile : undefined,
      });
    // Bound once the engine exists below: a register change may give a step that had nobody its people.
    let rerouteStalled = () => {};
    const caredStore = registerWithChangeNotice(store, () => {
      registerFlusher.wake();
      rerouteStalled();
    });
    const view = new RegisterView(caredStore);
    const catalogues = await loadCatalogues(path.join(projectRoot(), 'data', 'catalogues'));
    const requests = await createRequestEngine({
      requests: requestStore,
      store,
      directory,
      now,
      view,
      policiesDir: path.join(projectRoot(), 'data', 'policies'),
      catalogues,
      logger,
    });
    const router = new StalledRequestRouter(requests, logger);
    rerouteStalled = () => router.wake();
    stalledRouter = router;
    const inventory = new InventoryService({ requests: requestStore, view, now, newId: randomUUID });
    const hygiene = new HygieneCheck(
      { view, directory, requestStore, now, logger },
      { unconfirmedMonths: config.hygiene.unconfirmedMonths, overdueDays: config.hygiene.overdueDays },
    );
    // One sender, so Teams' rate limits hold across request cards, digests and handover notices.
    const sender = new ProactiveSender({
      adapter,
      appId: config.botFramework.MicrosoftAppId,
      limiter: new TeamsRateLimiter(),
      logger,
    });
    const messenger = new PersonMessenger({
      references: conversationReferences,
      sender,
      personKeyOf: directoryPersonKey(directory),
      logger,
    });
    const care = new RegisterCareService({ store: caredStore, view, now, newId: randomUUID });
    const services: AppServices = {
      config,
      logger,
      store: caredStore,
      directory,
      now,
      view,
      requests,
      catalogues,
      inventory,
      hygiene,
      care,
      tell: (person, message) => messenger.tell(person, message),
      requestStore,
      conversationReferences,
    };
    const processor = new OutboxProcessor({
      requests: requestStore,
      references: conversationReferences,
      sender,
      render: requestNotificationRenderer(services),
      logger,
      personKeyOf: directoryPersonKey(directory),
      // Graph installs the app for approvers who never opened the bot (DIRECTORY=graph + TEAMS_APP_CATALOG_ID).
      installer: createProactiveInstaller(config, { personKeyOf: directoryPersonKey(directory), logger }),
      onOutcomes: noteUndeliverableCards(requests, logger),
    });
    wakeDelivery = () => processor.wake();
    const recorder = new ConversationReferenceRecorder(conversationReferences, {
      logger,
      onStored: () => processor.wake(),
    });
    state.bot = withConversationReferences(overrides.bot ?? new TeamsBot(services), recorder);
    // The daily digest records its audit event through the wrapped store, so the flusher moves it to the log.
    const digest = new HygieneDigest({ hygiene, messenger, audit: requestStore, logger, now });
    hygieneSchedule = new HygieneScheduler({
      run: () => digest.run(),
      schedule: config.hygiene.schedule,
      timeZone: config.hygiene.timeZone,
      logger,
    });
    flusher.start();
    auditFlusher = flusher;
    registerFlusher.start();
    registerAuditFlusher = registerFlusher;
    delivery = processor;
  } catch (error) {
    await closeServer(server);
    for (const s of owned.reverse()) await s.close();
    if (ownsStore) await store?.close();
    throw error;
  }
  state.phase = 'ready';
  // Drains what a crash left pending, then whatever the engine writes next.
  delivery?.start();
  hygieneSchedule?.start();
  // Register changes made while Ansvar was stopped (an import) may have given a step that had nobody its people.
  stalledRouter?.wake();
  log.info({ url }, `ready: ${url}/api/messages`);

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      state.phase = 'stopping';
      log.info({ inFlight: turns.size }, 'stopping');
      const drained = await turns.drain(overrides.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS);
      if (!drained) log.warn({ inFlight: turns.size }, 'stopping with turns still running');
      await closeServer(server, !drained);
      // Delivery records card_delivered events, so it stops first; the flusher stops after everything that writes
      // audit events, before the audit log and the stores close.
      await hygieneSchedule?.stop();
      await stalledRouter?.stop();
      await delivery?.stop();
      await auditFlusher?.stop();
      await registerAuditFlusher?.stop();
      for (const s of owned.reverse()) await s.close();
      if (ownsStore) await store.close();
      log.info('stopped');
    })();
    return closing;
  };
  return { url, port, close };
}

async function ownedBy<T extends { close(): Promise<void> }>(
  owned: { close(): Promise<void> }[],
  opening: Promise<T>,
): Promise<T> {
  const opened = await opening;
  owned.push(opened);
  return opened;
}

function sampleDir(): string {
  return path.join(projectRoot(), 'data', 'sample');
}

/** The directory holding package.json: `bot/` under tsx, `dist/bot/` when compiled. */
export function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found above bot/app');
    dir = parent;
  }
  return dir;
}

function listen(server: ReturnType<typeof createHttpServer>, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    // restify re-emits the http server's errors on itself, where an unheard 'error' would crash with a stack.
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** Stops listening; `force` also cuts connections whose turn did not finish within the grace period. */
function closeServer(server: ReturnType<typeof createHttpServer>, force = false): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    if (force) server.server.closeAllConnections();
  });
}
