import type { AccessList, ReviewCampaign } from '../reviewModel.js';
import { applyCreate, applyUpdate, select, type ReviewData } from '../reviewRules.js';
import type { ReviewStore } from '../reviewStore.js';

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
