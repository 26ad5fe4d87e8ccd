import { z } from 'zod';
import { replyForAnswer } from '../../cards/answers.js';
import { defineHandler } from './context.js';

/** `help.show` {}: the example questions in the asker's language. */
export const helpShow = defineHandler(z.object({}), async (context) => {
  const organisation = await context.organisation();
  const language = await context.language();
  return replyForAnswer({
    kind: 'help',
    language,
    organisation,
    exampleSystems: await context.responsibility.exampleSystems(organisation),
    exampleRole: await context.responsibility.exampleRole(organisation, language),
  });
});
