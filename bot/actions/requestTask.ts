import { z } from 'zod';
import { defineHandler } from './context.js';
import { buttonData } from './requestDecide.js';
import { clickerOr, runTransition, STEP_INPUTS } from './requestSupport.js';

const input = z.string().max(5000).optional();

/**
 * A work step's card data: the ids, the note, and the inputs a step may ask for (a quote's cost and delivery time; a
 * delivery's asset tags, location and holder). Which of them the step records is the kind's to say: the engine
 * validates the values against the current step's schema and ignores none it does not know, so only the inputs
 * the card shows for the step are passed on.
 */
export const stepSchema = z.object({
  ...buttonData,
  note: input,
  cost: input,
  delivery: input,
  assetTags: z.string().max(20_000).optional(),
  location: input,
  holder: input,
});

/** The inputs of the step the card showed, as typed; for the engine and to show them again after a refusal. */
export function stepValues(data: z.output<typeof stepSchema>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const key of STEP_INPUTS) {
    const value = data[key];
    if (value !== undefined) values[key] = value;
  }
  return values;
}

function stepHandler(outcome: 'done' | 'failed') {
  return defineHandler(stepSchema, async (context, data) => {
    const clicker = await clickerOr(context);
    if ('reply' in clicker) return clicker.reply;
    const actorId = clicker.identity.personId;
    const values = stepValues(data);
    return runTransition(
      context,
      data.requestId,
      actorId,
      () =>
        context.requests.completeStep({
          requestId: data.requestId,
          version: data.version,
          actorId,
          outcome,
          ...(data.note !== undefined ? { note: data.note } : {}),
          ...(outcome === 'done' ? { values } : {}),
        }),
      values,
    );
  });
}

/**
 * `task.done` { requestId, version } + the step's inputs (+ optional note): the current work step is done (the
 * access changed, the quote given, the equipment delivered and registered ...).
 */
export const taskDone = stepHandler('done');
/** `task.failed` { requestId, version } + note (required): the current work step could not be done; ends the request. */
export const taskFailed = stepHandler('failed');
