import { z } from 'zod';
import { AnsvarError } from '../../core/errors.js';
import { logger } from '../../core/logger.js';
import type { AccessList, ReviewCampaign } from '../reviewModel.js';
import { applyCreate, applyUpdate, select, type ReviewData } from '../reviewRules.js';
import type { ReviewStore } from '../reviewStore.js';
import type { FileIo } from './fileIo.js';
import type { StorageHealth } from '../storageHealth.js';
import { DurableJsonFile } from './durableJsonFile.js';
import type { FileLock } from './fileLock.js';
import { openOwnedJsonFile } from './ownedJsonFile.js';
import { GroupCommit } from './groupCommit.js';

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
  return openOwnedJsonFile<ReviewData, ReviewStore>(
    dataDir,
    options.fileName ?? 'reviews.json',
    {
      format: REVIEWS_FILE_FORMAT,
      formatVersion: REVIEWS_FILE_FORMAT_VERSION,
      parse: parseReviews,
      io: options.io,
      health: options.health,
    },
    { campaigns: {}, accessLists: {} },
    (file, lock, data) => new LowReviewStore(file, lock, data),
  );
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
