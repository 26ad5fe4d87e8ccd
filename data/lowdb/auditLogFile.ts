import fsp, { type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { AnsvarError } from '../../core/errors.js';
import { logger } from '../../core/logger.js';
import { AppendOnlyFile } from './durableAppend.js';
import type { FileIo } from './fileIo.js';
import type { StorageHealth } from '../storageHealth.js';
import { syncDirectory } from './durableJsonFile.js';
import { acquireFileLock, type FileLock } from './fileLock.js';
import { lineBatches } from './jsonLines.js';
import { addMissingNewline, setTornTailAside } from './tornTail.js';
import type { AuditFilter, AuditHead, AuditLog } from '../auditLog.js';
import {
  chainHash,
  GENESIS_HASH,
  matchesAuditFilter,
  normalise,
  validate,
  type ChainedLine,
} from '../auditRecords.js';
import type { AuditEvent } from '../requestModel.js';

export interface AuditLogOptions {
  /** File inside the data directory; default `audit.jsonl`. */
  fileName?: string;
  /**
   * The chain heads the stores recorded after their last flush (see AuditHead): the log must hold at least that
   * many records and the record at that count must have that hash, or open refuses (StoreCorrupt) without creating
   * or changing the file. This is how a deleted, truncated or replaced audit log is noticed.
   */
  expectHeads?: ReadonlyArray<{ store: string; head: AuditHead | undefined }>;
  /** The durable file layer's write seam (tests inject faults); default the node fs. */
  io?: FileIo;
  health?: StorageHealth;
}

interface RawLine {
  /** 1-based. */
  number: number;
  offset: number;
  text: string;
  /** False for a last line without its newline. */
  terminated: boolean;
}

/** The lines of `file` up to byte `end` (exclusive; default: the whole file), as text, with their positions. */
async function* rawLines(file: string, end?: number): AsyncGenerator<RawLine> {
  for await (const batch of lineBatches(file, end)) {
    for (const line of batch) {
      yield {
        number: line.number,
        offset: line.offset,
        text: line.bytes.toString('utf8'),
        terminated: line.terminated,
      };
    }
  }
}

type Checked =
  { ok: true; event: AuditEvent; hash: string } | { ok: false; parsed: boolean; problem: string };

/** Checks one line against the chain so far (`prevHash`: the hash of the line before). */
function checkLine(text: string, prevHash: string): Checked {
  let parsed: ChainedLine;
  try {
    parsed = JSON.parse(text) as ChainedLine;
  } catch (error) {
    return { ok: false, parsed: false, problem: `is not complete JSON (${(error as Error).message})` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, parsed: false, problem: 'is not an audit record' };
  }
  const { prevHash: linePrev, hash, ...event } = parsed;
  if (typeof linePrev !== 'string' || typeof hash !== 'string') {
    return { ok: false, parsed: true, problem: 'has no hash chain fields' };
  }
  if (linePrev !== prevHash) {
    return {
      ok: false,
      parsed: true,
      problem:
        'does not follow the line before it (prevHash differs): lines were removed, inserted or reordered',
    };
  }
  if (hash !== chainHash(prevHash, JSON.stringify(event))) {
    return {
      ok: false,
      parsed: true,
      problem: 'does not match its hash: the record was changed after it was written',
    };
  }
  return { ok: true, event, hash };
}

function corrupt(file: string, line: RawLine, problem: string): AnsvarError {
  return new AnsvarError(
    'StoreCorrupt',
    `Audit log ${file}, line ${line.number} (byte ${line.offset}) ${problem}. Ansvar has not changed the file. ` +
      'The audit log is a public record: compare it with a backup and have the authority decide how to restore it.',
    { path: file, line: line.number, offset: line.offset },
  );
}

function parseSince(filter: AuditFilter | undefined): number | undefined {
  if (filter?.since === undefined) return undefined;
  const since = Date.parse(filter.since);
  if (Number.isNaN(since))
    throw new AnsvarError('InvalidInput', `since ${JSON.stringify(filter.since)} is not a date`);
  return since;
}

/**
 * Reads an audit log file without owning it (for exports while Ansvar runs), verifying the chain as it goes and
 * throwing StoreCorrupt naming the first bad line. A last line without its newline is an append in progress (or
 * one cut off by a crash, which the owner repairs at open) and is not returned.
 */
export async function* readAuditFile(
  file: string,
  filter?: AuditFilter,
  end?: number,
): AsyncGenerator<AuditEvent> {
  const since = parseSince(filter);
  let prevHash = GENESIS_HASH;
  for await (const line of rawLines(file, end)) {
    if (!line.terminated) return;
    const checked = checkLine(line.text, prevHash);
    if (!checked.ok) throw corrupt(file, line, checked.problem);
    prevHash = checked.hash;
    if (matchesAuditFilter(checked.event, filter, since)) yield checked.event;
  }
}

/**
 * Checks the audit log file against the chain heads the stores recorded, without the lock and without changing
 * anything: the whole chain must verify, and each head's record must be there with its hash. Resolves with the
 * number of complete records; rejects with StoreCorrupt saying what differs (as openAuditLog would at start).
 */
export async function checkAuditFile(
  file: string,
  expectHeads: ReadonlyArray<{ store: string; head: AuditHead | undefined }>,
): Promise<number> {
  const expected = expectHeads.filter(
    (e): e is { store: string; head: AuditHead } => e.head !== undefined && e.head.count > 0,
  );
  const exists = await fsp.stat(file).then(
    () => true,
    () => false,
  );
  if (!exists && expected.length > 0) throw headMismatch(file, expected[0]!, 0, undefined);
  let prevHash = GENESIS_HASH;
  let count = 0;
  for await (const line of rawLines(file)) {
    if (!line.terminated) break;
    const checked = checkLine(line.text, prevHash);
    if (!checked.ok) throw corrupt(file, line, checked.problem);
    prevHash = checked.hash;
    count += 1;
    for (const e of expected) {
      if (e.head.count === count && e.head.hash !== checked.hash)
        throw headMismatch(file, e, count, checked.hash);
    }
  }
  for (const e of expected) if (e.head.count > count) throw headMismatch(file, e, count, undefined);
  return count;
}

export interface OpenAuditLog extends AuditLog {
  /** How many records the log holds. */
  readonly size: number;
}

/**
 * Opens the append-only audit log `<dataDir>/audit.jsonl`, owning it until close() (throws StoreLocked if another
 * process holds it). Each line is one AuditEvent plus `prevHash`/`hash`, a sha256 chain over the lines, so a change,
 * removal or insertion of a line before the last one is detected. (Removing whole lines at the very end is not
 * detectable from the file alone; backups and the request store's own copies cover that.)
 *
 * At open the whole file is streamed and verified; a bad line makes it throw StoreCorrupt naming the line. A last
 * line that is not complete JSON is the tail of an append cut off by a crash: append resolves only after the whole
 * batch and its newline are fsynced, so that tail was never acknowledged and its events are still pending in the
 * request store, which flushes them again. It is copied to `audit.jsonl.torn-<time>` (kept for inspection) and cut
 * off, with a warning. A complete, chained last record that only lacks its newline is kept. Nothing is deleted.
 *
 * Memory: the ids of all records are kept in a Set (about 100 bytes per record: 10 MB per 100,000 events) so a
 * retried flush never writes a record twice.
 */
export async function openAuditLog(dataDir: string, options: AuditLogOptions = {}): Promise<OpenAuditLog> {
  await fsp.mkdir(dataDir, { recursive: true });
  const file = path.resolve(dataDir, options.fileName ?? 'audit.jsonl');
  const lock = await acquireFileLock(file);
  let handle: FileHandle | undefined;
  const expected = (options.expectHeads ?? []).filter(
    (e): e is { store: string; head: AuditHead } => e.head !== undefined && e.head.count > 0,
  );
  try {
    const created = !(await fsp.stat(file).catch(() => undefined));
    if (created && expected.length > 0) throw headMismatch(file, expected[0]!, 0, undefined);
    handle = await fsp.open(file, 'a+', 0o600);
    if (created) await syncDirectory(path.dirname(file));
    const ids = new Set<string>();
    let prevHash = GENESIS_HASH;
    let size = 0;
    let torn: RawLine | undefined;
    for await (const line of rawLines(file)) {
      if (torn) throw corrupt(file, torn, 'is not a complete record');
      const checked = checkLine(line.text, prevHash);
      if (!checked.ok) {
        // Only the last line may be torn; it is known to be last when the file ends after it.
        if (!checked.parsed) {
          torn = line;
          continue;
        }
        throw corrupt(file, line, checked.problem);
      }
      ids.add(checked.event.id);
      prevHash = checked.hash;
      for (const e of expected) {
        if (e.head.count === ids.size && e.head.hash !== checked.hash) {
          throw headMismatch(file, e, ids.size, checked.hash);
        }
      }
      size = line.offset + Buffer.byteLength(line.text, 'utf8') + (line.terminated ? 1 : 0);
      if (!line.terminated) {
        await addMissingNewline(handle);
        size += 1;
        logger.warn(
          { file, line: line.number },
          'audit log: added the newline missing after the last complete record',
        );
      }
    }
    if (torn) {
      const aside = await setTornTailAside(handle, file, torn.offset, torn.text);
      logger.warn(
        { file, line: torn.number, bytes: Buffer.byteLength(torn.text), keptAs: aside },
        'audit log: cut off an incomplete last line left by a crash during an append (never acknowledged; its events are re-flushed from the request store)',
      );
    }
    for (const e of expected) {
      if (e.head.count > ids.size) throw headMismatch(file, e, ids.size, undefined);
    }
    logger.info({ file, records: ids.size }, 'audit log opened');
    const appender = new AppendOnlyFile(file, handle, size, { io: options.io, health: options.health });
    return new JsonlAuditLog(file, lock, handle, appender, ids, prevHash);
  } catch (error) {
    await handle?.close();
    await lock.release();
    throw error;
  }
}

/** Why the audit log does not match a store's recorded head, and how to restore it. */
function headMismatch(
  file: string,
  expected: { store: string; head: AuditHead },
  records: number,
  hash: string | undefined,
): AnsvarError {
  const problem =
    records === 0 && hash === undefined
      ? 'is missing or empty'
      : hash === undefined
        ? `holds ${records} records, fewer than the ${expected.head.count} it held when the ${expected.store} store last flushed to it (it was cut short or replaced by an older copy)`
        : `differs at record ${records} from the record the ${expected.store} store saw there (it was replaced or rewritten)`;
  return new AnsvarError(
    'StoreCorrupt',
    `Audit log ${file} ${problem}. Ansvar has not changed any file and will not start with an audit log that lost ` +
      `records. Restore audit.jsonl from the most recent backup; if that backup is older than the data files, ` +
      `restore the whole data directory from that one backup (see README, Reliability). ` +
      `npm run audit -- --check shows what the stores expect.`,
    { path: file, store: expected.store, expected: expected.head, records, hash },
  );
}

interface PendingAppend {
  events: AuditEvent[];
  resolve: (head: AuditHead) => void;
  reject: (error: unknown) => void;
}

class JsonlAuditLog implements OpenAuditLog {
  private pending: PendingAppend[] = [];
  private tail: Promise<void> = Promise.resolve();
  private scheduled = false;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly file: string,
    private readonly lock: FileLock,
    private readonly handle: FileHandle,
    /** The one durable append; its length is the bytes known complete and durable, where reads stop. */
    private readonly appender: AppendOnlyFile,
    private readonly ids: Set<string>,
    private lastHash: string,
  ) {}

  get size(): number {
    return this.ids.size;
  }

  get head(): AuditHead {
    return { count: this.ids.size, hash: this.lastHash };
  }

  /**
   * Appends that arrive while a write is under way are written together, with one fsync. Resolves once the
   * events are durable, with the chain's head after them. Events whose id the log (or an earlier event of the same
   * call) holds are skipped. A failed write keeps nothing (AppendOnlyFile) and rejects with NotSaved.
   */
  append(events: AuditEvent[]): Promise<AuditHead> {
    try {
      this.assertOpen();
      for (const event of events) validate(event);
    } catch (error) {
      return Promise.reject(error);
    }
    const copies = events.map(normalise);
    return new Promise<AuditHead>((resolve, reject) => {
      this.pending.push({ events: copies, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        this.tail = this.tail.then(() => this.flush());
      }
    });
  }

  async *read(filter?: AuditFilter): AsyncIterable<AuditEvent> {
    this.assertOpen();
    yield* readAuditFile(this.file, filter, this.appender.length);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      let seen: Promise<void> | undefined;
      while (seen !== this.tail) {
        seen = this.tail;
        await seen;
      }
      await this.handle.close();
      await this.lock.release();
    })();
    return this.closing;
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const batch = this.pending.splice(0);
    const added = new Set<string>();
    const lines: string[] = [];
    let hash = this.lastHash;
    for (const { events } of batch) {
      for (const event of events) {
        if (this.ids.has(event.id) || added.has(event.id)) continue;
        added.add(event.id);
        const json = JSON.stringify(event);
        const prevHash = hash;
        hash = chainHash(prevHash, json);
        lines.push(
          `${json.slice(0, -1)}${json.length > 2 ? ',' : ''}"prevHash":"${prevHash}","hash":"${hash}"}\n`,
        );
      }
    }
    if (lines.length > 0) {
      const text = Buffer.from(lines.join(''), 'utf8');
      try {
        await this.appender.append(text);
      } catch (error) {
        logger.warn({ err: error, file: this.file }, 'audit log append failed; nothing of it was kept');
        for (const p of batch) p.reject(error);
        return;
      }
      this.lastHash = hash;
      for (const id of added) this.ids.add(id);
    }
    for (const p of batch) p.resolve(this.head);
  }

  private assertOpen(): void {
    if (this.closing) throw new AnsvarError('StoreLocked', `the audit log ${this.file} is closed`);
  }
}
