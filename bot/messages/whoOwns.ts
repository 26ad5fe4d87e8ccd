import { replyForAnswer } from '../../cards/answers.js';
import type { MessageHandler } from './messageHandler.js';

/** "Who owns X?", "who owned X on DAY?", a bare system name: the system card, a choice, or no match. */
export const whoOwns: MessageHandler<'whoOwns'> = async (context, intent) =>
  replyForAnswer(await context.responsibility.answerWhoOwns(context.asker, intent, await context.language()));
