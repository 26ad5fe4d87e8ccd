/**
 * Requests (access now, equipment later, more kinds from data): the shapes every request store persists. A request
 * carries its whole resolved route, so a decision never depends on how the register looks later, and every change
 * is one compare-and-set on `version`.
 */

/**
 * Overall state. `open` while a step waits for a decision or for work to be carried out. `expired`: a step waited
 * longer than the organisation's policy allows (nobody decided); the requester may submit again.
 */
export const REQUEST_STATUSES = ['open', 'rejected', 'cancelled', 'done', 'failed', 'expired'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** Who decides a stage, as routing data names it. */
export const STAGE_ROLES = [
  'subject_manager',
  'unit_it_orderer',
  'system_administrator',
  'system_owner',
  'security_officer',
  'it_coordinator',
  'it_unit',
] as const;
export type StageRole = (typeof STAGE_ROLES)[number];

export interface Skipped {
  personId: string;
  reason: 'disabled' | 'notFound' | 'outOfOffice' | 'isRequester' | 'isSubject';
}

export interface Decision {
  /**
   * A decision step: 'approved' or 'rejected'. A work step: 'done' or 'failed' (could not be carried out; ends the
   * request).
   */
  outcome: 'approved' | 'rejected' | 'done' | 'failed';
  /** Person id (e-mail) of who acted; always one of the step's people at the time. */
  by: string;
  at: string;
  /** Required when rejecting or failing; optional note otherwise. */
  reason?: string;
}

/**
 * What a step asks of its people: 'decision' (approve or reject: an approval, an orderer accepting a quote) or 'work'
 * (carry something out and mark it done or failed, recording values such as a quote's cost or the asset tags of
 * delivered equipment).
 */
export const STEP_TYPES = ['decision', 'work'] as const;
export type StepType = (typeof STEP_TYPES)[number];

/**
 * One step of a request's route, resolved to people at request time. Steps run in order; `WorkRequest.currentStage`
 * is the one waiting. Access: administrator (decision) → carry out (work). Equipment: IT orderer (decision) → quote
 * (work) → accept quote (decision) → order → deliver and register → install (work).
 */
export interface Stage {
  /** What the routing policy called this step (e.g. "manager", "administrator", "quote"). */
  name: string;
  /** Absent in requests stored before steps had types: a decision. */
  type?: StepType;
  role: StageRole;
  /** Resolved at request time: the people who may decide or carry out this step. Empty = no one could be found. */
  approverIds: string[];
  /** Holders passed over at routing time, and why (shown on the cards). */
  skipped: Skipped[];
  /** The role the approvers were found in after fallback (e.g. deputy when the administrator was away). */
  resolvedVia?: string;
  /**
   * Everyone who may act on this step was out of office at request time, so its people are those away holders (of
   * every group, in order): nobody else may stand in, and the step waits for whoever is back first.
   */
  awaitingReturn?: boolean;
  /**
   * The requester may act on this step when they are among its people (an IT orderer accepting the quote for their
   * own order). Without it the requester and the subject never act on their own request.
   */
  requesterMayAct?: boolean;
  decision?: Decision;
  /**
   * People added to the step because nobody of it answered in time (the next holders of the step's fallback chain),
   * oldest first. The step's earlier people can still act; any one decision ends the step.
   */
  escalations?: Escalation[];
  /** Values recorded when a work step was done (quote: cost and delivery time; delivery: asset tags, location). */
  values?: Record<string, string | number | boolean | null>;
}

/** One escalation of a step: who was added, from which holder source, and after how many working days. */
export interface Escalation {
  at: string;
  /** Person ids added to the step's people. */
  to: string[];
  /** The fallback source they hold ("system_deputy", "it_coordinator"). */
  via: string;
  /** Working days the step had waited. */
  afterWorkingDays: number;
}

/** The type of a stored step (steps stored before types existed are decisions). */
export function stepType(stage: Pick<Stage, 'type'>): StepType {
  return stage.type ?? 'decision';
}

/** A note anyone on the request adds at any step ("supplier is out of stock until week 12"). */
export interface RequestNote {
  /** Person id (e-mail) of the writer. */
  by: string;
  at: string;
  text: string;
  /** The step that was current when it was written (its name), absent once the request was closed. */
  stage?: string;
  /** The request version the writer saw: with `by` and `text`, what makes a repeated click add the note once. */
  version: number;
}

/**
 * Someone on the route whom a card with buttons could not reach in Teams, recorded so the requester is told whom to
 * contact instead: 'noConversation' (never opened Ansvar and the app could not be installed for them), 'blocked'
 * (403 MessageWritesBlocked: blocked or removed the app), 'failed' (the connector refused or attempts ran out).
 */
export interface Unreachable {
  /** Person id (e-mail) of the approver or assignee. */
  personId: string;
  reason: 'noConversation' | 'blocked' | 'failed';
  at: string;
}

export interface WorkRequest {
  /** Random UUID. */
  id: string;
  /** 'access', 'equipment', or a kind defined in data. */
  kind: string;
  organisationId: string;
  /** Increases by one with every change; the compare-and-set key. */
  version: number;
  /**
   * The `version` of the last change that a card's buttons depend on: the submission, a decision or work outcome
   * (the step moved on, or the request closed), a cancel, an expiry, people added to the waiting step (escalated,
   * routed again). A note and an unreachable person leave it as it is. A card showing version v is still current
   * iff `decisionVersion <= v <= version` (services/requests/requestState.ts `cardIsCurrent`). Absent in requests
   * stored before it existed: read as `version` (every earlier change counts).
   */
  decisionVersion?: number;
  status: RequestStatus;
  /** Person id (e-mail) of who asked, and of whom the request is for (often the same). */
  requesterId: string;
  subjectId: string;
  systemId?: string;
  /** The unit the request was routed for (the subject's, or the one the requester chose): an orderer's list unit. */
  unitId?: string;
  urgent: boolean;
  /** Kind-specific, validated input (access: change new/change/stop, role, justification, dates ...). */
  fields: Record<string, string | number | boolean | null>;
  stages: Stage[];
  /** Index into `stages` of the step waiting; `stages.length` once every step is approved or done. */
  currentStage: number;
  /** Notes added along the way, oldest first. */
  notes?: RequestNote[];
  createdAt: string;
  updatedAt: string;
  cancelledBy?: string;
  /** When the request expired, after how many working days of waiting on which step. */
  expired?: { at: string; afterWorkingDays: number; stage: string };
  /** Approvers and assignees a card could not reach, oldest first; one entry per (person, reason). */
  unreachable?: Unreachable[];
}

/**
 * A message that must reach someone because a request changed, written in the same compare-and-set as the change
 * (transactional outbox), so a crash between the decision and the notification cannot lose it; a sender marks it
 * delivered afterwards. At-least-once: a crash after sending and before marking may send it again.
 */
export interface OutboxItem {
  id: string;
  requestId: string;
  /** Request version this notification describes. */
  version: number;
  recipientId: string;
  /** What to tell: 'decide' (decision buttons), 'task' (work buttons), 'update' (refresh copies), 'info' (status). */
  purpose: 'decide' | 'update' | 'info' | 'task';
  createdAt: string;
  deliveredAt?: string;
  attempts: number;
  lastError?: string;
}

/** Where a card about a request was sent, so every copy can be updated when the request changes. */
export interface CardCopy {
  requestId: string;
  recipientId: string;
  conversationId: string;
  activityId: string;
}

export const AUDIT_EVENTS = [
  'submitted',
  'routed',
  'skipped_holder',
  'card_delivered',
  'delivery_failed',
  'recipient_unreachable',
  'decided',
  'carried_out',
  'cancelled',
  'noted',
  'inventory_registered',
  'inventory_discarded',
  'register_changed',
  'register_sample_replaced',
  'handover',
  'hygiene_digest',
  'reminded',
  'escalated',
  'expired',
  'reminder_digest',
  'owner_check',
  'review_started',
  'review_overdue',
  'review_decided',
] as const;
export type AuditEventType = (typeof AUDIT_EVENTS)[number];

/**
 * One line of the append-only audit log: who did what, when, for whom and why. Written in the same atomic store
 * change as the state it describes (as pending events) and then moved to the audit file, so the log can never miss
 * a decision nor record one that did not happen.
 */
export interface AuditEvent {
  /** Random UUID; the audit file never holds two records with the same id. */
  id: string;
  at: string;
  type: AuditEventType;
  /** Person id (e-mail) of who acted; 'system' for Ansvar itself (routing, delivery). */
  actor: string;
  /** Whom the action was for (the request's subject), when not the actor. */
  onBehalfOf?: string;
  requestId?: string;
  requestKind?: string;
  organisationId?: string;
  systemId?: string;
  reason?: string;
  details?: Record<string, string | number | boolean | null>;
}

/** Whether an item of equipment is in use or has been discarded (returned as the supplier agreement says). */
export const INVENTORY_STATUSES = ['in_use', 'discarded'] as const;
export type InventoryStatus = (typeof INVENTORY_STATUSES)[number];

/**
 * One registered item of equipment, written when the IT unit registers a delivery (atomically with that step) and
 * changed only by discarding it. Kept after discarding: the register of what a unit had is a record too.
 */
export interface InventoryItem {
  /** Random UUID. */
  id: string;
  organisationId: string;
  /** The unit that ordered it (the request's unit). */
  unitId?: string;
  /** Catalogue type id ("screen", "projector"). */
  itemType: string;
  /** Catalogue model id or free text, when known. */
  model?: string;
  /** Asset tag or serial number as the IT unit registered it. */
  assetTag: string;
  /** Where it is (building, room). */
  location: string;
  /** Person id (e-mail) it is registered to, when it is for a person. */
  holderId?: string;
  /** The room or purpose, when it is not for one person ("Konferensrum Storsjön"). */
  room?: string;
  /** The request it was delivered for. */
  requestId?: string;
  status: InventoryStatus;
  registeredAt: string;
  registeredBy: string;
  discardedAt?: string;
  discardedBy?: string;
  discardReason?: string;
  /** Increases with every change; the compare-and-set key for discarding. */
  version: number;
}
