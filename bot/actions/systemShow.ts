import { z } from 'zod';
import { replyForAnswer } from '../../cards/answers.js';
import { noticeReply } from '../../cards/noticeCard.js';
import { isAnsvarError } from '../../core/errors.js';
import { defineHandler } from './context.js';

/** `system.show` { systemId }: the full system card. A system removed since the card was sent gets a notice. */
export const systemShow = defineHandler(
  z.object({ systemId: z.string().trim().min(1).max(300) }),
  async (context, { systemId }) => {
    const language = await context.language();
    try {
      return replyForAnswer(
        await context.responsibility.systemAnswer(context.asker, systemId, 'all', language),
      );
    } catch (error) {
      if (isAnsvarError(error, 'UnknownSystem'))
        return noticeReply(language, 'notice.systemGone', 'notice.askAgain');
      throw error;
    }
  },
);
