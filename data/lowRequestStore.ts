import fsp, { type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { z } from 'zod';
import { AnsvarError } from '../services/errors.js';
import { logger } from '../services/logger.js';
import { DurableJsonFile } from './durableJsonFile.js';
import { acquireFileLock, type FileLock } from './fileLock.js';
import {
  CLOSED_STATUSES,
  firstValues,
  listInventory,
  listRequests,
  RequestDraft,
  type RequestListFilter,
  type RequestState,
} from './memoryRequestStore.js';
import type { AuditEvent, CardCopy, InventoryItem, OutboxItem, WorkRequest } from './requestModel.js';
import type { Effects, InventoryFilter, RequestStore } from './requestStore.js';
import { upgradeStoredRequest, type StoredRequest } from './requestUpgrade.js';

export const REQUESTS_FILE_FORMAT = 'ansvar-requests';
export const REQUESTS_FILE_FORMAT_VERSION = 1;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface LowRequestStoreOptions {
  /** Hot file inside the data directory; default `requests.json`. */
  fileName?: string;
  /** Archive inside the data directory; default `requests-archive.jsonl`. */
  archiveFileName?: string;
  /** A closed request moves to the archive once it has been closed this long; default 7 days. Never deleted. */
  archiveAfterMs?: number;
  /** How often to look for requests to archive (also once at open); default 10 minutes; 0 = only at open. */
  archiveIntervalMs?: number;
  /** At most this many requests move per archive step, to bound one step's event-loop time; default 5,000. */
  archiveBatchSize?: number;
  now?: () => Date;
}

export interface LowRequestStore extends RequestStore {
  /** Moves closed requests older than the configured time to the archive now; resolves with how many moved. */
  archiveNow(): Promise<number>;
  /** Resolves once the archive index is built (it is built in the background after open). */
  archiveReady(): Promise<void>;
}

/**
 * What `requests.json` holds: the hot set of requests (open ones and those closed recently), and the whole
 * inventory, which is small and changes rarely, so it stays in the durable file instead of moving to the archive.
 * Requests may be in an older shape (see requestUpgrade.ts); files written before inventory existed lack it.
 */
interface RequestsFile {
  requests: StoredRequest[];
  outbox: OutboxItem[];
  cardCopies: CardCopy[];
  pendingAudit: AuditEvent[];
  inventory: InventoryItem[];
}

/** One line of the archive. `id` is written first so the index can be built without parsing each line. */
interface ArchiveRecord {
  id: string;
  archivedAt: string;
  request: StoredRequest;
  cardCopies: CardCopy[];
}

const withId = z.array(z.looseObject({ id: z.string() }));
/** The envelope's checksum already proves Ansvar wrote the file; this only guards the top-level shape. */
const fileShape = z.object({
  requests: z.array(z.looseObject({ id: z.string(), version: z.number().int(), status: z.string() })),
  outbox: withId,
  cardCopies: z.array(z.looseObject({ requestId: z.string() })),
  pendingAudit: withId,
  inventory: z.array(z.looseObject({ id: z.string(), version: z.number().int() })).optional(),
});

function parseFile(data: unknown): RequestsFile {
  const result = fileShape.safeParse(data);
  if (!result.success) throw new Error(z.prettifyError(result.error));
  const file = data as Omit<RequestsFile, 'inventory'> & { inventory?: InventoryItem[] };
  return { ...file, inventory: file.inventory ?? [] };
}

function emptyFile(): RequestsFile {
  return { requests: [], outbox: [], cardCopies: [], pendingAudit: [], inventory: [] };
}

function toState(file: RequestsFile): RequestState {
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

function toFile(state: RequestState): RequestsFile {
  return {
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
 * Hot file: the whole document is rewritten (DurableJsonFile: temp, fsync, rename, fsync dir, .bak) on every group
 * of changes, so it holds only open requests, those closed recently, undelivered outbox items and audit events not
 * yet in the audit log, and the inventory (never archived). Memory changes only after the write succeeded; reads
 * come from memory, as copies. Requests in the shape of an older Ansvar are upgraded as they are read, from the hot
 * file and from the archive (`upgradeStoredRequest`).
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
  const lock = await acquireFileLock(filePath);
  let archive: FileHandle | undefined;
  try {
    const file = new DurableJsonFile<RequestsFile>(filePath, {
      format: REQUESTS_FILE_FORMAT,
      formatVersion: REQUESTS_FILE_FORMAT_VERSION,
      parse: parseFile,
    });
    const db = new Low<RequestsFile>(file, emptyFile());
    await db.read();
    archive = await fsp.open(archivePath, 'a+', 0o600);
    const store = new LowRequestStoreImpl(file, lock, toState(db.data), archive, archivePath, options);
    logger.info({ file: file.path, requests: store.hotCount, archive: archivePath }, 'request store opened');
    return store;
  } catch (error) {
    await archive?.close();
    await lock.release();
    throw error;
  }
}

interface ArchiveEntry {
  offset: number;
  length: number;
  version: number;
}

class LowRequestStoreImpl implements LowRequestStore {
  private state: RequestState;
  private readonly commits: GroupCommit<RequestDraft>;
  private readonly index = new Map<string, ArchiveEntry>();
  /** Bytes of the archive known complete (every later append starts here). */
  private archiveSize = 0;
  private readonly indexing: Promise<void>;
  private readonly timer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;
  private readonly archiveAfterMs: number;
  private readonly batchSize: number;
  private readonly now: () => Date;

  constructor(
    private readonly file: DurableJsonFile<RequestsFile>,
    private readonly lock: FileLock,
    initial: RequestState,
    private readonly archive: FileHandle,
    private readonly archivePath: string,
    options: LowRequestStoreOptions,
  ) {
    this.state = initial;
    this.archiveAfterMs = options.archiveAfterMs ?? 7 * DAY_MS;
    this.batchSize = options.archiveBatchSize ?? 5000;
    this.now = options.now ?? (() => new Date());
    this.commits = new GroupCommit<RequestDraft>({
      begin: () => new RequestDraft(this.state),
      changed: (draft) => draft.changed,
      persist: (draft) => this.persist(draft.current),
      commit: (draft) => {
        this.state = draft.current;
      },
    });
    this.indexing = this.buildIndex();
    // A failed index build is reported by every call that needs it; this keeps it from being unhandled meanwhile.
    this.indexing.catch((error: unknown) =>
      logger.error({ err: error, archive: archivePath }, 'request archive index failed'),
    );
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

  async get(id: string): Promise<WorkRequest | undefined> {
    this.assertOpen();
    const hot = this.state.requests.get(id);
    if (hot) return structuredClone(hot);
    const archived = await this.readArchived(id);
    return archived && upgradeStoredRequest(archived.request);
  }

  /** Lists the hot set: open requests and those closed within `archiveAfterMs`. Archived ones are reached by `get`. */
  async list(filter: RequestListFilter): Promise<WorkRequest[]> {
    this.assertOpen();
    return listRequests(this.state.requests.values(), filter);
  }

  async create(request: WorkRequest, effects?: Effects): Promise<void> {
    this.assertOpen();
    await this.indexing;
    await this.commits.submit((d) => d.create(request, effects, (id) => this.index.has(id)));
  }

  async update(next: WorkRequest, expectedVersion: number, effects?: Effects): Promise<WorkRequest> {
    this.assertOpen();
    const written = await this.commits.submit((d) => d.update(next, expectedVersion, effects));
    return structuredClone(written);
  }

  async inventory(filter: InventoryFilter): Promise<InventoryItem[]> {
    this.assertOpen();
    return listInventory(this.state.inventory.values(), filter);
  }

  async getInventoryItem(id: string): Promise<InventoryItem | undefined> {
    this.assertOpen();
    const item = this.state.inventory.get(id);
    return item && structuredClone(item);
  }

  async updateInventoryItem(
    next: InventoryItem,
    expectedVersion: number,
    effects?: Effects,
  ): Promise<InventoryItem> {
    this.assertOpen();
    const written = await this.commits.submit((d) => d.updateInventoryItem(next, expectedVersion, effects));
    return structuredClone(written);
  }

  async recordAudit(events: AuditEvent[]): Promise<void> {
    this.assertOpen();
    await this.commits.submit((d) => d.recordAudit(events));
  }

  async pendingOutbox(limit?: number): Promise<OutboxItem[]> {
    this.assertOpen();
    return firstValues(this.state.outbox, limit);
  }

  async markDelivered(itemId: string, _at: string): Promise<void> {
    this.assertOpen();
    await this.commits.submit((d) => d.markDelivered(itemId));
  }

  async markAttempt(itemId: string, error: string): Promise<void> {
    this.assertOpen();
    await this.commits.submit((d) => d.markAttempt(itemId, error));
  }

  async addCardCopy(copy: CardCopy): Promise<void> {
    this.assertOpen();
    await this.commits.submit((d) => d.addCardCopy(copy));
  }

  async cardCopies(requestId: string): Promise<CardCopy[]> {
    this.assertOpen();
    const hot = this.state.cardCopies.get(requestId);
    if (hot || this.state.requests.has(requestId)) return structuredClone([...(hot ?? [])]);
    return (await this.readArchived(requestId))?.cardCopies ?? [];
  }

  async pendingAudit(limit?: number): Promise<AuditEvent[]> {
    this.assertOpen();
    return firstValues(this.state.pendingAudit, limit);
  }

  async auditFlushed(eventIds: string[]): Promise<void> {
    this.assertOpen();
    await this.commits.submit((d) => d.auditFlushed(eventIds));
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
      await this.lock.release();
    })();
    return this.closing;
  }

  private async persist(state: RequestState): Promise<void> {
    try {
      await this.file.write(toFile(state));
    } catch (error) {
      logger.error({ err: error, file: this.file.path }, 'request store write failed');
      throw error;
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
    let offset = this.archiveSize;
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
      try {
        await this.archive.writev(lines);
        await this.archive.sync();
      } catch (error) {
        await this.archive.truncate(this.archiveSize).catch(() => undefined);
        throw error;
      }
      this.archiveSize = offset;
      for (const [id, entry] of entries) this.index.set(id, entry);
    }

    const draft = new RequestDraft(this.state);
    draft.removeRequests(due.map((r) => r.id));
    await this.persist(draft.current);
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
    this.archiveSize = position;
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
      this.archiveSize = offset + tail.length + 1;
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

  private assertOpen(): void {
    if (this.closing) {
      throw new AnsvarError(
        'StoreLocked',
        `the request store for ${this.file.path} is closed; it no longer owns the file`,
      );
    }
  }
}
