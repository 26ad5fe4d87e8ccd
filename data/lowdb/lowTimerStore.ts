import fsp from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { z } from 'zod';
import { AnsvarError } from '../../core/errors.js';
import { logger } from '../../core/logger.js';
import { DurableJsonFile } from './durableJsonFile.js';
import { acquireFileLock, type FileLock } from './fileLock.js';
import { Journal } from './journal.js';
import { TimerTable, type TimerChange } from '../timerTable.js';
import type { ClaimInput, NewTimer, Timer, TimerStore } from '../timerStore.js';

export const TIMERS_FILE_FORMAT = 'ansvar-timers';
export const TIMERS_FILE_FORMAT_VERSION = 1;

interface TimersFile {
  generation: number;
  timers: Timer[];
}

const flat = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const timerShape = z.object({
  id: z.string().min(1),
  kind: z.string().min(1),
  group: z.string().min(1),
  dueAt: z.string(),
  payload: z.record(z.string(), flat),
  attempts: z.number().int().min(0),
  claimedBy: z.string().optional(),
  claimedUntil: z.string().optional(),
});
const fileShape = z.object({ generation: z.number().int().min(0), timers: z.array(timerShape) });
const entryShape = z.object({
  changes: z.array(z.union([z.object({ put: timerShape }), z.object({ delete: z.string() })])),
});

export interface LowTimerStoreOptions {
  fileName?: string;
  /** A new snapshot is written once the journal holds this many bytes; default 4 MiB. */
  journalMaxBytes?: number;
}

/**
 * The TimerStore contract (data/timerStore.ts) on disk: `<dataDir>/timers.json` (a snapshot, DurableJsonFile: temp,
 * fsync, rename, fsync dir, .bak) plus `<dataDir>/timers.journal` (journal.ts), owned exclusively until close()
 * (a lock on the snapshot). Every change is planned against the table in memory, appended to the journal as the
 * exact list of timers stored or removed (fdatasync), and only then applied, so memory never runs ahead of the disk;
 * changes are serialised, which makes each claim a compare-and-set. A claim of a few due timers among 100,000
 * costs a journal line, not a rewrite. At open the journal is replayed into a new snapshot.
 */
export async function openLowTimerStore(
  dataDir: string,
  options: LowTimerStoreOptions = {},
): Promise<TimerStore> {
  await fsp.mkdir(dataDir, { recursive: true });
  const filePath = path.join(dataDir, options.fileName ?? 'timers.json');
  const journalPath = filePath.replace(/\.json$/, '') + '.journal';
  const lock = await acquireFileLock(filePath);
  let journal: Journal | undefined;
  try {
    const file = new DurableJsonFile<TimersFile>(filePath, {
      format: TIMERS_FILE_FORMAT,
      formatVersion: TIMERS_FILE_FORMAT_VERSION,
      parse: (data) => {
        const parsed = fileShape.safeParse(data);
        if (!parsed.success) throw new Error(z.prettifyError(parsed.error));
        return parsed.data as TimersFile;
      },
    });
    const db = new Low<TimersFile>(file, { generation: 0, timers: [] });
    await db.read();
    const opened = await Journal.open(journalPath, {
      of: TIMERS_FILE_FORMAT,
      generation: db.data.generation,
    });
    journal = opened.journal;
    const table = new TimerTable(db.data.timers);
    opened.entries.forEach((entry, i) => {
      const parsed = entryShape.safeParse(entry);
      if (!parsed.success) {
        throw new AnsvarError(
          'StoreCorrupt',
          `Journal ${journalPath} entry ${i + 1} is not a timer change.`,
          {
            path: journalPath,
          },
        );
      }
      table.apply(parsed.data.changes as TimerChange[]);
    });
    const store = new LowTimerStore(file, journal, db.data.generation, lock, table, options);
    if (opened.entries.length > 0) await store.snapshotNow();
    return store;
  } catch (error) {
    await journal?.close();
    await lock.release();
    throw error;
  }
}

class LowTimerStore implements TimerStore {
  private tail: Promise<unknown> = Promise.resolve();
  private closing: Promise<void> | undefined;
  private readonly journalMaxBytes: number;

  constructor(
    private readonly file: DurableJsonFile<TimersFile>,
    private readonly journal: Journal,
    private generation: number,
    private readonly lock: FileLock,
    private readonly table: TimerTable,
    options: LowTimerStoreOptions,
  ) {
    this.journalMaxBytes = options.journalMaxBytes ?? 4 * 1024 * 1024;
  }

  replaceGroup(group: string, timers: NewTimer[]): Promise<void> {
    return this.change(() => this.table.planReplace(group, timers)).then(() => undefined);
  }

  async add(timers: NewTimer[]): Promise<string[]> {
    const changes = await this.change(() => this.table.planAdd(timers));
    return changes.flatMap((c) => ('put' in c ? [c.put.id] : []));
  }

  async claimDue(input: ClaimInput): Promise<Timer[]> {
    const changes = await this.change(() => this.table.planClaim(input));
    return changes.flatMap((c) => ('put' in c ? [structuredClone(c.put)] : []));
  }

  async complete(ids: readonly string[], owner: string): Promise<string[]> {
    const changes = await this.change(() => this.table.planComplete(ids, owner));
    return changes.flatMap((c) => ('delete' in c ? [c.delete] : []));
  }

  async release(id: string, owner: string, dueAt: Date, failed: boolean): Promise<boolean> {
    return (await this.change(() => this.table.planRelease(id, owner, dueAt, failed))) !== undefined;
  }

  async nextDue(): Promise<Date | undefined> {
    this.assertOpen();
    return this.table.nextDue();
  }

  async group(group: string): Promise<Timer[]> {
    this.assertOpen();
    return structuredClone(this.table.ofGroup(group));
  }

  async all(): Promise<Timer[]> {
    return structuredClone(this.table.all());
  }

  async count(): Promise<number> {
    this.assertOpen();
    return this.table.size;
  }

  snapshotNow(): Promise<void> {
    return this.serial(() => this.writeSnapshot());
  }

  close(): Promise<void> {
    this.closing ??= this.tail
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => this.journal.close())
      .finally(() => this.lock.release());
    return this.closing;
  }

  /** Plans against the current table, makes the plan durable, then applies it; one change at a time. */
  private change<C extends TimerChange[] | undefined>(plan: () => C): Promise<C> {
    this.assertOpen();
    return this.serial(async () => {
      const changes = plan();
      if (changes && changes.length > 0) {
        try {
          if (this.journal.damaged || this.journal.size >= this.journalMaxBytes) {
            this.table.apply(changes);
            // The snapshot holds the change; a failure leaves memory ahead of disk, so the store refuses more.
            await this.writeSnapshot().catch((error: unknown) => {
              this.closing ??= Promise.resolve();
              throw error;
            });
            return changes;
          }
          await this.journal.append({ changes });
        } catch (error) {
          logger.error({ err: error, file: this.file.path }, 'timer store write failed');
          throw error;
        }
        this.table.apply(changes);
      }
      return changes;
    });
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.tail.then(task, task);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async writeSnapshot(): Promise<void> {
    const generation = this.generation + 1;
    await this.file.write({ generation, timers: this.table.all() });
    this.generation = generation;
    try {
      await this.journal.restart(generation);
    } catch (error) {
      logger.error({ err: error, journal: this.journal.path }, 'timer journal could not be restarted');
    }
  }

  private assertOpen(): void {
    if (this.closing) throw new AnsvarError('StoreLocked', `the timer store ${this.file.path} is closed`);
  }
}
