import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServiceClientCredentialsFactory } from 'botframework-connector';
import { StorageHealth } from '../data/storageHealth.js';
import type { FileIo } from '../data/lowdb/fileIo.js';
import type { RegisterStore } from '../data/registerStore.js';
import type { WorkRequest } from '../data/requestModel.js';
import { storeOpener } from '../data/stores.js';
import type { TimerStore } from '../data/timerStore.js';
import type { ReviewStore } from '../data/reviewStore.js';
import type { AuditLog } from '../data/auditLog.js';
import type { ConversationReferenceStore } from '../data/conversationReferenceStore.js';
import type { RequestStore } from '../data/requestStore.js';
import type { AppServices } from '../services/infrastructure/appServices.js';
import { redactedSummary, type Config } from '../services/infrastructure/config.js';
import { createDirectory, type Directory } from '../services/directory/index.js';
import { logger } from '../core/logger.js';
import { observeOutboxBacklog } from '../core/telemetry.js';
import {
  AuditFlusher,
  mayAddAudit,
  registerWithChangeNotice,
  withChangeNotice,
} from '../services/requests/auditFlusher.js';
import { loadCatalogues } from '../services/equipment/catalogue.js';
import { InventoryService } from '../services/equipment/inventory.js';
import { HygieneCheck } from '../services/hygiene/index.js';
import { RegisterCareService } from '../services/care/index.js';
import { RequestDeadlines, TIMER_KINDS, withDeadlinePlanning } from '../services/requests/deadlines.js';
import { createRequestEngine } from '../services/requests/index.js';
import { Scheduler } from '../services/time/scheduler.js';
import { RegisterView } from '../services/search/registerView.js';
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
import { reminderDigestHandler } from './delivery/reminderDigest.js';
import { renewalNoticeHandler } from './delivery/renewalNotice.js';
import { ownerCheckHandler } from './delivery/ownerCheck.js';
import { reviewTimerHandlers } from './delivery/reviews.js';
import { grantedAccesses, ReviewService } from '../services/reviews/reviewService.js';
import { OWNER_CHECK_KIND, ownerCheckTimers } from '../services/care/ownerCheck.js';
import { calendarOf, type WorkingCalendar } from '../services/time/workingTime.js';
import { warmCardTemplates } from '../cards/render.js';
import { requestNotificationRenderer } from './delivery/requestNotifications.js';
import { ProactiveSender } from './delivery/sender.js';
import { noteUndeliverableCards } from './delivery/unreachableNotes.js';
import { StalledRequestRouter } from '../services/requests/stalledRouter.js';
import type { createHttpServer } from './http.js';
import { InFlightTurns, type Bot, type ServerState } from './pipeline.js';
import { withInvokeDeduplication } from './invokeDeduplication.js';
import { TeamsBot } from './teamsBot.js';
import { StorageProbe } from './storageProbe.js';
import { createHostAdapter } from './hostAdapter.js';

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
 * The stores are the configured ones (config.store: lowdb files in the data directory, or PostgreSQL, see
 * data/stores.ts). The audit log is opened after the request store; the audit flusher starts with the bot
 * and first moves events an earlier process left pending in the request store.
 * `close()`: 503 for new requests → in-flight turns finish (bounded by `shutdownGraceMs`) → listener closed → final
 * audit flush → the stores this app opened are closed (an injected store belongs to the caller).
 */

export interface AppOverrides {
  store?: RegisterStore;
  requestStore?: RequestStore;
  conversationReferences?: ConversationReferenceStore;
  /** Default: `<dataDir>/timers.json` (+ journal), opened (and closed) by the app. */
  timerStore?: TimerStore;
  reviewStore?: ReviewStore;
  /** Default: `<dataDir>/audit.jsonl`, opened (and closed) by the app. */
  auditLog?: AuditLog;
  directory?: Directory;
  bot?: Bot;
  credentialsFactory?: ServiceClientCredentialsFactory;
  now?: () => Date;
  /** Longest wait for in-flight turns at close; default 10 s. */
  shutdownGraceMs?: number;
  /** The durable file layer's write seam for the stores this app opens (fault tests); default the node fs. */
  fileIo?: FileIo;
  /** Shared with stores the caller opened (and injected), so their write failures reach /healthz too. */
  storageHealth?: StorageHealth;
  /** While a data file cannot be written, how often to try a probe write to see whether space is back; default 5 s. */
  storageProbeMs?: number;
}

