import fsp, { type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { AnsvarError, isAnsvarError } from '../../core/errors.js';
import { logger } from '../../core/logger.js';
import type { AuditHead } from '../auditLog.js';
import { CLOSED_STATUSES } from '../requestQueries.js';
import { DraftRequestStore, RequestDraft, type RequestState } from '../requestDrafts.js';
import type { CardCopy, WorkRequest } from '../requestModel.js';
import type { Effects, RequestStore } from '../requestStore.js';
import { upgradeStoredRequest } from '../requestUpgrade.js';
import type { FileIo } from './fileIo.js';
import type { StorageHealth } from '../storageHealth.js';
import { DurableJsonFile } from './durableJsonFile.js';
import { acquireFileLock, type FileLock } from './fileLock.js';
import { GroupCommit } from './groupCommit.js';
import { Journal } from './journal.js';
import { RequestArchive } from './requestArchive.js';
import {
  applyEntry,
  emptyFile,
  entryBetween,
  parseFile,
  REQUESTS_FILE_FORMAT,
  REQUESTS_FILE_FORMAT_VERSION,
  requestsFilePaths,
  toFile,
  toState,
  type RequestsFile,
  type RequestsFileNames,
} from './requestsFile.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface LowRequestStoreOptions extends RequestsFileNames {
  /** Archive inside the data directory; default `requests-archive.jsonl`. */
  archiveFileName?: string;
  /** A new snapshot is written (and the journal emptied) once the journal has grown to this size; default 4 MiB. */
  journalMaxBytes?: number;
  /** A closed request moves to the archive once it has been closed this long; default 7 days. Never deleted. */
  archiveAfterMs?: number;
  /** How often to look for requests to archive (also once at open); default 10 minutes; 0 = only at open. */
  archiveIntervalMs?: number;
  /** At most this many requests move per archive step, to bound one step's event-loop time; default 5,000. */
  archiveBatchSize?: number;
  now?: () => Date;
  /** The durable file layer's write seam (tests inject faults); default the node fs. */
  io?: FileIo;
  /** Told about writes that fail for lack of space or I/O errors. */
  health?: StorageHealth;
}

export interface LowRequestStore extends RequestStore {
  /** Moves closed requests older than the configured time to the archive now; resolves with how many moved. */
  archiveNow(): Promise<number>;
  /** Resolves once the archive index is built (it is built in the background after open). */
  archiveReady(): Promise<void>;
  auditHead(): Promise<AuditHead | undefined>;
}

/**
 * Opens the request store in `<dataDir>/requests.json` (hot) and `<dataDir>/requests-archive.jsonl` (archive),
 * owning both exclusively until close() (one lock, on the hot file). Throws StoreLocked or StoreCorrupt.
 *
 * Hot state: open requests, those closed recently, undelivered outbox items and audit events not yet in the audit
 * log, and the inventory (never archived). It is a snapshot, `requests.json` (DurableJsonFile: temp, fsync, rename,
 * fsync dir, .bak), plus a journal, `requests.journal` (journal.ts): each group of changes appends one entry with
 * what it changed and fdatasyncs it, so a decision costs a write of its own size, not of the whole hot state. Once
 * the journal reaches `journalMaxBytes`, after an archive step, at open when the journal holds entries, and after a
 * journal write that could not be undone, the group writes a new snapshot instead (next generation) and the journal
 * starts again empty. Memory changes only after the write succeeded; reads come from memory, as copies. Requests in
 * the shape of an older Ansvar are upgraded as they are read, from the hot files and from the archive
 * (`upgradeStoredRequest`); a snapshot of format version 1 is rewritten as version 2 at open, so an older Ansvar
 * refuses the files instead of reading the snapshot without its journal.
 *
 * Archive: closed requests older than `archiveAfterMs` are appended (with their card copies) to the archive, which
 * is fsynced, and only then removed from the hot file; a crash in between leaves the request in both, and the hot
 * copy wins. Nothing is ever deleted. The id → offset index is built by streaming the archive after open (open does
 * not wait for it); `get` of a request not in the hot set, `create` and archiving wait for it. A torn last archive
 * line (crash mid-append) belongs to a request still in the hot file: it is copied aside and cut off.
 */
