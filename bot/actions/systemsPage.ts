import { z } from 'zod';
import { SYSTEM_LIST_KINDS } from '../../services/responsibility/answers.js';
import { replyForAnswer } from '../../cards/answers.js';
import { defineHandler } from './context.js';

/**
 * `systems.page` { list, unitId, page }: another page of a responsibility list. The list is recomputed from the
 * current register and the clicker checked again by the service (a forwarded card gives a refusal, not the list).
 */
export const systemsPage = defineHandler(
  z.object({
    list: z.enum(SYSTEM_LIST_KINDS),
    unitId: z.string().trim().max(320).optional(),
    page: z.coerce.number().int().min(0).max(100_000),
  }),
  async (context, { list, unitId, page }) => {
    const language = await context.language();
    const request = unitId ? { list, unitId, page } : { list, page };
    return replyForAnswer(await context.responsibility.systemListPage(context.asker, request, language));
  },
);
