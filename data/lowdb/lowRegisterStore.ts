import fsp from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AnsvarError, isAnsvarError } from '../../core/errors.js';
import { logger } from '../../core/logger.js';
import { DurableJsonFile } from './durableJsonFile.js';
import type { FileLock } from './fileLock.js';
import { openOwnedJsonFile } from './ownedJsonFile.js';
import { firstValues } from '../requestQueries.js';
import { applyChanges, withoutFlushed, withPendingAudit } from '../registerChanges.js';
import { deepFreeze, type DeepReadonly, type RegisterChanges, type RegisterSnapshot } from '../model.js';
import type { RegisterEffects, RegisterStore } from '../registerStore.js';
import type { FileIo } from './fileIo.js';
import type { StorageHealth } from '../storageHealth.js';
import type { AuditEvent } from '../requestModel.js';
import type { AuditHead } from '../auditLog.js';

export const REGISTER_FILE_FORMAT = 'ansvar-register';
export const REGISTER_FILE_FORMAT_VERSION = 1;

export interface LowRegisterStoreOptions {
  /** File name inside the data directory; default `register.json`. */
  fileName?: string;
  /** The durable file layer's write seam (tests inject faults); default the node fs. */
  io?: FileIo;
  health?: StorageHealth;
}

/**
 * What the file holds: the register and the audit events of register changes not yet in the audit log (written in
 * the same file write as the change they describe). Files written before register changes were audited lack
 * `pendingAudit`.
 */
interface RegisterFile extends RegisterSnapshot {
  pendingAudit?: AuditEvent[];
  /** The audit log's chain head after this store's last flush (files written before it existed lack it). */
  auditHead?: AuditHead;
}

const entities = z.array(z.looseObject({ id: z.string() }));
/** The envelope's checksum already proves Ansvar wrote the file; this only guards the top-level shape. */
const fileShape = z.object({
  revision: z.number().int().nonnegative(),
  organisations: entities,
  units: entities,
  people: entities,
  systems: entities,
  roleAssignments: entities,
  pendingAudit: entities.optional(),
  auditHead: z.object({ count: z.number().int().nonnegative(), hash: z.string() }).optional(),
});

const ENTITY_LISTS = ['organisations', 'units', 'people', 'systems', 'roleAssignments'] as const;

/**
 * `fileShape`, checked by hand on the data as it is: zod copies every entity it checks, which on a large register
 * was tens of thousands of objects of garbage and a noticeable share of the start. Zod still words the problem
 * when this check fails.
 */
function hasFileShape(data: unknown): boolean {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return false;
  const file = data as Record<string, unknown>;
  const revision = file.revision;
  if (typeof revision !== 'number' || !Number.isSafeInteger(revision) || revision < 0) return false;
  const isEntityList = (value: unknown) =>
    Array.isArray(value) &&
    value.every(
      (e) =>
        typeof e === 'object' &&
        e !== null &&
        !Array.isArray(e) &&
        typeof (e as { id?: unknown }).id === 'string',
    );
  return (
    ENTITY_LISTS.every((name) => isEntityList(file[name])) &&
    (file.pendingAudit === undefined || isEntityList(file.pendingAudit)) &&
    (file.auditHead === undefined || isAuditHead(file.auditHead))
  );
}

function isAuditHead(value: unknown): boolean {
  const head = value as Partial<AuditHead> | null;
  return (
    typeof head === 'object' &&
    head !== null &&
    typeof head.count === 'number' &&
    Number.isSafeInteger(head.count) &&
    head.count >= 0 &&
    typeof head.hash === 'string'
  );
}

function parseFile(data: unknown): RegisterFile {
  if (!hasFileShape(data)) {
    const result = fileShape.safeParse(data);
    if (!result.success) throw new Error(z.prettifyError(result.error));
  }
  return shareEqualStrings(data as RegisterFile);
}

/**
 * Makes equal strings in the register one string. JSON.parse makes a string for every value it reads, and a
 * register repeats most of them (organisation, unit and person ids, roles, dates, suppliers, lifecycles): on the
 * 10,000-system benchmark register, 335,000 strings of which 81,000 distinct, about half the register's heap.
 * The register is held for the life of the process, so sharing them is memory kept, for one walk at start.
 */
export function shareEqualStrings<T>(data: T): T {
  const strings = new Map<string, string>();
  const share = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const shared = strings.get(value);
      if (shared !== undefined) return shared;
      strings.set(value, value);
      return value;
    }
    if (typeof value !== 'object' || value === null) return value;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i += 1) value[i] = share(value[i]);
    } else {
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) record[key] = share(record[key]);
    }
    return value;
  };
  share(data);
  return data;
}

function emptyFile(): RegisterFile {
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
  return openOwnedJsonFile<RegisterFile, RegisterStore>(
    dataDir,
    options.fileName ?? 'register.json',
    {
      format: REGISTER_FILE_FORMAT,
      formatVersion: REGISTER_FILE_FORMAT_VERSION,
      parse: parseFile,
      io: options.io,
      health: options.health,
    },
    emptyFile(),
    (file, lock, data) => {
      const { pendingAudit = [], auditHead, ...snapshot } = data;
      const pending = new Map(pendingAudit.map((e) => [e.id, e]));
      logger.info(
        { file: file.path, revision: snapshot.revision, pendingAudit: pending.size },
        'register store opened',
      );
      return new LowRegisterStore(deepFreeze(snapshot), pending, auditHead, file, lock);
    },
  );
}

