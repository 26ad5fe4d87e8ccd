import type { AuditHead, AuditLog } from './auditLog.js';
import type { ConversationReferenceStore } from './conversationReferenceStore.js';
import type { HandledActivities } from './handledActivities.js';
import type { RegisterSnapshot } from './model.js';
import type { PendingDownloadStore } from './pendingDownloadStore.js';
import type { RegisterStore } from './registerStore.js';
import type { RequestStore } from './requestStore.js';
import type { ReviewStore } from './reviewStore.js';
import type { ScheduleClaims } from './scheduleClaims.js';
import type { StorageHealth } from './storageHealth.js';
import type { TimerStore } from './timerStore.js';
import { openAuditLog } from './lowdb/auditLogFile.js';
import type { FileIo } from './lowdb/fileIo.js';
import { openLowConversationReferenceStore } from './lowdb/lowConversationReferenceStore.js';
import { openLowRegisterStore, readLowRegisterSnapshot } from './lowdb/lowRegisterStore.js';
import { openLowRequestStore } from './lowdb/lowRequestStore.js';
import { openLowReviewStore } from './lowdb/lowReviewStore.js';
import { openLowTimerStore } from './lowdb/lowTimerStore.js';
import { MemoryHandledActivities } from './memory/memoryHandledActivities.js';
import { MemoryPendingDownloadStore } from './memory/memoryPendingDownloadStore.js';
import { MemoryScheduleClaims } from './memory/memoryScheduleClaims.js';
import type { PostgresStores } from './postgres/index.js';

/**
 * Which store Ansvar keeps its data in: the embedded lowdb files of one data directory (one process owns them), or
 * PostgreSQL (any number of instances on one database; `connectionString` absent: the PG* variables).
 */
export type StoreSettings =
  | { kind: 'lowdb'; dataDir: string }
  | {
      kind: 'postgres';
      connectionString?: string;
      poolMax?: number;
      /** How long an instance's claim on an outbox item holds; default 120 s. */
      outboxLeaseMs?: number;
      /** This instance's name in outbox claims and schedule runs; default a random UUID. */
      instanceId?: string;
      /** Schema migration at open; default true. */
      migrate?: boolean;
      /** The connections' application_name; default `ansvar` (see data/postgres/database.ts). */
      applicationName?: string;
    };

/**
 * Opens the parts of the configured store on first use and closes what it opened, newest first. Callers never
 * learn which store they have: every part keeps its contract (one file per contract at the top of data/).
 * With PostgreSQL the first part opened connects (one pool for all parts) and brings the schema up to date.
 */
export interface StoreOpener {
  readonly kind: StoreSettings['kind'];
  register(): Promise<RegisterStore>;
  /**
   * The register as committed now, for reading only (dry runs, exports): the embedded store's file is read without
   * its lock, so this works while the bot runs; PostgreSQL is read like any client reads it.
   */
  registerSnapshot(): Promise<RegisterSnapshot>;
  requests(): Promise<RequestStore>;
  /**
   * `expectHeads`: the chain heads the register and request stores recorded; an embedded audit log that is missing,
   * shorter or different is refused. PostgreSQL keeps the chain in the same database and needs none.
   */
  audit(expectHeads?: ReadonlyArray<{ store: string; head: AuditHead | undefined }>): Promise<AuditLog>;
  conversations(): Promise<ConversationReferenceStore>;
  /** Durable timers (reminders, escalation, expiry, renewals, owner checks). */
  timers(): Promise<TimerStore>;
  /** Once-per-due-time claims for scheduled work. */
  schedule(): Promise<ScheduleClaims>;
  /** Invokes already taken on, so a retried invoke is answered and not executed twice. */
  activities(): Promise<HandledActivities>;
  /** List downloads waiting for the user's file consent. */
  pendingDownloads(): Promise<PendingDownloadStore>;
  /** Access-review campaigns and imported access lists. */
  reviews(): Promise<ReviewStore>;
  /** Idempotent. */
  close(): Promise<void>;
}

type Closable = { close(): Promise<void> };

/** The embedded store's file layer: the write seam (fault tests) and the shared full-disk state. */
export interface LowdbFileOptions {
  io?: FileIo;
  health?: StorageHealth;
}

export function storeOpener(settings: StoreSettings, files: LowdbFileOptions = {}): StoreOpener {
  const opened: Closable[] = [];
  const once = <T extends Closable>(open: () => Promise<T>): (() => Promise<T>) => {
    let opening: Promise<T> | undefined;
    return () =>
      (opening ??= open().then((part) => {
        opened.push(part);
        return part;
      }));
  };
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      for (const part of opened.splice(0).reverse()) await part.close();
    })());

  if (settings.kind === 'lowdb') {
    let auditOpening: Promise<AuditLog> | undefined;
    const dir = settings.dataDir;
    const claims = new MemoryScheduleClaims();
    const handled = new MemoryHandledActivities();
    const downloads = new MemoryPendingDownloadStore();
    return {
      kind: 'lowdb',
      register: once(() => openLowRegisterStore(dir, files)),
      registerSnapshot: () => readLowRegisterSnapshot(dir),
      requests: once(() => openLowRequestStore(dir, files)),
      audit: (expectHeads) => (auditOpening ??= once(() => openAuditLog(dir, { ...files, expectHeads }))()),
      conversations: once(() => openLowConversationReferenceStore(dir, files)),
      timers: once(() => openLowTimerStore(dir)),
      schedule: async () => claims,
      activities: async () => handled,
      pendingDownloads: async () => downloads,
      reviews: once(() => openLowReviewStore(dir, files)),
      close,
    };
  }
  const postgres = once(async (): Promise<PostgresStores> => {
    const { openPostgresStores } = await import('./postgres/index.js');
    return openPostgresStores(settings);
  });
  return {
    kind: 'postgres',
    register: async () => (await postgres()).register,
    registerSnapshot: async () => (await postgres()).register.snapshot(),
    requests: async () => (await postgres()).requests,
    audit: async () => (await postgres()).audit,
    conversations: async () => (await postgres()).conversations,
    timers: async () => (await postgres()).timers,
    schedule: async () => (await postgres()).schedule,
    activities: async () => (await postgres()).activities,
    pendingDownloads: async () => (await postgres()).pendingDownloads,
    reviews: async () => (await postgres()).reviews,
    close,
  };
}
