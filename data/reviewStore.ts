import fsp from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { z } from 'zod';
import { AnsvarError } from '../core/errors.js';
import { logger } from '../core/logger.js';
import type { FileIo, StorageHealth } from './lowdb/durableAppend.js';
import { DurableJsonFile } from './lowdb/durableJsonFile.js';
import { acquireFileLock, type FileLock } from './lowdb/fileLock.js';
import { GroupCommit } from './lowdb/lowRequestStore.js';
import type { AccessList, ReviewCampaign } from './reviewModel.js';

/**
 * Where access-review campaigns and imported access lists are kept. Contract:
 * - `create` refuses an id that exists, and a second running (not done) campaign of one system (AnsvarError
 *   'RevisionConflict'): two starts at once make one campaign, also across instances; `update` writes only when the stored version is
 *   `expectedVersion` and stores version + 1 (else AnsvarError 'RevisionConflict'): one compare-and-set per decision.
 * - `putAccessList` replaces the system's list (the latest import is the system's own view).
 * - Values go in and out as copies; a change is durable when its promise resolves.
 */
export interface ReviewStore {
  get(id: string): Promise<ReviewCampaign | undefined>;
  /** Campaigns, newest first, optionally of one organisation / system. */
  list(filter?: { organisationId?: string; systemId?: string }): Promise<ReviewCampaign[]>;
  create(campaign: ReviewCampaign): Promise<void>;
  update(next: ReviewCampaign, expectedVersion: number): Promise<ReviewCampaign>;
  accessList(systemId: string): Promise<AccessList | undefined>;
  putAccessList(list: AccessList): Promise<void>;
  close(): Promise<void>;
}

interface ReviewData {
  campaigns: Record<string, ReviewCampaign>;
  accessLists: Record<string, AccessList>;
}

function conflict(id: string): AnsvarError {
  return new AnsvarError('RevisionConflict', `review ${id} was changed by someone else`, { id });
}

function newest(a: ReviewCampaign, b: ReviewCampaign): number {
  return b.startedAt.localeCompare(a.startedAt) || a.id.localeCompare(b.id);
}

function select(data: ReviewData, filter: { organisationId?: string; systemId?: string }): ReviewCampaign[] {
  return Object.values(data.campaigns)
    .filter(
      (c) =>
        (filter.organisationId === undefined || c.organisationId === filter.organisationId) &&
        (filter.systemId === undefined || c.systemId === filter.systemId),
    )
    .sort(newest)
    .map((c) => structuredClone(c));
}

function applyCreate(data: ReviewData, campaign: ReviewCampaign): void {
  if (Object.hasOwn(data.campaigns, campaign.id)) throw conflict(campaign.id);
  if (
    campaign.status !== 'done' &&
    Object.values(data.campaigns).some((c) => c.systemId === campaign.systemId && c.status !== 'done')
  )
    throw conflict(campaign.id);
  data.campaigns[campaign.id] = structuredClone(campaign);
}

function applyUpdate(data: ReviewData, next: ReviewCampaign, expectedVersion: number): ReviewCampaign {
  const stored = data.campaigns[next.id];
  if (!stored || stored.version !== expectedVersion) throw conflict(next.id);
  const written = { ...structuredClone(next), version: expectedVersion + 1 };
  data.campaigns[next.id] = written;
  return structuredClone(written);
}

/** The contract in memory, for tests and for stores that keep nothing across restarts. */
export class MemoryReviewStore implements ReviewStore {
  private readonly data: ReviewData = { campaigns: {}, accessLists: {} };

  async get(id: string): Promise<ReviewCampaign | undefined> {
    const found = this.data.campaigns[id];
    return found && structuredClone(found);
  }

  async list(filter: { organisationId?: string; systemId?: string } = {}): Promise<ReviewCampaign[]> {
    return select(this.data, filter);
  }

  async create(campaign: ReviewCampaign): Promise<void> {
    applyCreate(this.data, campaign);
  }

  async update(next: ReviewCampaign, expectedVersion: number): Promise<ReviewCampaign> {
    return applyUpdate(this.data, next, expectedVersion);
  }

