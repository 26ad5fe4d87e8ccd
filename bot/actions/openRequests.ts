import { z } from 'zod';
import type { Reply } from '../../cards/cardParts.js';
import { openRequestsReply as renderOpenRequests } from '../../cards/openRequestsCard.js';
import { defineHandler, type HandlerContext } from './context.js';

/**
 * "Open requests" / "requests waiting more than N days" (the message intent `openRequests`): the first page. The
 * asker is checked by the service (list readers of their own organisation; anyone else gets the refusal card).
 */
export async function openRequestsReply(
  context: HandlerContext,
  intent: { olderThanDays?: number },
): Promise<Reply> {
  return openRequestsPageReply(context, intent.olderThanDays, 0);
}

/**
 * `requests.open` { olderThanDays, page }: another page. The list is read again and the clicker checked again, so
 * a forwarded card gives a refusal, not the list. `olderThanDays` 0 = no filter.
 */
export const openRequestsPage = defineHandler(
  z.object({
    olderThanDays: z.coerce.number().int().min(0).max(100_000),
    page: z.coerce.number().int().min(0).max(100_000),
  }),
  (context, { olderThanDays, page }) => openRequestsPageReply(context, olderThanDays, page),
);

async function openRequestsPageReply(
  context: HandlerContext,
  olderThanDays: number | undefined,
  page: number,
): Promise<Reply> {
  const language = await context.language();
  return renderOpenRequests(
    await context.responsibility.openRequests(context.asker, { olderThanDays, page }, language),
  );
}