export async function openLowRequestStore(
  dataDir: string,
  options: LowRequestStoreOptions = {},
): Promise<LowRequestStore> {
  await fsp.mkdir(dataDir, { recursive: true });
  const { filePath, journalPath } = requestsFilePaths(dataDir, options);
  const archivePath = path.join(dataDir, options.archiveFileName ?? 'requests-archive.jsonl');
  const lock = await acquireFileLock(filePath);
  let archive: FileHandle | undefined;
  let journal: Journal | undefined;
  let store: LowRequestStoreImpl;
  let replayed: number;
  let upgrade: boolean;
  try {
    let readVersion: number | undefined;
    const file = new DurableJsonFile<RequestsFile>(filePath, {
      format: REQUESTS_FILE_FORMAT,
      formatVersion: REQUESTS_FILE_FORMAT_VERSION,
      alsoReads: [1],
      parse: (data, formatVersion) => {
        readVersion = formatVersion;
        return parseFile(data, formatVersion);
      },
      io: options.io,
      health: options.health,
    });
    const db = new Low<RequestsFile>(file, emptyFile());
    await db.read();
    const opened = await Journal.open(journalPath, {
      of: REQUESTS_FILE_FORMAT,
      generation: db.data.generation,
      io: options.io,
      health: options.health,
    });
    journal = opened.journal;
    const state = toState(db.data);
    let auditHead = db.data.auditHead;
    opened.entries.forEach((entry, i) => {
      auditHead = applyEntry(state, entry, journalPath, i) ?? auditHead;
    });
    replayed = opened.entries.length;
    upgrade = readVersion !== undefined && readVersion < REQUESTS_FILE_FORMAT_VERSION;
    archive = await fsp.open(archivePath, 'a+', 0o600);
    store = new LowRequestStoreImpl(
      file,
      journal,
      db.data.generation,
      auditHead,
      lock,
      state as unknown as RequestState,
      new RequestArchive(archive, archivePath, options),
      options,
    );
  } catch (error) {
    await archive?.close();
    await journal?.close();
    await lock.release();
    throw error;
  }
  try {
    // Replayed entries go into a new snapshot, so a running store's journal holds only this run's changes.
    if (replayed > 0 || upgrade) await store.snapshotNow();
  } catch (error) {
    await store.close();
    throw error;
  }
  store.startArchiving(options);
  logger.info(
    { file: filePath, requests: store.hotCount, replayed, archive: archivePath },
    'request store opened',
  );
  return store;
}

const DEFAULT_JOURNAL_MAX_BYTES = 4 * 1024 * 1024;

class LowRequestStoreImpl extends DraftRequestStore implements LowRequestStore {
  protected state: RequestState;
  private readonly commits: GroupCommit<RequestDraft>;
  /** Set by `auditFlushed` operations in the group being written; becomes `auditHeadValue` when it commits. */
  private nextAuditHead: AuditHead | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;
  private readonly archiveAfterMs: number;
  private readonly batchSize: number;
  private readonly journalMaxBytes: number;
  private readonly now: () => Date;

  constructor(
    private readonly file: DurableJsonFile<RequestsFile>,
    private readonly journal: Journal,
    private generation: number,
    private auditHeadValue: AuditHead | undefined,
    private readonly lock: FileLock,
    initial: RequestState,
    private readonly archive: RequestArchive,
    options: LowRequestStoreOptions,
  ) {
    super();
    this.state = initial;
    this.archiveAfterMs = options.archiveAfterMs ?? 7 * DAY_MS;
    this.batchSize = options.archiveBatchSize ?? 5000;
    this.journalMaxBytes = options.journalMaxBytes ?? DEFAULT_JOURNAL_MAX_BYTES;
    this.now = options.now ?? (() => new Date());
    this.commits = new GroupCommit<RequestDraft>({
      begin: () => {
        this.nextAuditHead = this.auditHeadValue;
        return new RequestDraft(this.state);
      },
      changed: (draft) => draft.changed || this.nextAuditHead !== this.auditHeadValue,
      persist: (draft) => this.persist(draft.current, false),
      commit: (draft) => {
        this.state = draft.current;
        this.auditHeadValue = this.nextAuditHead;
      },
    });
  }

  /** Archives once now (in the background) and then every `archiveIntervalMs`. Called once, by open. */
  startArchiving(options: LowRequestStoreOptions): void {
    const interval = options.archiveIntervalMs ?? 10 * 60 * 1000;
    void this.archiveNow().catch((error: unknown) =>
      logger.error({ err: error }, 'archiving closed requests failed'),
    );
    if (interval > 0) {
      this.timer = setInterval(() => {
        void this.archiveNow().catch((error: unknown) =>
          logger.error({ err: error }, 'archiving closed requests failed'),
        );
      }, interval);
      this.timer.unref();
    }
  }

  get hotCount(): number {
    return this.state.requests.size;
  }

  /** A hot request, else an archived one. (`list` sees the hot set only: open and recently closed requests.) */
  override async get(id: string): Promise<WorkRequest | undefined> {
    this.assertOpen();
    const hot = this.state.requests.get(id);
    if (hot) return structuredClone(hot);
    const archived = await this.archive.read(id);
    return archived && upgradeStoredRequest(archived.request);
  }

  override async create(request: WorkRequest, effects?: Effects): Promise<void> {
    this.assertOpen();
    await this.archive.ready;
    await this.change((d) => d.create(request, effects, (id) => this.archive.has(id)));
  }

