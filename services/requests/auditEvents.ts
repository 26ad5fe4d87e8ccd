import {
  stepType,
  type AuditEvent,
  type AuditEventType,
  type Stage,
  type WorkRequest,
} from '../../data/requestModel.js';
import type { FieldValue } from './kinds.js';
import type { RoutingResult } from './routing.js';

/** One audit event of a request; `onBehalfOf` when the actor is not the subject. */
export function auditEvent(
  newId: () => string,
  type: AuditEventType,
  actor: string,
  request: WorkRequest,
  at: string,
  details: Record<string, FieldValue>,
  reason?: string,
): AuditEvent {
  const event: AuditEvent = {
    id: newId(),
    at,
    type,
    actor,
    requestId: request.id,
    requestKind: request.kind,
    organisationId: request.organisationId,
  };
  if (request.subjectId !== actor) event.onBehalfOf = request.subjectId;
  if (request.systemId !== undefined) event.systemId = request.systemId;
  if (reason !== undefined) event.reason = reason;
  if (Object.keys(details).length > 0) event.details = details;
  return event;
}

/** The audit of a submission: who submitted, then how each step was routed (omitted, resolved, skipped holders). */
export function submissionAudit(
  newId: () => string,
  request: WorkRequest,
  requesterId: string,
  at: string,
  routed: RoutingResult,
): AuditEvent[] {
  const audit: AuditEvent[] = [
    auditEvent(newId, 'submitted', requesterId, request, at, { urgent: request.urgent }),
  ];
  const routedDetails = (details: Record<string, FieldValue>) =>
    routed.directoryAvailable ? details : { ...details, directory: 'unavailable' };
  for (const step of routed.omitted) {
    audit.push(
      auditEvent(
        newId,
        'routed',
        'system',
        request,
        at,
        routedDetails({ step: step.name, omitted: step.reason }),
      ),
    );
  }
  const problemAt = new Map(routed.problems.map((p) => [p.at, p]));
  const routedEvent = (stage: Stage, index: number) => {
    const details: Record<string, FieldValue> = {
      step: stage.name,
      type: stepType(stage),
      role: stage.role,
      approvers: stage.approverIds.join(';'),
    };
    if (stage.resolvedVia !== undefined) details.resolvedVia = stage.resolvedVia;
    if (stage.awaitingReturn) details.awaitingReturn = true;
    const problem = problemAt.get(index);
    if (problem) {
      details.problem = 'noApprover';
      details.contacts = problem.contacts.join(';');
    }
    return auditEvent(newId, 'routed', 'system', request, at, routedDetails(details));
  };
  request.stages.forEach((stage, index) => {
    audit.push(routedEvent(stage, index));
    for (const s of stage.skipped) {
      audit.push(
        auditEvent(
          newId,
          'skipped_holder',
          'system',
          request,
          at,
          { step: stage.name, personId: s.personId },
          s.reason,
        ),
      );
    }
  });
  return audit;
}
