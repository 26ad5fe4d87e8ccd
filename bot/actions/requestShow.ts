import { z } from 'zod';
import type { WorkRequest } from '../../data/requestModel.js';
import { AnsvarError, isAnsvarError } from '../../core/errors.js';
import { onRoute } from '../../services/requests/engine.js';
import type { Reply } from '../../cards/cardParts.js';
import { defineHandler, type HandlerContext } from './context.js';
import { clickerOr, currentCard, goneReply } from './requestSupport.js';

/** Who takes part in a request: the requester, the subject, and everyone on its route (every step's people). */
export function takesPart(request: WorkRequest, personId: string): boolean {
  return request.requesterId === personId || request.subjectId === personId || onRoute(request, personId);
}

/**
 * The request, when the person may see it (NotAnApprover otherwise); a request that no longer exists is answered
 * with a notice.
 */
export async function viewable(
  context: HandlerContext,
  requestId: string,
  personId: string,
): Promise<WorkRequest | Reply> {
  let request: WorkRequest;
  try {
    request = await context.requests.get(requestId);
  } catch (error) {
    if (isAnsvarError(error, 'InvalidInput')) return goneReply(await context.language());
    throw error;
  }
  // Besides those taking part, the organisation's list readers, who open requests from the list of open requests.
  const mayView =
    takesPart(request, personId) ||
    (await context.register.isListReader(personId, request.organisationId, context.now()));
  if (!mayView) {
    throw new AnsvarError('NotAnApprover', `${personId} may not view request ${requestId}`, {
      requestId,
      actorId: personId,
    });
  }
  return request;
}

/** `request.show` { requestId }: the request card in its current state for the clicker (from a list). */
export const requestShow = defineHandler(
  z.object({ requestId: z.string().trim().min(1).max(100) }),
  async (context, { requestId }) => {
    const clicker = await clickerOr(context);
    if ('reply' in clicker) return clicker.reply;
    const personId = clicker.identity.personId;
    const request = await viewable(context, requestId, personId);
    return 'card' in request ? request : currentCard(context, request, personId);
  },
);
