import { createHash, randomBytes } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { Adapter } from 'lowdb';
import { AnsvarError } from '../../core/errors.js';
import { measureStoreWrite } from '../../core/telemetry.js';
import { nodeFileIo, type FileIo } from './fileIo.js';
import { notSaved } from './durableAppend.js';
import type { StorageHealth } from '../storageHealth.js';

export interface DurableJsonFileOptions<T> {
  /** Names what the file holds; a file of another format is refused. */
  format: string;
  /** The format version this code writes and reads; any other version is refused unless listed in `alsoReads`. */
  formatVersion: number;
  /** Older format versions this code still reads (`parse` is told which one it got); it writes only `formatVersion`. */
  alsoReads?: readonly number[];
  /**
   * Checks the shape of the data read back (of `formatVersion`, or one of `alsoReads`) and returns it typed, in the
   * current shape; throw to refuse. Reported as StoreCorrupt.
   */
  parse: (data: unknown, formatVersion: number) => T;
  /** The write seam (tests inject short writes, ENOSPC, EIO); default the node fs. */
  io?: FileIo;
  /** Told about writes that fail for lack of space or I/O errors, and about the next one that succeeds. */
  health?: StorageHealth;
}

/** What is on disk: the data wrapped with what is needed to recognise it and detect damage. */
interface Envelope {
  format: string;
  formatVersion: number;
  /** sha256 (hex) of `JSON.stringify(data)`. */
  sha256: string;
  data: unknown;
}

/**
 * A lowdb adapter for one JSON file that survives crashes and power loss, and refuses damaged files.
 *
 * Write: the whole document goes to a temp file in the same directory, which is fsynced; the current file is kept
 * as `<file>.bak` (hard link, so the previous good version costs no copy); the temp file is renamed over the file;
 * the directory is fsynced so the rename itself is durable. At every moment the file is either the old or the new
 * complete version. Writes are queued, so they never interleave and the last call's data is what ends up on disk.
 *
 * A write that fails (short write that cannot be completed, ENOSPC, EIO, a failed fsync) leaves the file as it was,
 * removes its temp file and rejects with AnsvarError('NotSaved').
 *
 * Read: a missing file means no data yet (null), unless a backup exists, which means the file was lost. A file that
 * is not complete JSON, of another format or version, whose checksum does not match, or whose data fails `parse`
 * is reported as AnsvarError('StoreCorrupt') and never touched: an operator decides what to restore.
 *
 * The caller must hold the file's lock (see fileLock.ts): read() deletes temp files left by an interrupted write,
 * which would break a concurrent writer.
 */
export class DurableJsonFile<T> implements Adapter<T> {
  readonly path: string;
  readonly backupPath: string;
  private readonly options: DurableJsonFileOptions<T>;
  private queue: Promise<void> = Promise.resolve();

  constructor(filePath: string, options: DurableJsonFileOptions<T>) {
    this.path = path.resolve(filePath);
    this.backupPath = `${this.path}.bak`;
    this.options = options;
  }

  async read(): Promise<T | null> {
    await this.removeTempFiles();
    return this.readCommitted();
  }

