import type { FileHandle } from 'node:fs/promises';

/**
 * The file system calls the durable file layer makes to write, as a seam: production uses `nodeFileIo`; tests inject
 * short writes, ENOSPC and EIO here (test/data/fixtures/faultyIo.ts) instead of stubbing `fs`.
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
