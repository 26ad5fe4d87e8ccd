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