  override async cardCopies(requestId: string): Promise<CardCopy[]> {
    this.assertOpen();
    const hot = this.state.cardCopies.get(requestId);
    if (hot || this.state.requests.has(requestId)) return structuredClone([...(hot ?? [])]);
    return (await this.archive.read(requestId))?.cardCopies ?? [];
  }

  override auditFlushed(eventIds: string[], head?: AuditHead): Promise<void> {
    return this.change((d) => {
      d.auditFlushed(eventIds);
      if (head && (!this.nextAuditHead || head.count >= this.nextAuditHead.count)) this.nextAuditHead = head;
    });
  }

  async auditHead(): Promise<AuditHead | undefined> {
    this.assertOpen();
    return this.auditHeadValue;
  }

  /** One group commit (see GroupCommit): the draft's changes are durable when this resolves. */
  protected change<T>(operation: (draft: RequestDraft) => T): Promise<T> {
    try {
      this.assertOpen();
    } catch (error) {
      return Promise.reject(error);
    }
    return this.commits.submit(operation);
  }

  archiveReady(): Promise<void> {
    return this.archive.ready;
  }

  archiveNow(): Promise<number> {
    try {
      this.assertOpen();
    } catch (error) {
      return Promise.reject(error);
    }
    return this.commits.exclusive(async () => {
      await this.archive.ready;
      let moved = 0;
      for (;;) {
        const step = await this.archiveStep();
        moved += step;
        if (step < this.batchSize || this.closing) return moved;
      }
    });
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.timer) clearInterval(this.timer);
      await this.commits.drain();
      await this.archive.close();
      await this.journal.close();
      await this.lock.release();
    })();
    return this.closing;
  }

  /** Writes a new snapshot of the current state and empties the journal (at open; tests). */
  snapshotNow(): Promise<void> {
    return this.commits.exclusive(() => {
      this.nextAuditHead = this.auditHeadValue;
      return this.persist(this.state, true);
    });
  }

  /**
   * Makes `next` (the current state plus one group's changes) durable: one journal entry with what changed, or a
   * new snapshot when asked for, when the journal is full, or when it could not be cut back after a failed write.
   */
  private async persist(next: RequestState, snapshot: boolean): Promise<void> {
    try {
      if (snapshot || this.journal.damaged || this.journal.size >= this.journalMaxBytes) {
        await this.writeSnapshot(next);
        return;
      }
      let entry = entryBetween(this.state, next);
      if (this.nextAuditHead !== this.auditHeadValue && this.nextAuditHead) {
        entry = { ...entry, auditHead: this.nextAuditHead };
      }
      if (entry) await this.journal.append(entry);
    } catch (error) {
      const level = isAnsvarError(error, 'NotSaved') ? 'warn' : 'error';
      logger[level]({ err: error, file: this.file.path }, 'request store write failed');
      throw error;
    }
  }

  private async writeSnapshot(state: RequestState): Promise<void> {
    const generation = this.generation + 1;
    await this.file.write(toFile(state, generation, this.nextAuditHead));
    this.generation = generation;
    try {
      await this.journal.restart(generation);
    } catch (error) {
      // The snapshot holds everything; the old journal is stale and stays unused until a later snapshot restarts it.
      logger.error(
        { err: error, journal: this.journal.path },
        'request journal could not be restarted; the next change writes a snapshot',
      );
    }
  }

  /** One archive step: append up to `batchSize` due requests to the archive (fsync), then drop them from hot. */
  private async archiveStep(): Promise<number> {
    const cutoff = this.now().getTime() - this.archiveAfterMs;
    const due: WorkRequest[] = [];
    for (const request of this.state.requests.values()) {
      if (due.length >= this.batchSize) break;
      if (!CLOSED_STATUSES.includes(request.status)) continue;
      const closedAt = Date.parse(request.updatedAt);
      if (Number.isFinite(closedAt) && closedAt <= cutoff) due.push(request);
    }
    if (due.length === 0) return 0;

    await this.archive.append(due, (id) => this.state.cardCopies.get(id) ?? [], this.now().toISOString());

    const draft = new RequestDraft(this.state);
    draft.removeRequests(due.map((r) => r.id));
    // A new snapshot: the point of archiving is a smaller hot file.
    this.nextAuditHead = this.auditHeadValue;
    await this.persist(draft.current, true);
    this.state = draft.current;
    logger.info({ moved: due.length, archive: this.archive.path }, 'archived closed requests');
    return due.length;
  }

  protected assertOpen(): void {
    if (this.closing) {
      throw new AnsvarError(
        'StoreLocked',
        `the request store for ${this.file.path} is closed; it no longer owns the file`,
      );
    }
  }
}
