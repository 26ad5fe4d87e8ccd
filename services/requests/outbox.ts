import type { OutboxItem, WorkRequest } from '../../data/requestModel.js';
import { awaitsDecision, awaitsTask } from './kinds.js';

/**
 * Which notifications a transition produces, computed from the request before and after it (nothing else), so
 * every use case and every kind gets the same rules:
 *
 * - 'decide': the approvers of a stage that has just become current.
 * - 'task': the assignees of a task that has just opened.
 * - 'update': everyone who was sent a decide or task card for the request before this transition (every approver
 *   of every stage reached so far, and the task's assignees once it was open), so each copy shows the new state
 *   without buttons.
 * - 'info': the requester and the subject, at every transition (submitted included).
 *
 * One item per (recipient, purpose); a person can get an 'update' for their old card and a 'decide' for a new one
 * in the same transition. Items are written in the same compare-and-set as the transition (see OutboxItem).
 */
export type Purpose = OutboxItem['purpose'];

export interface Notification {
  recipientId: string;
  purpose: Purpose;
}

/** People who hold a card of this request with (or once with) buttons: approvers of reached stages, task assignees. */
export function cardHolders(request: WorkRequest): string[] {
  const holders = new Set<string>();
  const reached = Math.min(request.currentStage, request.stages.length - 1);
  for (let i = 0; i <= reached; i += 1) {
    for (const id of request.stages[i]?.approverIds ?? []) holders.add(id);
  }
  if (request.task && request.currentStage >= request.stages.length) {
    for (const id of request.task.assigneeIds) holders.add(id);
  }
  return [...holders];
}

export function notificationsFor(before: WorkRequest | undefined, after: WorkRequest): Notification[] {
  const out: Notification[] = [];
  const seen = new Set<string>();
  const add = (recipientId: string, purpose: Purpose) => {
    const key = `${purpose}\u0000${recipientId}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ recipientId, purpose });
  };
  if (awaitsDecision(after) && (before === undefined || before.currentStage !== after.currentStage)) {
    for (const id of after.stages[after.currentStage]!.approverIds) add(id, 'decide');
  }
  if (awaitsTask(after) && (before === undefined || !awaitsTask(before))) {
    for (const id of after.task!.assigneeIds) add(id, 'task');
  }
  if (before) for (const id of cardHolders(before)) add(id, 'update');
  add(after.requesterId, 'info');
  add(after.subjectId, 'info');
  return out;
}

/** The outbox items of a transition, describing `after.version`. */
export function outboxItems(
  before: WorkRequest | undefined,
  after: WorkRequest,
  context: { newId: () => string; at: string },
): OutboxItem[] {
  return notificationsFor(before, after).map((n) => ({
    id: context.newId(),
    requestId: after.id,
    version: after.version,
    recipientId: n.recipientId,
    purpose: n.purpose,
    createdAt: context.at,
    attempts: 0,
  }));
}
