import { z } from 'zod';
import type { Decision } from '../../data/requestModel.js';
import { defineHandler } from './context.js';
import { clickerOr, runTransition } from './requestSupport.js';

/** Button data of a request card: ids and the version the card showed, nothing else; plus the card's text input. */
export const buttonData = {
  requestId: z.string().trim().min(1).max(100),
  version: z.coerce.number().int().min(1),
};
export const decisionSchema = z.object({ ...buttonData, reason: z.string().max(5000).optional() });

function decideHandler(outcome: Decision['outcome']) {
  return defineHandler(decisionSchema, async (context, data) => {
    const clicker = await clickerOr(context);
    if ('reply' in clicker) return clicker.reply;
    const actorId = clicker.identity.personId;
    const reason = typeof data.reason === 'string' ? data.reason : undefined;
    return runTransition(context, data.requestId, actorId, () =>
      context.requests.decide({
        requestId: data.requestId,
        version: data.version,
        actorId,
        outcome,
        ...(reason !== undefined ? { reason } : {}),
      }),
    );
  });
}

/** `request.approve` { requestId, version } (+ optional reason); on an accept_quote step, "Accept quote". */
export const requestApprove = decideHandler('approved');
/**
 * `request.reject` { requestId, version } + reason (required: refused on the card without one); on an accept_quote
 * step, "Cancel order".
 */
export const requestReject = decideHandler('rejected');
