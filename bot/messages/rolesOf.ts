import { replyForAnswer } from '../../cards/answers.js';
import type { MessageHandler } from './messageHandler.js';

/** "What do I hold?", "what does NAME hold?": the person's current roles. */
export const rolesOf: MessageHandler<'rolesOf'> = async (context, intent) =>
  replyForAnswer(await context.responsibility.answerRolesOf(context.asker, intent, await context.language()));
