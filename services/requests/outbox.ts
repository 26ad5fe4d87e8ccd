import { stepType, type OutboxItem, type WorkRequest } from '../../data/requestModel.js';

/**
 * Which notifications a transition produces, computed from the request before and after it (nothing else), so
 * every use case and every kind gets the same rules:
 *
 * - 'decide' / 'task': the people of a step that has just become current (a decision / a work step), and people
 *   who have just been added to the current step (a step that had nobody, routed again).
 * - 'update': everyone who was sent a decide or task card for the request before this transition (the people of
 *   every step reached so far), so each copy shows the new state and only the buttons still valid.
 * - 'info': the requester and the subject, at every transition; at submission only a subject who did not ask
 *   themselves (the requester sees the request card in the answer to their submit).
 *
 * One item per (recipient, purpose); a person can get an 'update' for their old card and a 'decide' for a new one
 * in the same transition. Items are written in the same compare-and-set as the transition (see OutboxItem).
 */
export type Purpose = OutboxItem['purpose'];

export interface Notification {
  recipientId: string;
  purpose: Purpose;
}

/** People who hold a card of this request with (or once with) buttons: the people of every step reached. */
export function cardHolders(request: WorkRequest): string[] {
  const holders = new Set<string>();
  const reached = Math.min(request.currentStage, request.stages.length - 1);
  for (let i = 0; i <= reached; i += 1) {
    for (const id of request.stages[i]?.approverIds ?? []) holders.add(id);
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
  const current = after.status === 'open' ? after.stages[after.currentStage] : undefined;
  if (current) {
    const sameStep = before !== undefined && before.currentStage === after.currentStage;
    const already = new Set(sameStep ? (before.stages[before.currentStage]?.approverIds ?? []) : []);
    const purpose = stepType(current) === 'work' ? 'task' : 'decide';
    for (const id of current.approverIds) if (!already.has(id)) add(id, purpose);
  }
  if (before) for (const id of cardHolders(before)) add(id, 'update');
  // At submission the requester sees the card in the answer to their submit: a message would repeat it.
  if (before) add(after.requesterId, 'info');
  if (before || after.subjectId !== after.requesterId) add(after.subjectId, 'info');
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
