import fsp from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { DurableJsonFile, type DurableJsonFileOptions } from './durableJsonFile.js';
import { acquireFileLock, type FileLock } from './fileLock.js';

/**
 * Opens `<dataDir>/<fileName>` for a store that owns it until its close(): takes the file's lock (StoreLocked while
 * another process or store holds it), reads the file (StoreCorrupt if damaged; `empty` when there is none yet) and
 * hands file, lock and data to `open`, which builds the store. The lock is released if reading or `open` throws.
 */
export async function openOwnedJsonFile<T, S>(
  dataDir: string,
  fileName: string,
  options: DurableJsonFileOptions<T>,
  empty: T,
  open: (file: DurableJsonFile<T>, lock: FileLock, data: T) => S,
): Promise<S> {
  await fsp.mkdir(dataDir, { recursive: true });
  const filePath = path.join(dataDir, fileName);
  const lock = await acquireFileLock(filePath);
  try {
    const file = new DurableJsonFile<T>(filePath, options);
    const db = new Low<T>(file, empty);
    await db.read();
    return open(file, lock, db.data);
  } catch (error) {
    await lock.release();
    throw error;
  }
}
