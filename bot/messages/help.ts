import { replyForAnswer, type Reply } from '../../cards/answerCards.js';
import type { HandlerContext } from '../actions/context.js';

/** "Help", and any message nobody understood (`help` and `unknown`): the example questions. */
export async function help(context: HandlerContext): Promise<Reply> {
  return replyForAnswer(await context.responsibility.answerHelp(context.asker, await context.language()));
}
