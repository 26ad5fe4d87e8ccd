import { replyForAnswer } from '../../cards/answers.js';
import type { MessageHandler } from './messageHandler.js';

/** "Systems without an owner", "our systems" ...: the first page of a responsibility list (list readers only). */
export const systemList: MessageHandler<'systemList'> = async (context, intent) =>
  replyForAnswer(
    await context.responsibility.answerSystemList(context.asker, intent, await context.language()),
  );
