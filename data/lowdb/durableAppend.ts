import fsp, { type FileHandle } from 'node:fs/promises';
import { AnsvarError } from '../../core/errors.js';

/**
 * The file system calls the durable file layer makes to write, as a seam: production uses `nodeFileIo`; tests inject
 * short writes, ENOSPC and EIO here (test/support/faultyIo.ts) instead of stubbing `fs`.
 */
export interface FileIo {
  /**
   * Writes `buffer[offset, offset + length)` at the end of `file` (opened for appending, or new); resolves with the
   * bytes written, which may be fewer. `file` names the handle's file (for logs and fault plans).
   */
  write(file: string, handle: FileHandle, buffer: Buffer, offset: number, length: number): Promise<number>;
  /** fsync (`data: true`: fdatasync). */
  sync(file: string, handle: FileHandle, data: boolean): Promise<void>;
  truncate(file: string, handle: FileHandle, length: number): Promise<void>;
  size(file: string, handle: FileHandle): Promise<number>;
}

export const nodeFileIo: FileIo = {
  async write(_file, handle, buffer, offset, length) {
    return (await handle.write(buffer, offset, length, null)).bytesWritten;
  },
  sync: (_file, handle, data) => (data ? handle.datasync() : handle.sync()),
  truncate: (_file, handle, length) => handle.truncate(length),
  async size(_file, handle) {
    return (await handle.stat()).size;
  },
};

/** errno codes that mean "the disk cannot take writes now" (full, over quota, failing, read-only). */
export const STORAGE_ERROR_CODES = ['ENOSPC', 'EDQUOT', 'EIO', 'EROFS', 'EFBIG'] as const;

/** The errno code of `error` or of any error in its cause chain, if it is one of STORAGE_ERROR_CODES. */
export function storageErrorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (STORAGE_ERROR_CODES as readonly string[]).includes(code)) return code;
    const reason = (e as { details?: { reason?: unknown } }).details?.reason;
    if (typeof reason === 'string' && (STORAGE_ERROR_CODES as readonly string[]).includes(reason))
      return reason;
  }
  return undefined;
}

/**
 * Which data files could not be written, so the bot can say "not ready" (/healthz) and tell users plainly that
 * changes cannot be saved. A file is healthy again after its next successful write, or after `recovered()`
 * (a probe write in the data directory succeeded). One per app; the durable file layer reports into it.
 */
export class StorageHealth {
  private readonly failing = new Map<string, { code: string; at: string }>();
  private readonly listeners = new Set<() => void>();

  /** Undefined while every write succeeds; else why and since when, for the first failing file. */
  get problem(): { reason: string; file: string; since: string } | undefined {
    const first = this.failing.entries().next();
    if (first.done) return undefined;
    const [file, { code, at }] = first.value;
    return { reason: code, file, since: at };
  }

  failed(file: string, error: unknown): void {
    const code = storageErrorCode(error) ?? (error as { code?: unknown })?.code;
    if (typeof code !== 'string' || !(STORAGE_ERROR_CODES as readonly string[]).includes(code)) return;
    const was = this.failing.size;
    if (!this.failing.has(file)) this.failing.set(file, { code, at: new Date().toISOString() });
    if (was === 0) for (const listener of this.listeners) listener();
  }

  succeeded(file: string): void {
    this.failing.delete(file);
  }

  recovered(): void {
    this.failing.clear();
  }

  /** Called when the first file starts failing (the app starts probing for space then). */
  onFailure(listener: () => void): void {
    this.listeners.add(listener);
  }
}

export interface AppendOnlyFileOptions {
  io?: FileIo;
  health?: StorageHealth;
  /** fdatasync instead of fsync after each append (the file's size is metadata fdatasync still flushes). */
  dataSync?: boolean;
}

/**
 * The one durable append: each `append` is all or nothing. It writes the whole buffer (a short write is continued
 * with the remainder), syncs, and only then counts the bytes as written. On any failure it cuts the file back to
 * the last good length (never extending it: the cut happens only when the file is longer than that) and rejects
 * with AnsvarError('NotSaved') naming the errno code; if even the cut fails, the next append first retries it,
 * so no later record follows a partial one. Appends must not overlap (callers serialise them).
 */
export class AppendOnlyFile {
  private good: number;
  private uncut = false;
  private readonly io: FileIo;

  constructor(
    readonly path: string,
    private handle: FileHandle,
    /** Bytes of the file known complete and durable. */
    length: number,
    private readonly options: AppendOnlyFileOptions = {},
  ) {
    this.good = length;
    this.io = options.io ?? nodeFileIo;
  }

  /** Bytes known complete and durable. */
  get length(): number {
    return this.good;
  }

  /** True while a failed append's bytes may still be in the file (the cut back failed). */
  get damaged(): boolean {
    return this.uncut;
  }

  /** Swaps the handle (after the owner replaced the file) and the known-good length. */
  reset(handle: FileHandle, length: number): void {
    this.handle = handle;
    this.good = length;
    this.uncut = false;
  }

  async append(data: Buffer): Promise<void> {
    if (this.uncut) await this.cutBack(true);
    const before = this.good;
    try {
      let done = 0;
      while (done < data.length) {
        const written = await this.io.write(this.path, this.handle, data, done, data.length - done);
        if (!(written > 0)) {
          throw Object.assign(new Error(`no progress writing ${this.path}`), { code: 'EIO' });
        }
        done += written;
      }
      await this.io.sync(this.path, this.handle, this.options.dataSync ?? false);
    } catch (error) {
      await this.cutBack(false);
      this.options.health?.failed(this.path, error);
      throw notSaved(this.path, error);
    }
    this.good = before + data.length;
    this.options.health?.succeeded(this.path);
  }

  /** Cuts the file to the good length if it is longer; `rethrow`: a failed cut rejects (else it is retried later). */
  private async cutBack(rethrow: boolean): Promise<void> {
    try {
      const size = await this.io.size(this.path, this.handle);
      if (size > this.good) {
        await this.io.truncate(this.path, this.handle, this.good);
        await this.io.sync(this.path, this.handle, false);
      }
      this.uncut = false;
    } catch (error) {
      this.uncut = true;
      if (rethrow) {
        this.options.health?.failed(this.path, error);
        throw notSaved(this.path, error);
      }
    }
  }
}

/** The error a caller gets when data could not be made durable: nothing of it was kept. */
export function notSaved(file: string, error: unknown): AnsvarError {
  if (error instanceof AnsvarError && error.code === 'NotSaved') return error;
  const reason = storageErrorCode(error) ?? String((error as { code?: unknown })?.code ?? 'unknown');
  const detail = error instanceof Error ? error.message : String(error);
  return new AnsvarError(
    'NotSaved',
    `could not write ${file} (${reason}: ${detail}); nothing of this change was kept`,
    { path: file, reason },
    { cause: error },
  );
}

/** Opens `file` for appending (created if missing) and returns its handle and current size. */
export async function openForAppend(file: string): Promise<{ handle: FileHandle; size: number }> {
  const handle = await fsp.open(file, 'a+', 0o600);
  try {
    return { handle, size: (await handle.stat()).size };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
