import { z } from 'zod';
import { defineHandler } from './context.js';
import { clickerOr, runTransition } from './requestSupport.js';

/** `request.cancel` { requestId, version }: the requester withdraws an open request (card or list). */
export const requestCancel = defineHandler(
  z.object({ requestId: z.string().trim().min(1).max(100), version: z.coerce.number().int().min(1) }),
  async (context, data) => {
    const clicker = await clickerOr(context);
    if ('reply' in clicker) return clicker.reply;
    const actorId = clicker.identity.personId;
    return runTransition(context, data.requestId, actorId, () =>
      context.requests.cancel({ requestId: data.requestId, version: data.version, actorId }),
    );
  },
);
