import fsp, { type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { z } from 'zod';
import { AnsvarError, isAnsvarError } from '../../core/errors.js';
import { logger } from '../../core/logger.js';
import { AppendOnlyFile, type FileIo, type StorageHealth } from './durableAppend.js';
import { DurableJsonFile } from './durableJsonFile.js';
import { acquireFileLock, type FileLock } from './fileLock.js';
import { Journal, readJournalEntries } from './journal.js';
import { CLOSED_STATUSES, DraftRequestStore, RequestDraft, type RequestState } from '../requestDrafts.js';
import type { AuditEvent, CardCopy, InventoryItem, OutboxItem, WorkRequest } from '../requestModel.js';
import type { AuditHead } from '../auditLog.js';
import type { Effects, RequestStore } from '../requestStore.js';
import { upgradeStoredRequest, type StoredRequest } from '../requestUpgrade.js';

export const REQUESTS_FILE_FORMAT = 'ansvar-requests';
/** 2: the snapshot names its generation and has a journal; 1 (still read): a snapshot alone, maybe no inventory. */
export const REQUESTS_FILE_FORMAT_VERSION = 2;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface LowRequestStoreOptions {
  /** Hot file inside the data directory; default `requests.json`. */
  fileName?: string;
  /** Archive inside the data directory; default `requests-archive.jsonl`. */
  archiveFileName?: string;
  /** Journal of the hot file inside the data directory; default `<fileName without .json>.journal`. */
  journalFileName?: string;
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
 * What `requests.json` holds: the hot set of requests (open ones and those closed recently), and the whole
 * inventory, which is small and changes rarely, so it stays in the durable file instead of moving to the archive.
 * Requests may be in an older shape (see requestUpgrade.ts); files written before inventory existed lack it.
 * `generation` counts snapshots: the journal's entries apply to the snapshot of the journal's generation.
 */
interface RequestsFile {
  generation: number;
  requests: StoredRequest[];
  outbox: OutboxItem[];
  cardCopies: CardCopy[];
  pendingAudit: AuditEvent[];
  inventory: InventoryItem[];
  /** The audit log's chain head after this store's last flush (files written before it existed lack it). */
  auditHead?: AuditHead;
}

/** One line of the archive. `id` is written first so the index can be built without parsing each line. */
interface ArchiveRecord {
  id: string;
  archivedAt: string;
  request: StoredRequest;
  cardCopies: CardCopy[];
}

/** The envelope's checksum already proves Ansvar wrote the file; this only guards the top-level shape. */
const requestShape = z.looseObject({ id: z.string(), version: z.number().int(), status: z.string() });
const idShape = z.looseObject({ id: z.string() });
const cardCopyShape = z.looseObject({ requestId: z.string() });
const inventoryShape = z.looseObject({ id: z.string(), version: z.number().int() });
const auditHeadShape = z.strictObject({ count: z.number().int().nonnegative(), hash: z.string() });
const fileShape = z.object({
  auditHead: auditHeadShape.optional(),
  generation: z.number().int().nonnegative(),
  requests: z.array(requestShape),
  outbox: z.array(idShape),
  cardCopies: z.array(cardCopyShape),
  pendingAudit: z.array(idShape),
  inventory: z.array(inventoryShape),
});
/** Version 1: no generation (no journal existed), and files written before inventory existed lack it. */
const fileShapeV1 = fileShape
  .omit({ generation: true, auditHead: true })
  .extend({ inventory: fileShape.shape.inventory.optional() });

function parseFile(data: unknown, formatVersion: number): RequestsFile {
  if (formatVersion === 1) {
    const result = fileShapeV1.safeParse(data);
    if (!result.success) throw new Error(z.prettifyError(result.error));
    const file = data as Omit<RequestsFile, 'inventory' | 'generation'> & { inventory?: InventoryItem[] };
    return { ...file, generation: 0, inventory: file.inventory ?? [] };
  }
  const result = fileShape.safeParse(data);
  if (!result.success) throw new Error(z.prettifyError(result.error));
  return data as RequestsFile;
}

function emptyFile(): RequestsFile {
  return { generation: 0, requests: [], outbox: [], cardCopies: [], pendingAudit: [], inventory: [] };
}

const COLLECTIONS = ['requests', 'outbox', 'cardCopies', 'pendingAudit', 'inventory'] as const;
type Collection = (typeof COLLECTIONS)[number];
type MutableState = { -readonly [K in Collection]: Map<string, unknown> };

/**
 * One journal entry: what one group of changes did to each of the state's maps (values set, keys removed), by key.
 * Card copies are keyed by request id, with all of that request's copies as the value.
 */
const part = <T extends z.ZodType>(value: T) =>
  z.strictObject({
    set: z.array(z.tuple([z.string(), value])).optional(),
    del: z.array(z.string()).optional(),
  });
const entryShape = z.strictObject({
  requests: part(requestShape).optional(),
  outbox: part(idShape).optional(),
  cardCopies: part(z.array(cardCopyShape)).optional(),
  pendingAudit: part(idShape).optional(),
  inventory: part(inventoryShape).optional(),
  auditHead: auditHeadShape.optional(),
});
type JournalEntry = Partial<Record<Collection, { set?: Array<[string, unknown]>; del?: string[] }>> & {
  auditHead?: AuditHead;
};

function toState(file: RequestsFile): MutableState {
  const cardCopies = new Map<string, CardCopy[]>();
  for (const copy of file.cardCopies) {
    const list = cardCopies.get(copy.requestId) ?? [];
    list.push(copy);
    cardCopies.set(copy.requestId, list);
  }
  return {
    requests: new Map(file.requests.map((r) => [r.id, upgradeStoredRequest(r)])),
    outbox: new Map(file.outbox.map((o) => [o.id, o])),
    cardCopies,
    pendingAudit: new Map(file.pendingAudit.map((e) => [e.id, e])),
    inventory: new Map(file.inventory.map((i) => [i.id, i])),
  };
}

/** The entry that turns `base` into `next`; undefined when nothing differs. Maps a draft did not touch are skipped. */
function entryBetween(base: RequestState, next: RequestState): JournalEntry | undefined {
  const entry: JournalEntry = {};
  for (const name of COLLECTIONS) {
    const before = base[name] as ReadonlyMap<string, unknown>;
    const after = next[name] as ReadonlyMap<string, unknown>;
    if (before === after) continue;
    const set: Array<[string, unknown]> = [];
    const del: string[] = [];
    // Drafts copy a map on first change and never change a stored value in place: a new value is a new object.
    for (const [key, value] of after) if (before.get(key) !== value) set.push([key, value]);
    for (const key of before.keys()) if (!after.has(key)) del.push(key);
    if (set.length > 0 || del.length > 0) {
      entry[name] = { ...(set.length > 0 ? { set } : {}), ...(del.length > 0 ? { del } : {}) };
    }
  }
  return Object.keys(entry).length > 0 ? entry : undefined;
}

/** Applies one journal entry to `state`; returns the audit head it records, if any. */
function applyEntry(
  state: MutableState,
  raw: unknown,
  journal: string,
  index: number,
): AuditHead | undefined {
  const result = entryShape.safeParse(raw);
  if (!result.success) {
    throw new AnsvarError(
      'StoreCorrupt',
      `Journal ${journal} has a valid checksum but unexpected content in entry ${index + 1}: ${z.prettifyError(result.error)}. ` +
        'Ansvar has not changed it; restore the data directory from a backup.',
      { path: journal },
    );
  }
  const entry = raw as JournalEntry;
  for (const name of COLLECTIONS) {
    const change = entry[name];
    if (!change) continue;
    for (const key of change.del ?? []) state[name].delete(key);
    for (const [key, value] of change.set ?? []) {
      state[name].set(key, name === 'requests' ? upgradeStoredRequest(value as StoredRequest) : value);
    }
  }
  return entry.auditHead;
}

function toFile(state: RequestState, generation: number, auditHead: AuditHead | undefined): RequestsFile {
  return {
    ...(auditHead ? { auditHead } : {}),
    generation,
    requests: [...state.requests.values()],
    outbox: [...state.outbox.values()],
    cardCopies: [...state.cardCopies.values()].flat(),
    pendingAudit: [...state.pendingAudit.values()],
    inventory: [...state.inventory.values()],
  };
}

interface Pending<D> {
  operation: (draft: D) => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Serialises every change to one file and commits them in groups: operations submitted while a write is on its way
 * are applied, in order, to one draft and written with one durable write (one fsync, one serialisation of the
 * file). An operation that throws is rejected alone and its draft changes are not made (drafts validate first); it
 * is rejected only once the group's write has settled, so a caller that reads after a RevisionConflict sees the
 * change it lost to. If the write fails, every operation of the group is rejected and the current state stays as it
 * was. `exclusive` runs a task that no group overlaps (e.g. moving requests to an archive).
 */
export class GroupCommit<D> {
  private pending: Array<Pending<D>> = [];
  private tail: Promise<void> = Promise.resolve();
  private scheduled = false;

  constructor(
    private readonly hooks: {
      begin: () => D;
      changed: (draft: D) => boolean;
      persist: (draft: D) => Promise<void>;
      commit: (draft: D) => void;
    },
  ) {}

  submit<T>(operation: (draft: D) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ operation, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        this.tail = this.tail.then(() => this.flush());
      }
    });
  }

  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.tail.then(task);
    this.tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Resolves when everything submitted so far has settled. */
  async drain(): Promise<void> {
    let seen: Promise<void> | undefined;
    while (seen !== this.tail) {
      seen = this.tail;
      await seen;
    }
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const batch = this.pending.splice(0);
    const draft = this.hooks.begin();
    const done: Array<{ pending: Pending<D>; value: unknown }> = [];
    const failed: Array<{ pending: Pending<D>; error: unknown }> = [];
    for (const pending of batch) {
      try {
        done.push({ pending, value: pending.operation(draft) });
      } catch (error) {
        failed.push({ pending, error });
      }
    }
    try {
      if (done.length > 0 && this.hooks.changed(draft)) {
        try {
          await this.hooks.persist(draft);
        } catch (error) {
          for (const { pending } of done) pending.reject(error);
          return;
        }
        this.hooks.commit(draft);
      }
      for (const { pending, value } of done) pending.resolve(value);
    } finally {
      for (const { pending, error } of failed) pending.reject(error);
    }
  }
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
  const filePath = path.join(dataDir, options.fileName ?? 'requests.json');
  const archivePath = path.join(dataDir, options.archiveFileName ?? 'requests-archive.jsonl');
  const journalPath = path.join(
    dataDir,
    options.journalFileName ?? `${path.basename(filePath).replace(/\.json$/, '')}.journal`,
  );
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
      archive,
      archivePath,
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

/**
 * The audit chain head the request store in `dataDir` recorded (snapshot, then journal), read without the lock
 * and without changing anything, for `npm run audit -- --check` beside a running Ansvar. Undefined when none was
 * recorded yet (or the store does not exist).
 */
export async function readRequestStoreAuditHead(
  dataDir: string,
  options: Pick<LowRequestStoreOptions, 'fileName' | 'journalFileName'> = {},
): Promise<AuditHead | undefined> {
  const filePath = path.join(dataDir, options.fileName ?? 'requests.json');
  const journalPath = path.join(
    dataDir,
    options.journalFileName ?? `${path.basename(filePath).replace(/\.json$/, '')}.journal`,
  );
  // No snapshot yet: the store has only its journal, of generation 0.
  let envelope: { formatVersion?: number; data?: { generation?: number; auditHead?: AuditHead } } = {
    formatVersion: REQUESTS_FILE_FORMAT_VERSION,
    data: { generation: 0 },
  };
  try {
    envelope = JSON.parse(await fsp.readFile(filePath, 'utf8')) as typeof envelope;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  let head = envelope.data?.auditHead;
  if (envelope.formatVersion !== REQUESTS_FILE_FORMAT_VERSION) return head;
  const entries = await readJournalEntries(journalPath, {
    of: REQUESTS_FILE_FORMAT,
    generation: envelope.data?.generation ?? 0,
  });
  for (const entry of entries) head = (entry as JournalEntry).auditHead ?? head;
  return head;
}

const DEFAULT_JOURNAL_MAX_BYTES = 4 * 1024 * 1024;

interface ArchiveEntry {
  offset: number;
  length: number;
  version: number;
}

class LowRequestStoreImpl extends DraftRequestStore implements LowRequestStore {
  protected state: RequestState;
  private readonly commits: GroupCommit<RequestDraft>;
  private readonly index = new Map<string, ArchiveEntry>();
  /** The archive's durable appends; its length is the bytes known complete (every later append starts there). */
  private readonly archiveFile: AppendOnlyFile;
  /** Set by `auditFlushed` operations in the group being written; becomes `auditHeadValue` when it commits. */
  private nextAuditHead: AuditHead | undefined;
  private readonly indexing: Promise<void>;
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
    private readonly archive: FileHandle,
    private readonly archivePath: string,
    options: LowRequestStoreOptions,
  ) {
    super();
    this.state = initial;
    this.archiveAfterMs = options.archiveAfterMs ?? 7 * DAY_MS;
    this.batchSize = options.archiveBatchSize ?? 5000;
    this.journalMaxBytes = options.journalMaxBytes ?? DEFAULT_JOURNAL_MAX_BYTES;
    this.now = options.now ?? (() => new Date());
    this.archiveFile = new AppendOnlyFile(archivePath, archive, 0, {
      io: options.io,
      health: options.health,
    });
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
    this.indexing = this.buildIndex();
    // A failed index build is reported by every call that needs it; this keeps it from being unhandled meanwhile.
    this.indexing.catch((error: unknown) =>
      logger.error({ err: error, archive: archivePath }, 'request archive index failed'),
    );
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
    const archived = await this.readArchived(id);
    return archived && upgradeStoredRequest(archived.request);
  }

  override async create(request: WorkRequest, effects?: Effects): Promise<void> {
    this.assertOpen();
    await this.indexing;
    await this.change((d) => d.create(request, effects, (id) => this.index.has(id)));
  }

  override async cardCopies(requestId: string): Promise<CardCopy[]> {
    this.assertOpen();
    const hot = this.state.cardCopies.get(requestId);
    if (hot || this.state.requests.has(requestId)) return structuredClone([...(hot ?? [])]);
    return (await this.readArchived(requestId))?.cardCopies ?? [];
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
    return this.indexing;
  }

  archiveNow(): Promise<number> {
    try {
      this.assertOpen();
    } catch (error) {
      return Promise.reject(error);
    }
    return this.commits.exclusive(async () => {
      await this.indexing;
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
      await this.indexing.catch(() => undefined);
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

    const archivedAt = this.now().toISOString();
    const lines: Buffer[] = [];
    const entries: Array<[string, ArchiveEntry]> = [];
    let offset = this.archiveFile.length;
    for (const request of due) {
      // Appended before by a step that crashed before the hot write: the archive already holds this version.
      const known = this.index.get(request.id);
      if (known) {
        const version =
          known.version >= 0 ? known.version : (await this.readArchived(request.id))?.request.version;
        if (version === request.version) continue;
      }
      const record: ArchiveRecord = {
        id: request.id,
        archivedAt,
        request,
        cardCopies: [...(this.state.cardCopies.get(request.id) ?? [])],
      };
      const line = Buffer.from(`${JSON.stringify(record)}\n`, 'utf8');
      lines.push(line);
      entries.push([request.id, { offset, length: line.length - 1, version: request.version }]);
      offset += line.length;
    }
    if (lines.length > 0) {
      await this.archiveFile.append(Buffer.concat(lines));
      for (const [id, entry] of entries) this.index.set(id, entry);
    }

    const draft = new RequestDraft(this.state);
    draft.removeRequests(due.map((r) => r.id));
    // A new snapshot: the point of archiving is a smaller hot file.
    this.nextAuditHead = this.auditHeadValue;
    await this.persist(draft.current, true);
    this.state = draft.current;
    logger.info({ moved: due.length, archive: this.archivePath }, 'archived closed requests');
    return due.length;
  }

  private async readArchived(id: string): Promise<ArchiveRecord | undefined> {
    await this.indexing;
    const entry = this.index.get(id);
    if (!entry) return undefined;
    const buffer = Buffer.alloc(entry.length);
    const { bytesRead } = await this.archive.read(buffer, 0, entry.length, entry.offset);
    let record: ArchiveRecord;
    try {
      if (bytesRead !== entry.length) throw new Error(`short read (${bytesRead} of ${entry.length} bytes)`);
      record = JSON.parse(buffer.toString('utf8')) as ArchiveRecord;
      if (record.id !== id || record.request?.id !== id) throw new Error('the line holds another request');
    } catch (error) {
      throw new AnsvarError(
        'StoreCorrupt',
        `Request archive ${this.archivePath} is damaged at byte ${entry.offset} (request ${id}): ${(error as Error).message}. ` +
          'Ansvar has not changed it; restore it from a backup.',
        { path: this.archivePath, offset: entry.offset },
        { cause: error },
      );
    }
    return record;
  }

  /**
   * Streams the archive once: for every line, the id (read from the line's fixed `{"id":"` prefix, without parsing
   * the line) and where the line is. A later line for the same id wins. A last line without its newline is the
   * tail of an append that never completed.
   */
  private async buildIndex(): Promise<void> {
    const started = process.hrtime.bigint();
    const prefix = Buffer.from('{"id":"', 'utf8');
    let position = 0;
    let carry: Buffer = Buffer.alloc(0);
    const stream = this.archive.createReadStream({ autoClose: false, start: 0, highWaterMark: 1 << 20 });
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const data = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      let start = 0;
      for (;;) {
        const newline = data.indexOf(10, start);
        if (newline < 0) break;
        this.indexLine(data, start, newline, position + start, prefix);
        start = newline + 1;
      }
      position += start;
      carry = data.subarray(start);
    }
    this.archiveFile.reset(this.archive, position);
    if (carry.length > 0) await this.repairTornTail(carry, position);
    logger.info(
      {
        archive: this.archivePath,
        requests: this.index.size,
        ms: Number(process.hrtime.bigint() - started) / 1e6,
      },
      'request archive indexed',
    );
  }

  private indexLine(data: Buffer, start: number, end: number, offset: number, prefix: Buffer): void {
    if (end === start) return;
    let id: string | undefined;
    let version = -1;
    if (data.compare(prefix, 0, prefix.length, start, start + prefix.length) === 0) {
      const close = data.indexOf(34, start + prefix.length);
      if (close > 0 && close < end) id = data.toString('utf8', start + prefix.length, close);
      if (id?.includes('\\')) id = undefined;
    }
    if (id === undefined) {
      try {
        const record = JSON.parse(data.toString('utf8', start, end)) as ArchiveRecord;
        id = record.id;
        version = record.request.version;
      } catch (error) {
        throw new AnsvarError(
          'StoreCorrupt',
          `Request archive ${this.archivePath} has a damaged line at byte ${offset}. Ansvar has not changed it; restore it from a backup.`,
          { path: this.archivePath, offset },
          { cause: error },
        );
      }
    }
    // The version is needed only to skip a re-append after a crash; -1 means "check by reading the line".
    this.index.set(id, { offset, length: end - start, version });
  }

  private async repairTornTail(tail: Buffer, offset: number): Promise<void> {
    let complete: boolean;
    try {
      const record = JSON.parse(tail.toString('utf8')) as ArchiveRecord;
      complete = typeof record.id === 'string' && record.request?.id === record.id;
    } catch {
      complete = false;
    }
    if (complete) {
      // The newline alone was lost: the record is whole, keep it.
      await this.archive.write('\n', null, 'utf8');
      await this.archive.sync();
      this.indexLine(tail, 0, tail.length, offset, Buffer.from('{"id":"', 'utf8'));
      this.archiveFile.reset(this.archive, offset + tail.length + 1);
      return;
    }
    const aside = `${this.archivePath}.torn-${Date.now()}`;
    await fsp.writeFile(aside, tail, { mode: 0o600, flush: true });
    await this.archive.truncate(offset);
    await this.archive.sync();
    logger.warn(
      { archive: this.archivePath, offset, bytes: tail.length, keptAs: aside },
      'cut off an incomplete last archive line (an interrupted archive step; the request is still in the hot file)',
    );
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
