import type { Stage, WorkRequest } from '../../data/requestModel.js';

// What a stored request says about itself: its last action, whose turn it is, who is on its route. Pure reads,
// shared by the engine and the cards.

/** The latest thing that happened to a request, for "already decided by X at T". */
export interface LastAction {
  action: 'approved' | 'rejected' | 'cancelled' | 'done' | 'failed';
  by: string;
  at: string;
  /** The stage's name, for decisions. */
  stage?: string;
  reason?: string;
}

/** The latest decision, cancellation or work outcome of a request. */
export function lastAction(request: WorkRequest): LastAction | undefined {
  if (request.status === 'cancelled' && request.cancelledBy) {
    return { action: 'cancelled', by: request.cancelledBy, at: request.updatedAt };
  }
  for (let i = request.stages.length - 1; i >= 0; i -= 1) {
    const stage = request.stages[i]!;
    if (!stage.decision) continue;
    const last: LastAction = {
      action: stage.decision.outcome,
      by: stage.decision.by,
      at: stage.decision.at,
      stage: stage.name,
    };
    if (stage.decision.reason !== undefined) last.reason = stage.decision.reason;
    return last;
  }
  return undefined;
}

/**
 * The version of the request's last change that a card's buttons depend on (see `WorkRequest.decisionVersion`);
 * a request stored before the field existed counts every change.
 */
export function decisionVersion(request: Pick<WorkRequest, 'version' | 'decisionVersion'>): number {
  return request.decisionVersion ?? request.version;
}

/**
 * Whether a card that showed the request at `cardVersion` still shows everything its buttons decide on: no step
 * change, decision, closing or change of the step's people since (notes and unreachable people do not count). A
 * version the request never had (ahead of it, or not a positive integer) is never current.
 */
export function cardIsCurrent(
  request: Pick<WorkRequest, 'version' | 'decisionVersion'>,
  cardVersion: number,
): boolean {
  return (
    Number.isInteger(cardVersion) && cardVersion >= decisionVersion(request) && cardVersion <= request.version
  );
}

/** When the step now waiting became current: the decision of the step before it, else the submission. */
export function stepStartedAt(request: WorkRequest): string {
  const previous = request.currentStage > 0 ? request.stages[request.currentStage - 1] : undefined;
  return previous?.decision?.at ?? request.createdAt;
}

/** Whether the person is among the people of the step waiting (a decision or work). */
export function awaitsPerson(request: WorkRequest, personId: string): boolean {
  const stage = request.status === 'open' ? request.stages[request.currentStage] : undefined;
  return stage?.approverIds.includes(personId) ?? false;
}

/** Whether the person was ever sent a card with buttons for the request (or will be, on the stored route). */
export function onRoute(request: WorkRequest, personId: string): boolean {
  return request.stages.some((s) => s.approverIds.includes(personId));
}

/** Whether the person may act on the step at all: the requester and the subject only where the step lets them. */
export function mayActOn(request: WorkRequest, stage: Stage, personId: string): boolean {
  if (!stage.approverIds.includes(personId)) return false;
  if (personId !== request.requesterId && personId !== request.subjectId) return true;
  return stage.requesterMayAct === true && personId === request.requesterId;
}
