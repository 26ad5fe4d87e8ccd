/**
 * Access reviews (issue 13 item 4; Nordfjord: "revidere brukartilgangar", Sölvesborg 5 §: people who no longer
 * need access are removed): the shapes the review store persists. A campaign is kept after it closes: it is the
 * record of the review (who decided what, when and why), and every change is one compare-and-set on `version`.
 */

export const REVIEW_STATUSES = ['open', 'overdue', 'done'] as const;
/**
 * `open`: waiting for the system's administrator or deputy. `overdue`: nobody answered by `dueAt`; nothing was
 * removed, the owners were told and may now decide too. `done`: decided once, by `decision.by`.
 */
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

/** One person's access to the system as the review lists it. */
export interface ReviewEntry {
  /** Person id (lower-cased e-mail). */
  personId: string;
  /** The role or level as the access request or the system's own list names it. */
  role: string;
  /** Where the access is known from: granted through Ansvar (a done access request) and/or the imported list. */
  sources: ('ansvar' | 'imported')[];
}

export interface ReviewItemDecision {
  personId: string;
  role: string;
  outcome: 'keep' | 'remove';
  /** Required for a removal. */
  reason?: string;
  /** The stop request a removal became (services/requests). */
  stopRequestId?: string;
}

export interface ReviewDecision {
  by: string;
  at: string;
  /** One per entry, in the entries' order: the removals chosen and "keep all the rest". */
  items: ReviewItemDecision[];
}

export interface ReviewCampaign {
  /** Random UUID. */
  id: string;
  organisationId: string;
  systemId: string;
  /** Person id of who started it, or 'system' for a scheduled one. */
  startedBy: string;
  startedAt: string;
  /** After this, the owners are told and may decide; nothing is removed by itself. */
  dueAt: string;
  /** Start the next campaign a year after this one started. */
  yearly: boolean;
  status: ReviewStatus;
  /** The administrators and deputies when the campaign started (who were sent the card). */
  reviewerIds: string[];
  /** The owners when it became overdue (who were told). */
  ownerIds?: string[];
  entries: ReviewEntry[];
  decision?: ReviewDecision;
  /** Increases with every change; the compare-and-set key. */
  version: number;
}

/** An access list imported from the system itself (`npm run import` of `organisation, system, person, role`). */
export interface AccessList {
  systemId: string;
  organisationId: string;
  importedAt: string;
  /** Where it came from (the file name). */
  source: string;
  rows: { personId: string; role: string }[];
}