  /**
   * Reads the file as it is now without taking part in writing: no lock needed, nothing removed. Consistent even
   * while another process writes, because a write is a rename of a complete file (one read sees one version, and
   * the checksum proves it whole).
   */
  async readCommitted(): Promise<T | null> {
    let text: string;
    try {
      text = await readText(this.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      if (await exists(this.backupPath)) {
        throw new AnsvarError(
          'StoreCorrupt',
          `Data file ${this.path} is missing but its backup ${this.backupPath} exists, so data may have been lost; ` +
            `Ansvar will not start empty. To recover, stop Ansvar and copy ${this.backupPath} to ${this.path}, ` +
            `or remove the data directory to start with an empty register.`,
        );
      }
      return null;
    }
    return this.decode(text);
  }

  /**
   * Durably replaces the file with `data`. `data` is serialised before this returns (synchronously, so later
   * mutations of it do not leak into a queued write); the promise resolves once the new version is on disk.
   */
  write(data: T): Promise<void> {
    let text: string;
    try {
      text = this.encode(data);
    } catch (error) {
      return Promise.reject(error);
    }
    const run = this.queue.then(() => this.replaceWith(text));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private encode(data: T): string {
    const body = JSON.stringify(data);
    if (body === undefined) throw new TypeError(`cannot store ${typeof data} in ${this.path}`);
    const header = {
      format: this.options.format,
      formatVersion: this.options.formatVersion,
      sha256: sha256(body),
    };
    // Spliced rather than stringified again as one object: the data is serialised once, and the checksum covers
    // exactly the text written.
    return `${JSON.stringify(header).slice(0, -1)},"data":${body}}\n`;
  }

  private async decode(text: string): Promise<T> {
    if (text.length === 0) throw await this.corrupt('is empty (a write was cut off)');
    let envelope: Partial<Envelope>;
    try {
      envelope = JSON.parse(text) as Partial<Envelope>;
    } catch (error) {
      throw await this.corrupt(
        `is not complete JSON (truncated, or edited by hand): ${(error as Error).message}`,
        error,
      );
    }
    if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope)) {
      throw await this.corrupt('is JSON but not an Ansvar data file (no format header)');
    }
    if (envelope.format !== this.options.format) {
      throw await this.corrupt(
        `has format ${JSON.stringify(envelope.format)}, expected ${JSON.stringify(this.options.format)}: it is not this kind of Ansvar data file`,
      );
    }
    const readable = [this.options.formatVersion, ...(this.options.alsoReads ?? [])];
    const formatVersion = envelope.formatVersion;
    if (typeof formatVersion !== 'number' || !readable.includes(formatVersion)) {
      throw await this.corrupt(
        `has format version ${JSON.stringify(formatVersion)}; this version of Ansvar reads only version ${readable.join(' or ')}`,
      );
    }
    if (!matchesChecksum(text, envelope)) {
      throw await this.corrupt(
        'does not match its checksum: it was changed outside Ansvar or damaged on disk',
      );
    }
    try {
      return this.options.parse(envelope.data, formatVersion);
    } catch (error) {
      throw await this.corrupt(
        `has a valid checksum but unexpected content: ${(error as Error).message}`,
        error,
      );
    }
  }

  private async corrupt(problem: string, cause?: unknown): Promise<AnsvarError> {
    const restore = (await exists(this.backupPath))
      ? `restore the previous version by copying ${this.backupPath} over it`
      : 'restore it from a backup';
    return new AnsvarError(
      'StoreCorrupt',
      `Data file ${this.path} ${problem}. Ansvar has not changed it. To recover, stop Ansvar and ${restore}, ` +
        `or remove the data directory to start with an empty register.`,
      { path: this.path },
      { cause },
    );
  }

  private replaceWith(text: string): Promise<void> {
    return measureStoreWrite('lowdb', path.basename(this.path), () => this.replaceDurably(text));
  }

  private async replaceDurably(text: string): Promise<void> {
    const io = this.options.io ?? nodeFileIo;
    const temp = this.tempName();
    try {
      const handle = await fsp.open(temp, 'wx', 0o600);
      try {
        const bytes = Buffer.from(text, 'utf8');
        let done = 0;
        while (done < bytes.length) {
          const written = await io.write(temp, handle, bytes, done, bytes.length - done);
          if (!(written > 0)) throw Object.assign(new Error(`no progress writing ${temp}`), { code: 'EIO' });
          done += written;
        }
        await io.sync(temp, handle, false);
      } finally {
        await handle.close();
      }
      await this.keepBackup();
      await fsp.rename(temp, this.path);
      await syncDirectory(path.dirname(this.path));
    } catch (error) {
      await fsp.rm(temp, { force: true }).catch(() => undefined);
      this.options.health?.failed(this.path, error);
      throw notSaved(this.path, error);
    }
    this.options.health?.succeeded(this.path);
  }

