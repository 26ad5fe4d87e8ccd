import { createHash, randomBytes } from 'node:crypto';
import fsp, { type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { AnsvarError } from '../../core/errors.js';
import { logger } from '../../core/logger.js';
import { AppendOnlyFile } from './durableAppend.js';
import type { FileIo } from './fileIo.js';
import type { StorageHealth } from '../storageHealth.js';
import { syncDirectory } from './durableJsonFile.js';

export const JOURNAL_FORMAT = 'ansvar-journal';
export const JOURNAL_FORMAT_VERSION = 1;

/** The first line of a journal: what it is, and which snapshot generation its entries follow. */
interface JournalHeader {
  format: string;
  formatVersion: number;
  /** The snapshot file the entries belong to (its format name). */
  of: string;
  generation: number;
}

export interface JournalOptions {
  of: string;
  generation: number;
  /** The durable file layer's write seam (tests inject faults); default the node fs. */
  io?: FileIo;
  health?: StorageHealth;
}

export interface OpenedJournal {
  journal: Journal;
  /** The entries written after the snapshot of `generation`, oldest first (parsed JSON; the caller checks shapes). */
  entries: unknown[];
}

/**
 * An append-only journal of changes to a snapshot file (write-ahead log), so a change costs an append of its own
 * size instead of a rewrite of the whole document (see lowRequestStore.ts).
 *
 * Format: one entry per line, `<sha256 hex of the JSON> <JSON>\n`; the first line is a header naming the snapshot's
 * format and its generation. Entries apply only to the snapshot of that generation: whoever writes a new snapshot
 * (generation g+1) with every entry folded in then calls `restart(g + 1)`, which atomically replaces the journal
 * with an empty one. A crash between the two leaves a journal of generation g next to a snapshot of g+1: its
 * entries are already in the snapshot and `open` discards it.
 *
 * Durability: `append` goes through AppendOnlyFile (durableAppend.ts): it resolves once the whole line is written
 * and fdatasynced; a failed append (short write, ENOSPC, EIO) cuts the journal back to where it was, so a line the
 * caller was told failed is never replayed, and rejects with NotSaved. If even the cut fails the journal is
 * `damaged`: the owner then writes a snapshot and `restart`s it (the next append also retries the cut).
 *
 * Reading: a last line that is incomplete or fails its checksum is the tail of an append that never completed (its
 * caller got no acknowledgement): it is copied aside (`<file>.torn-<time>`) and cut off. A damaged line followed by
 * good ones, an unknown format, or a journal of a newer generation than the snapshot (the snapshot was restored from
 * an older copy) is reported as StoreCorrupt and the file is left as it is.
 *
 * The caller must hold the data directory's lock (fileLock.ts); one Journal per file.
 */
export class Journal {
  private readonly file: AppendOnlyFile;
  private broken: unknown;

  private constructor(
    readonly path: string,
    private readonly of: string,
    private handle: FileHandle,
    size: number,
    private generationValue: number,
    options: JournalOptions,
  ) {
    this.file = new AppendOnlyFile(path, handle, size, {
      io: options.io,
      health: options.health,
      dataSync: true,
    });
  }

  /** Bytes in the journal file (header included). */
  get size(): number {
    return this.file.length;
  }

  get generation(): number {
    return this.generationValue;
  }

  /** True after an append failed and could not be cut back: only `restart` may write again. */
  get damaged(): boolean {
    return this.broken !== undefined || this.file.damaged;
  }

  /**
   * Opens (or creates) the journal at `filePath` for the snapshot `of` at `generation`, and reads its entries.
   */
  static async open(filePath: string, options: JournalOptions): Promise<OpenedJournal> {
    const resolved = path.resolve(filePath);
    let buffer: Buffer | undefined;
    try {
      buffer = await fsp.readFile(resolved);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (buffer === undefined || buffer.length === 0) {
      return { journal: await Journal.fresh(resolved, options), entries: [] };
    }

    const lines = splitLines(buffer);
    const header = readHeader(buffer, lines[0]!, resolved, options.of);
    if (header.generation < options.generation) {
      // A new snapshot was written and the process stopped before the journal was restarted: all of it is in the
      // snapshot already.
      logger.info(
        { journal: resolved, generation: header.generation, snapshot: options.generation },
        'journal predates the snapshot; starting a new one',
      );
      return { journal: await Journal.fresh(resolved, options), entries: [] };
    }
    if (header.generation > options.generation) {
      throw corrupt(
        resolved,
        `belongs to snapshot generation ${header.generation}, but the snapshot is generation ${options.generation} ` +
          '(was the snapshot restored from an older copy?). Ansvar has not changed either file. Restore both files ' +
          'from the same backup, or remove the journal to start from the snapshot as it is (later changes are lost)',
      );
    }

    const entries: unknown[] = [];
    /** Bytes known good: everything up to the end of the last whole entry. */
    let good = lines[0]!.end + 1;
    let newlineLost = false;
    for (let i = 1; i < lines.length; i += 1) {
      const line = lines[i]!;
      const entry = verifyLine(buffer, line);
      if (entry === undefined) {
        if (i < lines.length - 1) {
          throw corrupt(
            resolved,
            `has a damaged entry at byte ${line.start} followed by more entries. Ansvar has not changed it; restore ` +
              'the data directory from a backup',
          );
        }
        break;
      }
      entries.push(entry.value);
      good = line.terminated ? line.end + 1 : line.end;
      newlineLost = !line.terminated;
    }

    const handle = await fsp.open(resolved, 'a', 0o600);
    try {
      if (newlineLost) {
        // The last entry is whole; only its newline was lost.
        await handle.write('\n');
        await handle.sync();
        good += 1;
      } else if (good < buffer.length) {
        const aside = `${resolved}.torn-${Date.now()}`;
        await fsp.writeFile(aside, buffer.subarray(good), { mode: 0o600, flush: true });
        await handle.truncate(good);
        await handle.sync();
        logger.warn(
          { journal: resolved, offset: good, bytes: buffer.length - good, keptAs: aside },
          'cut off an incomplete last journal entry (a write that was never acknowledged)',
        );
      }
    } catch (error) {
      await handle.close();
      throw error;
    }
    return { journal: new Journal(resolved, options.of, handle, good, header.generation, options), entries };
  }

  /** Appends one entry durably. Entries are applied in append order; callers serialise their appends. */
  async append(entry: unknown): Promise<void> {
    if (this.broken !== undefined) {
      throw new Error(`journal ${this.path} needs a restart after a failed write`, { cause: this.broken });
    }
    await this.file.append(encodeLine(entry));
  }

  /**
   * Atomically replaces the journal with an empty one for snapshot `generation` (call after that snapshot is on
   * disk). On failure the old journal stays in use and still counts as needing a restart.
   */
  async restart(generation: number): Promise<void> {
    const temp = `${this.path}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
    const header = encodeLine(headerFor(this.of, generation));
    try {
      await writeSynced(temp, header);
      // Closed first: Windows cannot rename over an open file.
      await this.handle.close().catch(() => undefined);
      await fsp.rename(temp, this.path);
      await syncDirectory(path.dirname(this.path));
    } catch (error) {
      await fsp.rm(temp, { force: true });
      this.broken ??= error;
      // Appends are refused until a restart succeeds; the handle is only needed to try again.
      this.handle = await fsp.open(this.path, 'a', 0o600);
      this.file.reset(this.handle, this.file.length);
      throw error;
    }
    this.handle = await fsp.open(this.path, 'a', 0o600);
    this.file.reset(this.handle, header.length);
    this.generationValue = generation;
    this.broken = undefined;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }

  private static async fresh(filePath: string, options: JournalOptions): Promise<Journal> {
    const { of, generation } = options;
    const header = encodeLine(headerFor(of, generation));
    const temp = `${filePath}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
    try {
      await writeSynced(temp, header);
      await fsp.rename(temp, filePath);
    } catch (error) {
      await fsp.rm(temp, { force: true });
      throw error;
    }
    await syncDirectory(path.dirname(filePath));
    const handle = await fsp.open(filePath, 'a', 0o600);
    return new Journal(filePath, of, handle, header.length, generation, options);
  }
}

/**
 * The entries of the journal at `filePath` for the snapshot `of` at `generation`, read without opening it for
 * writing and without repairing anything (for tools that run beside Ansvar): none when the file is missing or
 * belongs to an older snapshot; a torn last line is ignored; damage elsewhere is StoreCorrupt.
 */
export async function readJournalEntries(
  filePath: string,
  options: { of: string; generation: number },
): Promise<unknown[]> {
  const resolved = path.resolve(filePath);
  let buffer: Buffer;
  try {
    buffer = await fsp.readFile(resolved);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  if (buffer.length === 0) return [];
  const lines = splitLines(buffer);
  const header = readHeader(buffer, lines[0]!, resolved, options.of);
  if (header.generation !== options.generation) return [];
  const entries: unknown[] = [];
  for (let i = 1; i < lines.length; i += 1) {
    const entry = verifyLine(buffer, lines[i]!);
    if (entry === undefined) {
      if (i < lines.length - 1) throw corrupt(resolved, `has a damaged entry at byte ${lines[i]!.start}`);
      break;
    }
    entries.push(entry.value);
  }
  return entries;
}

function headerFor(of: string, generation: number): JournalHeader {
  return { format: JOURNAL_FORMAT, formatVersion: JOURNAL_FORMAT_VERSION, of, generation };
}

function encodeLine(value: unknown): Buffer {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError('a journal entry must be JSON');
  const hash = createHash('sha256').update(json, 'utf8').digest('hex');
  return Buffer.from(`${hash} ${json}\n`, 'utf8');
}

interface Line {
  start: number;
  /** Offset of the newline, or of the end of the buffer for a last line without one. */
  end: number;
  terminated: boolean;
}

function splitLines(buffer: Buffer): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start < buffer.length) {
    const newline = buffer.indexOf(10, start);
    if (newline < 0) {
      lines.push({ start, end: buffer.length, terminated: false });
      break;
    }
    lines.push({ start, end: newline, terminated: true });
    start = newline + 1;
  }
  return lines;
}

const HASH_LENGTH = 64;

function verifyLine(buffer: Buffer, line: Line): { value: unknown } | undefined {
  if (line.end - line.start < HASH_LENGTH + 2 || buffer[line.start + HASH_LENGTH] !== 32) return undefined;
  const hash = buffer.toString('latin1', line.start, line.start + HASH_LENGTH);
  const json = buffer.subarray(line.start + HASH_LENGTH + 1, line.end);
  if (createHash('sha256').update(json).digest('hex') !== hash) return undefined;
  try {
    return { value: JSON.parse(json.toString('utf8')) as unknown };
  } catch {
    return undefined;
  }
}

function readHeader(buffer: Buffer, line: Line, file: string, of: string): JournalHeader {
  const header = verifyLine(buffer, line)?.value as Partial<JournalHeader> | undefined;
  if (
    !line.terminated ||
    !header ||
    header.format !== JOURNAL_FORMAT ||
    header.formatVersion !== JOURNAL_FORMAT_VERSION ||
    header.of !== of ||
    typeof header.generation !== 'number'
  ) {
    throw corrupt(
      file,
      `does not start with the header of an Ansvar journal for ${of}. Ansvar has not changed it; restore the data ` +
        'directory from a backup',
    );
  }
  return header as JournalHeader;
}

function corrupt(file: string, problem: string): AnsvarError {
  return new AnsvarError('StoreCorrupt', `Journal ${file} ${problem}.`, { path: file });
}

async function writeSynced(file: string, data: Buffer): Promise<void> {
  const handle = await fsp.open(file, 'wx', 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
