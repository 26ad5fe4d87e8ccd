import { replyForAnswer } from '../../cards/answers.js';
import { noticeReply } from '../../cards/noticeCard.js';
import type { MessageHandler } from './messageHandler.js';

/**
 * "Hi": the help card for someone the register or directory knows, the welcome card for anyone else.
 * "Thanks": a short "you're welcome", not the help card again.
 */
export const greeting: MessageHandler<'greeting'> = async (context, intent) => {
  const language = await context.language();
  if (intent.thanks) return noticeReply(language, 'notice.thanks', 'notice.thanksText');
  return replyForAnswer(await context.responsibility.answerGreeting(context.asker, language));
};
