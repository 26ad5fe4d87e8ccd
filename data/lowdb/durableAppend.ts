import fsp, { type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { AnsvarError } from '../../core/errors.js';
import { measureStoreWrite } from '../../core/telemetry.js';
import { storageErrorCode, type StorageHealth } from '../storageHealth.js';
import { nodeFileIo, type FileIo } from './fileIo.js';

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

  append(data: Buffer): Promise<void> {
    return measureStoreWrite('lowdb', path.basename(this.path), () => this.appendDurably(data));
  }

  private async appendDurably(data: Buffer): Promise<void> {
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
