import { z } from 'zod';
import type { WorkRequest } from '../../data/requestModel.js';
import { AnsvarError, isAnsvarError } from '../../services/errors.js';
import { defineHandler } from './handler.js';
import { clickerOr, currentCard, goneReply } from './requestSupport.js';

/** Who may see a request: the requester, the subject, and everyone on its route (approvers, task assignees). */
function mayView(request: WorkRequest, personId: string): boolean {
  return (
    request.requesterId === personId ||
    request.subjectId === personId ||
    request.stages.some((s) => s.approverIds.includes(personId)) ||
    (request.task?.assigneeIds.includes(personId) ?? false)
  );
}

/** `request.show` { requestId }: the request card in its current state for the clicker (from a list). */
export const requestShow = defineHandler(
  z.object({ requestId: z.string().trim().min(1).max(100) }),
  async (context, { requestId }) => {
    const clicker = await clickerOr(context);
    if ('reply' in clicker) return clicker.reply;
    const personId = clicker.identity.personId;
    let request: WorkRequest;
    try {
      request = await context.requests.get(requestId);
    } catch (error) {
      if (isAnsvarError(error, 'InvalidInput')) return goneReply(await context.language());
      throw error;
    }
    if (!mayView(request, personId)) {
      throw new AnsvarError('NotAnApprover', `${personId} may not view request ${requestId}`, {
        requestId,
        actorId: personId,
      });
    }
    return currentCard(context, request, personId);
  },
);