export interface RunningApp {
  /** Base URL, e.g. http://127.0.0.1:3978 */
  url: string;
  port: number;
  /**
   * Runs the timers due now (reminders, escalation, expiry, digests) and resolves with how many ran: for tests that
   * move an injected clock. The app's own scheduler does the same on its own.
   */
  runDueTimers(): Promise<number>;
  /** Idempotent; resolves once the listener and the store are closed. */
  close(): Promise<void>;
}

const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;
/** How long after ready the card templates are parsed in the background. */
const CARD_WARM_UP_DELAY_MS = 2_000;
/** How long after ready the deadlines and owner checks are planned and the scheduler starts. */
const PLANNING_DELAY_MS = 250;

export async function startApp(config: Config, overrides: AppOverrides = {}): Promise<RunningApp> {
  const log = logger.child({ component: 'app' });
  const offsetMs = config.clockOffset?.ms ?? 0;
  const now = overrides.now ?? (() => new Date(Date.now() + offsetMs));
  log.info({ config: redactedSummary(config) }, 'starting');
  if (config.clockOffset) {
    log.warn(
      { clockOffset: config.clockOffset.iso, now: now().toISOString() },
      `clock shifted by ANSVAR_CLOCK_OFFSET=${config.clockOffset.iso} (local mode, for trying reminders by hand)`,
    );
  }
  if (config.localMode) {
    log.warn('local mode: no authentication; for a developer machine or the Agents Playground only');
  }

  const host = await createHostAdapter(config, { logger, credentialsFactory: overrides.credentialsFactory });
  const health = overrides.storageHealth ?? new StorageHealth();
  const state: ServerState = { phase: 'starting', storage: health };
  const turns = new InFlightTurns();
  // Each host is loaded only when chosen: ANSVAR_HOST=agents (Express) never loads restify, whose `spdy` dependency
  // Node 24 cannot load.
  const server =
    host.sdk === 'agents'
      ? asListener(
          (await import('./agentsHost.js')).createAgentsHttpServer({
            config,
            logger,
            state,
            turns,
            adapter: host.adapter,
          }),
        )
      : (await import('./http.js')).createHttpServer({ config, adapter: host.adapter, logger, state, turns });
  await listen(server, config.port, config.host);
  const port = (server.address() as { port: number }).port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;

  let store: RegisterStore | undefined;
  // The configured store (lowdb files or PostgreSQL); only the parts not injected are opened, and closed by the app.
  const stores = storeOpener(config.store, { io: overrides.fileIo, health });
  let auditFlusher: AuditFlusher | undefined;
  let registerAuditFlusher: AuditFlusher | undefined;
  let delivery: OutboxProcessor | undefined;
  let stopBacklogGauge = (): void => undefined;
  let hygieneSchedule: HygieneScheduler | undefined;
  let stalledRouter: StalledRequestRouter | undefined;
  let scheduler: Scheduler | undefined;
  let deadlines: RequestDeadlines | undefined;
  let ownerChecks: (() => Promise<void>) | undefined;
  let recoverReviews: (() => Promise<number>) | undefined;
  const storageProbe = new StorageProbe(health, config.dataDir, overrides.storageProbeMs ?? 5_000, log);
  try {
    store = overrides.store ?? (await stores.register());
    const storedRequests = overrides.requestStore ?? (await stores.requests());
    // The stores' recorded chain heads: an embedded audit log that is missing, shorter or different is refused.
    const auditLog =
      overrides.auditLog ??
      (await stores.audit([
        { store: 'register', head: await store.auditHead?.() },
        { store: 'request', head: await storedRequests.auditHead?.() },
      ]));
    // Every write that may add audit events wakes the flusher; the write itself never waits for the audit log.
    const flusher = new AuditFlusher({ source: storedRequests, name: 'requests', auditLog, logger });
    // Register changes made in Teams carry their audit events in the register store's own atomic write.
    const registerFlusher = new AuditFlusher({ source: store, name: 'register', auditLog, logger });
    // Bound once delivery exists below; a write before that (there is none at start) only wakes the flusher.
    let wakeDelivery = () => {};
    const requestStore = withChangeNotice(storedRequests, (change) => {
      if (mayAddAudit(change)) flusher.wake();
      // Only a change of a request or an inventory item writes outbox items: the outbox's own bookkeeping (a
      // notice settled, an attempt counted) would make one more claim per notice.
      if (change === 'create' || change === 'update' || change === 'updateInventoryItem') wakeDelivery();
    });
    const conversationReferences = overrides.conversationReferences ?? (await stores.conversations());
    if (config.localMode && config.sampleOnEmpty && (await store.revision()) === 0) {
      // The importer (and its CSV parser) is loaded only for this first start of an empty register.
      const { loadSampleRegister } = await import('../services/register/importer.js');
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
    // Bound once the timers exist below: a system added in Teams gets its yearly owner check.
    let planOwnerChecks = () => {};
    const caredStore = registerWithChangeNotice(store, () => {
      registerFlusher.wake();
      rerouteStalled();
      planOwnerChecks();
    });
    const view = new RegisterView(caredStore);
    const catalogues = await loadCatalogues(path.join(projectRoot(), 'data', 'catalogues'));
    const timers = overrides.timerStore ?? (await stores.timers());
    // Bound once the deadlines exist below: every committed request change plans its timers again.
    let planDeadlines = (_request: WorkRequest): Promise<void> => Promise.resolve();
    const requests = await createRequestEngine({
      requests: withDeadlinePlanning(
        requestStore,
        {
          plan: (request) => planDeadlines(request),
          timersFor: (request) => requestDeadlines.timersFor(request),
          planned: (_request, planned) => scheduler?.planned(planned),
        },
        logger,
      ),
      store,
      directory,
      now,
      view,
      policiesDir: path.join(projectRoot(), 'data', 'policies'),
      catalogues,
      logger,
    });
    const requestDeadlines = new RequestDeadlines({
      engine: requests,
      audit: requestStore,
      timers,
      view,
      now,
      logger,
      plansWithChanges: requestStore.plansTimers === true,
    });
    planDeadlines = async (request) => {
      scheduler?.planned(await requestDeadlines.plan(request));
    };
    deadlines = requestDeadlines;
    // Adds the owner check of every system that has none planned (one write; planned ones are kept).
    ownerChecks = async () => {
      const indexes = await view.current();
      const calendars = new Map<string, WorkingCalendar>();
      for (const id of indexes.organisations.keys())
        calendars.set(id, await requestDeadlines.calendarFor(id));
      const wanted = ownerCheckTimers(
        indexes.register.systems,
        now(),
        (s) => calendars.get(s.organisationId) ?? calendarOf('SE'),
      );
      const added = new Set(await timers.add(wanted));
      scheduler?.planned(wanted.filter((t) => added.has(t.id)));
    };
    planOwnerChecks = () => {
      void ownerChecks?.().catch((error: unknown) =>
        log.error({ err: error }, 'could not plan owner checks'),
      );
    };
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
      adapter: host.proactive,
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
    const reviewStore = overrides.reviewStore ?? (await stores.reviews());
    const reviews = new ReviewService({
      store: reviewStore,
      view,
      engine: requests,
      audit: requestStore,
      timers,
      granted: (systemId) =>
        grantedAccesses({ audit: auditLog, get: (id) => requests.get(id).catch(() => undefined) }, systemId),
      now,
      newId: randomUUID,
      logger,
    });
    recoverReviews = () => reviews.recover();
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
      reviews,
      tell: (person, message) => messenger.tell(person, message),
      requestStore,
      conversationReferences,
      pendingDownloads: await stores.pendingDownloads(),
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
      pollIntervalMs: config.outboxPollSeconds * 1000,
      concurrency: config.outboxConcurrency,
    });
    wakeDelivery = () => processor.wake();
    // The oldest undelivered notice's age, read when metrics are collected (nothing when telemetry is off).
    stopBacklogGauge = observeOutboxBacklog(
      async () => (await requestStore.pendingOutbox(1))[0]?.createdAt,
      now,
    );
    scheduler = new Scheduler({
      timers,
      handlers: {
        ...requestDeadlines.handlers(),
        [TIMER_KINDS.digest]: reminderDigestHandler({
          services,
          deadlines: requestDeadlines,
          messenger,
          audit: requestStore,
          now,
          logger,
        }),
        [TIMER_KINDS.renew]: renewalNoticeHandler({ services, messenger, logger }),
        ...reviewTimerHandlers({
          reviews,
          view,
          tell: (person, message) => messenger.tell(person, message),
          logger,
        }),
        [OWNER_CHECK_KIND]: ownerCheckHandler({
          services,
          timers,
          messenger,
          audit: requestStore,
          calendarFor: (organisationId) => requestDeadlines.calendarFor(organisationId),
          now,
          logger,
        }),
      },
      now,
      logger,
    });
    const recorder = new ConversationReferenceRecorder(conversationReferences, {
      logger,
      onStored: () => processor.wake(),
    });
    state.bot = withInvokeDeduplication(
      withConversationReferences(overrides.bot ?? new TeamsBot(services), recorder),
      await stores.activities(),
      logger,
    );
    // The daily digest records its audit event through the wrapped store, so the flusher moves it to the log.
    const digest = new HygieneDigest({ hygiene, messenger, audit: requestStore, logger, now });
    hygieneSchedule = new HygieneScheduler({
      run: () => digest.run(),
      schedule: config.hygiene.schedule,
      timeZone: config.hygiene.timeZone,
      claim: async (dueAt) => (await stores.schedule()).claim('hygiene-digest', dueAt),
      logger,
    });
    flusher.start();
    auditFlusher = flusher;
    registerFlusher.start();
    registerAuditFlusher = registerFlusher;
    delivery = processor;
  } catch (error) {
    storageProbe.stop();
    await closeServer(server);
    await stores.close();
    throw error;
  }
  state.phase = 'ready';
  // The card templates are parsed a moment after the start (a card asked for sooner is parsed at once): parsing them
  // loads adaptive-expressions and its ANTLR runtime, a few hundred ms of the only thread, which would otherwise
  // hold the first health probe and the first question that arrive right after ready.
  const warmUp = setTimeout(() => {
    void warmCardTemplates().catch((error: unknown) =>
      log.error({ err: error }, 'could not parse the card templates'),
    );
  }, CARD_WARM_UP_DELAY_MS);
  warmUp.unref();
  // Drains what a crash left pending, then whatever the engine writes next.
  delivery?.start();
  hygieneSchedule?.start();
  // Requests changed while timers could not be planned (a crash between the two) are planned now; then timers that
  // fell due while Ansvar was stopped run once.
  // A moment after ready, like the card templates: planning loads the holiday calendars (date-holidays, moment).
  const planning = new Promise<void>((resolve) => setTimeout(resolve, PLANNING_DELAY_MS))
    .then(() => deadlines?.planAll())
    .then(() => ownerChecks?.())
    .then(() => recoverReviews?.())
    .catch((error: unknown) => log.error({ err: error }, 'could not plan the deadlines of open requests'))
    .finally(() => scheduler?.start());
  // Register changes made while Ansvar was stopped (an import) may have given a step that had nobody its people.
  stalledRouter?.wake();
  log.info({ url }, `ready: ${url}/api/messages`);

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      clearTimeout(warmUp);
      state.phase = 'stopping';
      log.info({ inFlight: turns.size }, 'stopping');
      const drained = await turns.drain(overrides.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS);
      if (!drained) log.warn({ inFlight: turns.size }, 'stopping with turns still running');
      await closeServer(server, !drained);
      // Delivery records card_delivered events, so it stops first; the flusher stops after everything that writes
      // audit events, before the audit log and the stores close.
      await hygieneSchedule?.stop();
      await planning;
      await scheduler?.stop();
      await stalledRouter?.stop();
      await delivery?.stop();
      await auditFlusher?.stop();
      await registerAuditFlusher?.stop();
      storageProbe.stop();
      stopBacklogGauge();
      await stores.close();
      log.info('stopped');
    })();
    return closing;
  };
  const runDueTimers = async () => {
    await planning;
    return scheduler ? scheduler.tick() : 0;
  };
  return { url, port, runDueTimers, close };
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

type Listener = ReturnType<typeof createHttpServer>;

/** A plain Node server (the Agents host) in the shape listen/closeServer use of restify's: itself as `server`. */
function asListener(server: http.Server): Listener {
  return Object.assign(server, { server }) as unknown as Listener;
}

function listen(server: Listener, port: number, host: string): Promise<void> {
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
function closeServer(server: Listener, force = false): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    if (force) server.server.closeAllConnections();
  });
}
