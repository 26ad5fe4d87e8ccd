import fsp from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { z } from 'zod';
import { AnsvarError } from '../services/errors.js';
import { logger } from '../services/logger.js';
import { DurableJsonFile } from './durableJsonFile.js';
import { acquireFileLock, type FileLock } from './fileLock.js';
import { applyChanges } from './memoryRegisterStore.js';
import { deepFreeze, type DeepReadonly, type RegisterChanges, type RegisterSnapshot } from './model.js';
import type { RegisterStore } from './registerStore.js';

export const REGISTER_FILE_FORMAT = 'ansvar-register';
export const REGISTER_FILE_FORMAT_VERSION = 1;

export interface LowRegisterStoreOptions {
  /** File name inside the data directory; default `register.json`. */
  fileName?: string;
}

const entities = z.array(z.looseObject({ id: z.string() }));
/** The envelope's checksum already proves Ansvar wrote the file; this only guards the top-level shape. */
const snapshotShape = z.object({
  revision: z.number().int().nonnegative(),
  organisations: entities,
  units: entities,
  people: entities,
  systems: entities,
  roleAssignments: entities,
});

function parseSnapshot(data: unknown): RegisterSnapshot {
  const result = snapshotShape.safeParse(data);
  if (!result.success) throw new Error(z.prettifyError(result.error));
  return data as RegisterSnapshot;
}

function emptySnapshot(): RegisterSnapshot {
  return { revision: 0, organisations: [], units: [], people: [], systems: [], roleAssignments: [] };
}

/**
 * Opens the register kept in `<dataDir>/<fileName>`, owning it exclusively until close() (throws StoreLocked if
 * another process or another open store holds it, StoreCorrupt if the file is damaged).
 *
 * Every write serialises and rewrites the whole register (JSON.stringify blocks the event loop for its duration),
 * so this file holds register data only; requests and the audit log live in files of their own.
 */
export async function openLowRegisterStore(
  dataDir: string,
  options: LowRegisterStoreOptions = {},
): Promise<RegisterStore> {
  await fsp.mkdir(dataDir, { recursive: true });
  const filePath = path.join(dataDir, options.fileName ?? 'register.json');
  const lock = await acquireFileLock(filePath);
  try {
    const file = new DurableJsonFile<RegisterSnapshot>(filePath, {
      format: REGISTER_FILE_FORMAT,
      formatVersion: REGISTER_FILE_FORMAT_VERSION,
      parse: parseSnapshot,
    });
    const db = new Low<RegisterSnapshot>(file, emptySnapshot());
    await db.read();
    deepFreeze(db.data);
    logger.info({ file: file.path, revision: db.data.revision }, 'register store opened');
    return new LowRegisterStore(db, file, lock);
  } catch (error) {
    await lock.release();
    throw error;
  }
}

class LowRegisterStore implements RegisterStore {
  /** Tail of the write queue; every apply runs after the previous one settled. */
  private writes: Promise<unknown> = Promise.resolve();
  private closing: Promise<void> | undefined;

  constructor(
    private readonly db: Low<RegisterSnapshot>,
    private readonly file: DurableJsonFile<RegisterSnapshot>,
    private readonly lock: FileLock,
  ) {}

  async revision(): Promise<number> {
    this.assertOpen();
    return this.db.data.revision;
  }

  async snapshot(): Promise<RegisterSnapshot> {
    this.assertOpen();
    return structuredClone(this.db.data);
  }

  async frozen(): Promise<DeepReadonly<RegisterSnapshot>> {
    this.assertOpen();
    return this.db.data;
  }

  apply(changes: RegisterChanges, expectedRevision: number): Promise<number> {
    try {
      this.assertOpen();
    } catch (error) {
      return Promise.reject(error);
    }
    const run = this.writes.then(() => this.applyNow(changes, expectedRevision));
    this.writes = run.catch(() => undefined);
    return run;
  }

  /**
   * Runs inside the queue, so the compare-and-set sees every earlier write. `db.data` moves to the new revision
   * only after the file write succeeded: readers never see a revision that is not durable, and a failed write
   * leaves the store at the old revision (which is why this calls the adapter rather than `db.write()`).
   */
  private async applyNow(changes: RegisterChanges, expectedRevision: number): Promise<number> {
    const current = this.db.data;
    if (expectedRevision !== current.revision) {
      throw new AnsvarError(
        'RevisionConflict',
        `expected revision ${expectedRevision}, store is at ${current.revision}`,
      );
    }
    const next = applyChanges(current, changes);
    try {
      await this.file.write(next);
    } catch (error) {
      logger.error({ err: error, file: this.file.path, revision: next.revision }, 'register write failed');
      throw error;
    }
    this.db.data = deepFreeze(next);
    return next.revision;
  }

  close(): Promise<void> {
    this.closing ??= this.writes.then(() => this.lock.release());
    return this.closing;
  }

  private assertOpen(): void {
    if (this.closing) {
      throw new AnsvarError(
        'StoreLocked',
        `the register store for ${this.file.path} is closed; it no longer owns the file`,
      );
    }
  }
}
