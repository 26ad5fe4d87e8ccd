import type { FileHandle } from 'node:fs/promises';
import { AnsvarError } from '../../core/errors.js';
import { logger } from '../../core/logger.js';
import type { CardCopy, WorkRequest } from '../requestModel.js';
import type { StoredRequest } from '../requestUpgrade.js';
import { AppendOnlyFile } from './durableAppend.js';
import type { FileIo } from './fileIo.js';
import type { StorageHealth } from '../storageHealth.js';
import { lineBatches } from './jsonLines.js';
import { addMissingNewline, setTornTailAside } from './tornTail.js';

/** One line of the archive. `id` is written first so the index can be built without parsing each line. */
export interface ArchiveRecord {
  id: string;
  archivedAt: string;
  request: StoredRequest;
  cardCopies: CardCopy[];
}

interface ArchiveEntry {
  offset: number;
  length: number;
  version: number;
}

const ID_PREFIX = Buffer.from('{"id":"', 'utf8');

/**
 * The request store's archive, `requests-archive.jsonl`: closed requests, one ArchiveRecord per line, appended and
 * never changed or deleted. The id → offset index is built by streaming the file once, in the background from
 * construction on (`ready`); a later line for the same id wins. A torn last line (a crash mid-append) belongs to a
 * request still in the hot file: it is copied aside and cut off. The caller owns the file (its lock) and the handle,
 * opened for reading and appending.
 */
export class RequestArchive {
  /** Resolves once the index is built; rejects (StoreCorrupt) for a damaged line. */
  readonly ready: Promise<void>;
  private readonly index = new Map<string, ArchiveEntry>();
  /** The durable appends; its length is the bytes known complete (every later append starts there). */
  private readonly file: AppendOnlyFile;

  constructor(
    private readonly handle: FileHandle,
    readonly path: string,
    options: { io?: FileIo; health?: StorageHealth },
  ) {
    this.file = new AppendOnlyFile(path, handle, 0, { io: options.io, health: options.health });
    this.ready = this.buildIndex();
    // A failed index build is reported by every call that needs it; this keeps it from being unhandled meanwhile.
    this.ready.catch((error: unknown) =>
      logger.error({ err: error, archive: path }, 'request archive index failed'),
    );
  }

  /** True if the archive holds a request of this id (once `ready`). */
  has(id: string): boolean {
    return this.index.has(id);
  }

  /**
   * Appends the requests, each with its card copies, in one durable append. A request whose version the archive
   * already holds (appended by a step that crashed before the hot write) is not appended again.
   */
  async append(
    requests: readonly WorkRequest[],
    cardCopies: (requestId: string) => readonly CardCopy[],
    archivedAt: string,
  ): Promise<void> {
    const lines: Buffer[] = [];
    const entries: Array<[string, ArchiveEntry]> = [];
    let offset = this.file.length;
    for (const request of requests) {
      const known = this.index.get(request.id);
      if (known) {
        const version = known.version >= 0 ? known.version : (await this.read(request.id))?.request.version;
        if (version === request.version) continue;
      }
      const record: ArchiveRecord = {
        id: request.id,
        archivedAt,
        request,
        cardCopies: [...cardCopies(request.id)],
      };
      const line = Buffer.from(`${JSON.stringify(record)}\n`, 'utf8');
      lines.push(line);
      entries.push([request.id, { offset, length: line.length - 1, version: request.version }]);
      offset += line.length;
    }
    if (lines.length > 0) {
      await this.file.append(Buffer.concat(lines));
      for (const [id, entry] of entries) this.index.set(id, entry);
    }
  }

  /** The archived record of a request, as stored (the request may be in an older shape). */
  async read(id: string): Promise<ArchiveRecord | undefined> {
    await this.ready;
    const entry = this.index.get(id);
    if (!entry) return undefined;
    const buffer = Buffer.alloc(entry.length);
    const { bytesRead } = await this.handle.read(buffer, 0, entry.length, entry.offset);
    let record: ArchiveRecord;
    try {
      if (bytesRead !== entry.length) throw new Error(`short read (${bytesRead} of ${entry.length} bytes)`);
      record = JSON.parse(buffer.toString('utf8')) as ArchiveRecord;
      if (record.id !== id || record.request?.id !== id) throw new Error('the line holds another request');
    } catch (error) {
      throw new AnsvarError(
        'StoreCorrupt',
        `Request archive ${this.path} is damaged at byte ${entry.offset} (request ${id}): ${(error as Error).message}. ` +
          'Ansvar has not changed it; restore it from a backup.',
        { path: this.path, offset: entry.offset },
        { cause: error },
      );
    }
    return record;
  }

  /** Waits for the index (whatever its outcome) and closes the handle. */
  async close(): Promise<void> {
    await this.ready.catch(() => undefined);
    await this.handle.close();
  }

  /**
   * Streams the archive once: for every line, the id (read from the line's fixed `{"id":"` prefix, without parsing
   * the line) and where the line is. A last line without its newline is the tail of an append that never completed.
   */
  private async buildIndex(): Promise<void> {
    const started = process.hrtime.bigint();
    let complete = 0;
    let torn: { offset: number; bytes: Buffer } | undefined;
    for await (const batch of lineBatches(this.handle)) {
      for (const line of batch) {
        if (!line.terminated) {
          torn = line;
          continue;
        }
        this.indexLine(line.bytes, line.offset);
        complete = line.offset + line.bytes.length + 1;
      }
    }
    this.file.reset(this.handle, complete);
    if (torn) await this.repairTornTail(torn.bytes, torn.offset);
    logger.info(
      {
        archive: this.path,
        requests: this.index.size,
        ms: Number(process.hrtime.bigint() - started) / 1e6,
      },
      'request archive indexed',
    );
  }

  private indexLine(line: Buffer, offset: number): void {
    if (line.length === 0) return;
    let id: string | undefined;
    let version = -1;
    if (
      line.length > ID_PREFIX.length &&
      line.compare(ID_PREFIX, 0, ID_PREFIX.length, 0, ID_PREFIX.length) === 0
    ) {
      const close = line.indexOf(34, ID_PREFIX.length);
      if (close > 0) id = line.toString('utf8', ID_PREFIX.length, close);
      if (id?.includes('\\')) id = undefined;
    }
    if (id === undefined) {
      try {
        const record = JSON.parse(line.toString('utf8')) as ArchiveRecord;
        id = record.id;
        version = record.request.version;
      } catch (error) {
        throw new AnsvarError(
          'StoreCorrupt',
          `Request archive ${this.path} has a damaged line at byte ${offset}. Ansvar has not changed it; restore it from a backup.`,
          { path: this.path, offset },
          { cause: error },
        );
      }
    }
    // The version is needed only to skip a re-append after a crash; -1 means "check by reading the line".
    this.index.set(id, { offset, length: line.length, version });
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
      await addMissingNewline(this.handle);
      this.indexLine(tail, offset);
      this.file.reset(this.handle, offset + tail.length + 1);
      return;
    }
    const aside = await setTornTailAside(this.handle, this.path, offset, tail);
    logger.warn(
      { archive: this.path, offset, bytes: tail.length, keptAs: aside },
      'cut off an incomplete last archive line (an interrupted archive step; the request is still in the hot file)',
    );
  }
}
