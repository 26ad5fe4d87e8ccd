import { AnsvarError } from '../core/errors.js';
import type { AccessList, ReviewCampaign } from './reviewModel.js';

/*
 * The rules of the review stores that keep their data as one value (memory, lowdb): one review per system at a time,
 * one compare-and-set per decision, newest first. PostgreSQL keeps the same rules in SQL.
 */

export interface ReviewData {
  campaigns: Record<string, ReviewCampaign>;
  accessLists: Record<string, AccessList>;
}

function conflict(id: string): AnsvarError {
  return new AnsvarError('RevisionConflict', `review ${id} was changed by someone else`, { id });
}

function newest(a: ReviewCampaign, b: ReviewCampaign): number {
  return b.startedAt.localeCompare(a.startedAt) || a.id.localeCompare(b.id);
}

export function select(
  data: ReviewData,
  filter: { organisationId?: string; systemId?: string },
): ReviewCampaign[] {
  return Object.values(data.campaigns)
    .filter(
      (c) =>
        (filter.organisationId === undefined || c.organisationId === filter.organisationId) &&
        (filter.systemId === undefined || c.systemId === filter.systemId),
    )
    .sort(newest)
    .map((c) => structuredClone(c));
}

export function applyCreate(data: ReviewData, campaign: ReviewCampaign): void {
  if (Object.hasOwn(data.campaigns, campaign.id)) throw conflict(campaign.id);
  if (
    campaign.status !== 'done' &&
    Object.values(data.campaigns).some((c) => c.systemId === campaign.systemId && c.status !== 'done')
  )
    throw conflict(campaign.id);
  data.campaigns[campaign.id] = structuredClone(campaign);
}

export function applyUpdate(data: ReviewData, next: ReviewCampaign, expectedVersion: number): ReviewCampaign {
  const stored = data.campaigns[next.id];
  if (!stored || stored.version !== expectedVersion) throw conflict(next.id);
  const written = { ...structuredClone(next), version: expectedVersion + 1 };
  data.campaigns[next.id] = written;
  return structuredClone(written);
}