  async accessList(systemId: string): Promise<AccessList | undefined> {
    const found = this.data.accessLists[systemId];
    return found && structuredClone(found);
  }

  async putAccessList(list: AccessList): Promise<void> {
    this.data.accessLists[list.systemId] = structuredClone(list);
  }

  async close(): Promise<void> {}
}

export const REVIEWS_FILE_FORMAT = 'ansvar-reviews';
export const REVIEWS_FILE_FORMAT_VERSION = 1;

const fileShape = z.object({
  campaigns: z.record(z.string(), z.looseObject({ id: z.string(), version: z.number() })),
  accessLists: z.record(z.string(), z.looseObject({ systemId: z.string() })),
});

function parseReviews(data: unknown): ReviewData {
  const result = fileShape.safeParse(data);
  if (!result.success) throw new Error(z.prettifyError(result.error));
  return data as ReviewData;
}

/**
 * Opens `<dataDir>/reviews.json`, owning it (file lock) until close(). The file is small (a campaign per system and
 * year); each change is written durably (DurableJsonFile: temp, fsync, rename) before memory changes, and changes
 * that arrive during a write go together in the next one.
 */
export async function openLowReviewStore(
  dataDir: string,
  options: { fileName?: string; io?: FileIo; health?: StorageHealth } = {},
): Promise<ReviewStore> {
  await fsp.mkdir(dataDir, { recursive: true });
  const filePath = path.join(dataDir, options.fileName ?? 'reviews.json');
  const lock = await acquireFileLock(filePath);
  try {
    const file = new DurableJsonFile<ReviewData>(filePath, {
      format: REVIEWS_FILE_FORMAT,
      formatVersion: REVIEWS_FILE_FORMAT_VERSION,
      parse: parseReviews,
      io: options.io,
      health: options.health,
    });
    const db = new Low<ReviewData>(file, { campaigns: {}, accessLists: {} });
    await db.read();
    return new LowReviewStore(file, lock, db.data);
  } catch (error) {
    await lock.release();
    throw error;
  }
}

class LowReviewStore implements ReviewStore {
  private readonly commits: GroupCommit<ReviewData>;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly file: DurableJsonFile<ReviewData>,
    private readonly lock: FileLock,
    private data: ReviewData,
  ) {
    this.commits = new GroupCommit({
      begin: () => ({ campaigns: { ...this.data.campaigns }, accessLists: { ...this.data.accessLists } }),
      changed: () => true,
      persist: async (draft) => {
        try {
          await this.file.write(draft);
        } catch (error) {
          logger.error({ err: error, file: this.file.path }, 'review store write failed');
          throw error;
        }
      },
      commit: (draft) => {
        this.data = draft;
      },
    });
  }

  async get(id: string): Promise<ReviewCampaign | undefined> {
    this.assertOpen();
    const found = this.data.campaigns[id];
    return found && structuredClone(found);
  }

  async list(filter: { organisationId?: string; systemId?: string } = {}): Promise<ReviewCampaign[]> {
    this.assertOpen();
    return select(this.data, filter);
  }

  async create(campaign: ReviewCampaign): Promise<void> {
    this.assertOpen();
    await this.commits.submit((draft) => applyCreate(draft, campaign));
  }

  async update(next: ReviewCampaign, expectedVersion: number): Promise<ReviewCampaign> {
    this.assertOpen();
    return this.commits.submit((draft) => applyUpdate(draft, next, expectedVersion));
  }

  async accessList(systemId: string): Promise<AccessList | undefined> {
    this.assertOpen();
    const found = this.data.accessLists[systemId];
    return found && structuredClone(found);
  }

  async putAccessList(list: AccessList): Promise<void> {
    this.assertOpen();
    await this.commits.submit((draft) => {
      draft.accessLists[list.systemId] = structuredClone(list);
    });
  }

  close(): Promise<void> {
    this.closing ??= this.commits.drain().then(() => this.lock.release());
    return this.closing;
  }

  private assertOpen(): void {
    if (this.closing)
      throw new AnsvarError('StoreLocked', `the review store for ${this.file.path} is closed`);
  }
}
