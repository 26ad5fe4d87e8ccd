import { z } from 'zod';
import { SYSTEM_LIST_KINDS } from '../../services/responsibility/answers.js';
import { replyForAnswer } from '../../cards/answers.js';
import { fileTurnOf } from '../fileConsent.js';
import { defineHandler } from './context.js';

/**
 * `list.download` { list, unitId? }: the Download button of a responsibility list. The asker is checked exactly as
 * for the list (the service computes the list again); only a reader is offered the file, through Teams' file
 * consent in the personal chat (bot/fileConsent.ts), and nothing is built before they accept. The clicked card is
 * answered with the list's first page, or with the refusal that names the IT coordinators.
 */
export const listDownload = defineHandler(
  z.object({
    list: z.enum(SYSTEM_LIST_KINDS),
    unitId: z.string().trim().max(320).optional(),
  }),
  async (context, { list, unitId }) => {
    const language = await context.language();
    const request = unitId ? { list, unitId, page: 0 } : { list, page: 0 };
    const answer = await context.responsibility.systemListPage(context.asker, request, language);
    if (answer.kind === 'systemList' && answer.result.kind === 'page' && answer.organisation)
      await fileTurnOf(context).offer({ list, organisation: answer.organisation, unit: answer.unit });
    return replyForAnswer(answer);
  },
);
