import { z } from 'zod';
import type { Reply } from '../../cards/cardParts.js';
import { requestListReply, type RequestListKind } from '../../cards/requestListCard.js';
import { defineHandler, type HandlerContext } from './context.js';
import { clickerOr, namesFor } from './requestSupport.js';

/** One more than the card shows, so the card can say that there are more. */
const FETCH = 16;

/** "My requests" (open and recent, newest first) or "waiting for me" (open decisions and tasks). */
export async function requestList(context: HandlerContext, kind: RequestListKind): Promise<Reply> {
  const clicker = await clickerOr(context);
  if ('reply' in clicker) return clicker.reply;
  const personId = clicker.identity.personId;
  const requests =
    kind === 'mine'
      ? await context.requests.listMine(personId, FETCH)
      : await context.requests.listAwaiting(personId, FETCH);
  return requestListReply(kind, requests, { personId }, await context.language(), await namesFor(context));
}

/** `requests.mine` {}. */
export const requestsMine = defineHandler(z.object({}), (context) => requestList(context, 'mine'));
/** `requests.awaiting` {}. */
export const requestsAwaiting = defineHandler(z.object({}), (context) => requestList(context, 'awaiting'));
