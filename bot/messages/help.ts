import { replyForAnswer } from '../../cards/answers.js';
import type { Reply } from '../../cards/cardParts.js';
import type { HandlerContext } from '../actions/context.js';

/** "Help", and any message nobody understood (`help` and `unknown`): the example questions. */
export async function help(context: HandlerContext): Promise<Reply> {
  return replyForAnswer(await context.responsibility.answerHelp(context.asker, await context.language()));
}
