import { replyForAnswer } from '../../cards/answers.js';
import type { MessageHandler } from './messageHandler.js';

/** "Who is the data protection officer?", "who is IT orderer for UNIT?": the role's holders. */
export const organisationRole: MessageHandler<'organisationRole'> = async (context, intent) =>
  replyForAnswer(
    await context.responsibility.answerOrganisationRole(context.asker, intent, await context.language()),
  );
