import { ActivityTypes, INVOKE_RESPONSE_KEY, type TurnContext } from 'botbuilder';
import type { HandledActivities, InvokeAnswer } from '../data/handledActivities.js';
import type { Logger } from '../core/logger.js';
import type { Bot } from './pipeline.js';

/** How long a repeat waits for the first execution's answer before it answers 200 without a body. */
const ANSWER_WAIT_MS = 5_000;
const ANSWER_POLL_MS = 100;

/**
 * Teams sends an invoke again when it got no answer in time; the repeat carries the same activity id and may reach
 * another instance. The first delivery of an id executes; a repeat executes nothing and is answered with the first
 * one's answer (waiting up to 5 s for it while the first is still running; then 200 without a body). A turn that
 * throws forgets its id, so Teams' next retry executes it again. Activities other than invokes, and invokes
 * without an id, pass straight through.
 */
export function withInvokeDeduplication(bot: Bot, handled: HandledActivities, logger: Logger): Bot {
  const log = logger.child({ component: 'invoke.dedup' });
  return {
    async run(context: TurnContext) {
      const { type, id } = context.activity;
      if (type !== ActivityTypes.Invoke || typeof id !== 'string' || id.length === 0) {
        await bot.run(context);
        return;
      }
      if (!(await handled.begin(id))) {
        const answer = await waitForAnswer(handled, id);
        log.info(
          { activityId: id, answered: answer !== undefined },
          'repeated invoke answered, not executed',
        );
        context.turnState.set(INVOKE_RESPONSE_KEY, {
          type: ActivityTypes.InvokeResponse,
          value: answer ?? { status: 200 },
        });
        return;
      }
      try {
        await bot.run(context);
      } catch (error) {
        await handled.forget(id).catch(() => undefined);
        throw error;
      }
      const response = context.turnState.get(INVOKE_RESPONSE_KEY) as { value?: InvokeAnswer } | undefined;
      await handled.finish(id, response?.value ?? { status: 200 });
    },
  };
}

async function waitForAnswer(handled: HandledActivities, id: string): Promise<InvokeAnswer | undefined> {
  const deadline = Date.now() + ANSWER_WAIT_MS;
  for (;;) {
    const answer = await handled.answer(id);
    if (answer !== undefined || Date.now() >= deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, ANSWER_POLL_MS));
  }
}