/**
 * The audit chain head the register store in `dataDir` recorded, read without the lock and without changing
 * anything (for `npm run audit -- --check`). Undefined when none was recorded yet (or there is no register).
 */
export async function readRegisterStoreAuditHead(
  dataDir: string,
  options: Pick<LowRegisterStoreOptions, 'fileName'> = {},
): Promise<AuditHead | undefined> {
  try {
    const text = await fsp.readFile(path.join(dataDir, options.fileName ?? 'register.json'), 'utf8');
    return (JSON.parse(text) as { data?: { auditHead?: AuditHead } }).data?.auditHead;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * The register in `<dataDir>/register.json` as committed now, read without the lock: for dry runs and exports while
 * the bot runs. An empty register (revision 0) when there is no file yet; StoreCorrupt when it is damaged.
 */
export async function readLowRegisterSnapshot(
  dataDir: string,
  options: LowRegisterStoreOptions = {},
): Promise<RegisterSnapshot> {
  const file = new DurableJsonFile<RegisterFile>(path.join(dataDir, options.fileName ?? 'register.json'), {
    format: REGISTER_FILE_FORMAT,
    formatVersion: REGISTER_FILE_FORMAT_VERSION,
    parse: parseFile,
  });
  const data = (await file.readCommitted()) ?? emptyFile();
  const { revision, organisations, units, people, systems, roleAssignments } = data;
  return { revision, organisations, units, people, systems, roleAssignments };
}

class LowRegisterStore implements RegisterStore {
  /** Tail of the write queue; every apply runs after the previous one settled. */
  private writes: Promise<unknown> = Promise.resolve();
  private closing: Promise<void> | undefined;

  constructor(
    /** The durable register, deep-frozen; replaced (never mutated) after each successful write. */
    private state: RegisterSnapshot,
    /** The durable pending audit events, oldest first; replaced with the state. */
    private pending: ReadonlyMap<string, AuditEvent>,
    /** The audit chain head after the last durable flush; replaced with the state. */
    private head: AuditHead | undefined,
    private readonly file: DurableJsonFile<RegisterFile>,
    private readonly lock: FileLock,
  ) {}

  async revision(): Promise<number> {
    this.assertOpen();
    return this.state.revision;
  }

  async snapshot(): Promise<RegisterSnapshot> {
    this.assertOpen();
    return structuredClone(this.state);
  }

  async frozen(): Promise<DeepReadonly<RegisterSnapshot>> {
    this.assertOpen();
    return this.state;
  }

  apply(changes: RegisterChanges, expectedRevision: number, effects?: RegisterEffects): Promise<number> {
    return this.queued(() => this.applyNow(changes, expectedRevision, effects));
  }

  async pendingAudit(limit?: number): Promise<AuditEvent[]> {
    this.assertOpen();
    return firstValues(this.pending, limit);
  }

  auditFlushed(eventIds: string[], head?: AuditHead): Promise<void> {
    return this.queued(async () => {
      const pending = withoutFlushed(this.pending, eventIds);
      const nextHead = head && (!this.head || head.count >= this.head.count) ? head : this.head;
      if (pending || nextHead !== this.head)
        await this.persist(this.state, pending ?? this.pending, nextHead);
    });
  }

  async auditHead(): Promise<AuditHead | undefined> {
    this.assertOpen();
    return this.head;
  }

  /** Runs `write` after every earlier write settled; refuses at once when the store is closed. */
  private queued<T>(write: () => Promise<T>): Promise<T> {
    try {
      this.assertOpen();
    } catch (error) {
      return Promise.reject(error);
    }
    const run = this.writes.then(write);
    this.writes = run.catch(() => undefined);
    return run;
  }

  /**
   * Runs inside the queue, so the compare-and-set sees every earlier write. The state moves to the new revision
   * only after the file write succeeded: readers never see a revision that is not durable, and a failed write
   * leaves the store at the old revision with the old pending events.
   */
  private async applyNow(
    changes: RegisterChanges,
    expectedRevision: number,
    effects: RegisterEffects | undefined,
  ): Promise<number> {
    const current = this.state;
    if (expectedRevision !== current.revision) {
      throw new AnsvarError(
        'RevisionConflict',
        `expected revision ${expectedRevision}, store is at ${current.revision}`,
      );
    }
    const restart = effects?.newAuditChain === true;
    const pending = withPendingAudit(restart ? new Map() : this.pending, effects);
    const next = applyChanges(current, changes, effects?.remove);
    await this.persist(next, pending, restart ? undefined : this.head);
    return next.revision;
  }

  /** One durable write of the register and its pending audit events; memory follows only on success. */
  private async persist(
    next: RegisterSnapshot,
    pending: ReadonlyMap<string, AuditEvent>,
    head: AuditHead | undefined,
  ): Promise<void> {
    try {
      await this.file.write({
        ...next,
        pendingAudit: [...pending.values()],
        ...(head ? { auditHead: head } : {}),
      });
    } catch (error) {
      const level = isAnsvarError(error, 'NotSaved') ? 'warn' : 'error';
      logger[level]({ err: error, file: this.file.path, revision: next.revision }, 'register write failed');
      throw error;
    }
    this.state = deepFreeze(next);
    this.pending = pending;
    this.head = head;
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
