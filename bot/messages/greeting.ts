import { replyForAnswer } from '../../cards/answers.js';
import type { MessageHandler } from './messageHandler.js';

/** "Hi": the help card for someone the register or directory knows, the welcome card for anyone else. */
export const greeting: MessageHandler<'greeting'> = async (context) =>
  replyForAnswer(await context.responsibility.answerGreeting(context.asker, await context.language()));