  /** Points `<file>.bak` at the current file, atomically (link to a temp name, rename over the old backup). */
  private async keepBackup(): Promise<void> {
    const temp = `${this.tempName()}.bak`;
    try {
      await fsp.link(this.path, temp);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
      await copySynced(this.path, temp);
    }
    try {
      await fsp.rename(temp, this.backupPath);
    } catch (error) {
      await fsp.rm(temp, { force: true });
      throw error;
    }
  }

  private tempName(): string {
    return `${this.path}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  }

  private async removeTempFiles(): Promise<void> {
    const dir = path.dirname(this.path);
    const prefix = `${path.basename(this.path)}.tmp-`;
    let names: string[];
    try {
      names = await fsp.readdir(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const name of names) {
      if (name.startsWith(prefix)) await fsp.rm(path.join(dir, name), { force: true });
    }
  }
}

/**
 * Whether the envelope's checksum is that of `JSON.stringify(envelope.data)`. A file laid out exactly as `encode`
 * writes it (header, then the data, then `}` and a newline) is checked on its own data text, a slice of the file
 * that costs no copy: serialising the data again took as much memory again as the file (a large register: tens of
 * MB of garbage at start) and most of the read time. A file laid out otherwise (reformatted by hand, keys moved)
 * is checked as before, on the data serialised again.
 */
function matchesChecksum(text: string, envelope: Partial<Envelope>): boolean {
  const { sha256: expected, data } = envelope;
  if (typeof expected !== 'string' || data === undefined) return false;
  const written = writtenData(text, envelope.format, envelope.formatVersion, expected);
  if (written !== undefined && sha256(written) === expected) return true;
  return sha256(JSON.stringify(data)) === expected;
}

/** The data's text in `text` when `text` is laid out exactly as `encode` writes this header; else undefined. */
function writtenData(
  text: string,
  format: unknown,
  formatVersion: unknown,
  checksum: string,
): string | undefined {
  const head = `${JSON.stringify({ format, formatVersion, sha256: checksum }).slice(0, -1)},"data":`;
  if (!text.startsWith(head)) return undefined;
  const end = text.endsWith('}\n') ? text.length - 2 : text.endsWith('}') ? text.length - 1 : -1;
  return end > head.length ? text.slice(head.length, end) : undefined;
}

const READ_CHUNK_BYTES = 64 * 1024;

/**
 * The file as one flat string, UTF-8 decoded, holding nothing else of the size of the file once it returns. The
 * text of a large file outlives the read in the old generation until a full GC either way (JSON.parse of it
 * promotes it); each copy made on the way did too. `readFile(path, 'utf8')` makes a string of pieces that
 * JSON.parse then copies flat (a second copy), and `readFile(path).toString()` keeps the whole file's Buffer
 * alive beside the string. Here the pieces are small (they die young) and join() makes the one flat string.
 */
async function readText(file: string): Promise<string> {
  const handle = await fsp.open(file, 'r');
  try {
    const chunk = Buffer.allocUnsafe(READ_CHUNK_BYTES);
    const decoder = new StringDecoder('utf8');
    const pieces: string[] = [];
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      pieces.push(decoder.write(chunk.subarray(0, bytesRead)));
    }
    pieces.push(decoder.end());
    return pieces.join('');
  } finally {
    await handle.close();
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

async function exists(file: string): Promise<boolean> {
  try {
    await fsp.access(file);
    return true;
  } catch {
    return false;
  }
}

async function copySynced(from: string, to: string): Promise<void> {
  await fsp.copyFile(from, to);
  const handle = await fsp.open(to, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes a rename in `dir` durable. Windows cannot open a directory, and NTFS journals renames itself. */
export async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await fsp.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
