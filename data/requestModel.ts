/**
 * Requests (access now, equipment later, more kinds from data): the shapes every request store persists. A request
 * carries its whole resolved route, so a decision never depends on how the register looks later, and every change
 * is one compare-and-set on `version`.
 */

/** Overall state. `open` while a stage waits for a decision or the task waits to be carried out. */
export const REQUEST_STATUSES = ['open', 'rejected', 'cancelled', 'done', 'failed'] as const;
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
  outcome: 'approved' | 'rejected';
  /** Person id (e-mail) of who decided; always one of the stage's approvers at the time. */
  by: string;
  at: string;
  /** Required when rejecting. */
  reason?: string;
}

export interface Stage {
  /** What the routing policy called this step (e.g. "manager", "administrator"). */
  name: string;
  role: StageRole;
  /** Resolved at request time: the people who may decide this stage. Empty = no one could be found. */
  approverIds: string[];
  /** Holders passed over at routing time, and why (shown on the cards). */
  skipped: Skipped[];
  /** The role the approvers were found in after fallback (e.g. deputy when the administrator was away). */
  resolvedVia?: string;
  decision?: Decision;
}

/** The last step: someone carries the approved change out and marks it done (or could not). */
export interface Task {
  assigneeIds: string[];
  outcome?: 'done' | 'failed';
  by?: string;
  at?: string;
  note?: string;
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
  status: RequestStatus;
  /** Person id (e-mail) of who asked, and of whom the request is for (often the same). */
  requesterId: string;
  subjectId: string;
  systemId?: string;
  urgent: boolean;
  /** Kind-specific, validated input (access: change new/change/stop, role, justification, dates ...). */
  fields: Record<string, string | number | boolean | null>;
  stages: Stage[];
  /** Index into `stages` of the stage waiting for a decision; `stages.length` once all are approved. */
  currentStage: number;
  task?: Task;
  createdAt: string;
  updatedAt: string;
  cancelledBy?: string;
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
  /** What to tell: 'decide' (a card with buttons), 'update' (refresh copies), 'info' (status text), 'task'. */
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
