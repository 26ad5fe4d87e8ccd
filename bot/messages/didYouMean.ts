import { replyForAnswer } from '../../cards/answers.js';
import type { MessageHandler } from './messageHandler.js';

/**
 * A message no reading fits clearly but that names or asks something recognisable: the "did you mean" card with its
 * best readings as buttons (or the help card when none of their questions reads back as itself).
 */
export const didYouMean: MessageHandler<'didYouMean'> = async (context, intent) =>
  replyForAnswer(
    await context.responsibility.answerDidYouMean(context.asker, intent, await context.language()),
  );
