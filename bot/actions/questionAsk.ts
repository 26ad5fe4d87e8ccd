import { z } from 'zod';
import { replyToMessage } from '../messages/index.js';
import { defineHandler } from './context.js';

/** The longest question a "did you mean" button sends; longer data is no button of ours. */
const MAX_QUESTION = 500;

/**
 * `question.ask` { question }: a "did you mean" button. The question is read and answered exactly as if the asker had
 * typed it (the same reader, the same handlers), so the button does what the typed question does; the text is no
 * more trusted than a typed message.
 */
export const questionAsk = defineHandler(
  z.object({ question: z.string().trim().min(1).max(MAX_QUESTION) }),
  async (context, { question }) => {
    const { understanding } = await context.responsibility.reader.understand(context.asker, question);
    return replyToMessage(context, understanding.intent);
  },
);
