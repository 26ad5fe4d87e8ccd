import { defineHandler } from './handler.js';
import { taskSchema } from './requestDecide.js';
import { clickerOr, runTransition } from './requestSupport.js';

function taskHandler(outcome: 'done' | 'failed') {
  return defineHandler(taskSchema, async (context, data) => {
    const clicker = await clickerOr(context);
    if ('reply' in clicker) return clicker.reply;
    const actorId = clicker.identity.personId;
    const note = typeof data.note === 'string' ? data.note : undefined;
    return runTransition(context, data.requestId, actorId, () =>
      context.requests.completeTask({
        requestId: data.requestId,
        version: data.version,
        actorId,
        outcome,
        ...(note !== undefined ? { note } : {}),
      }),
    );
  });
}

/** `task.done` { requestId, version } (+ optional note): the access is changed in the system. */
export const taskDone = taskHandler('done');
/** `task.failed` { requestId, version } + note (required). */
export const taskFailed = taskHandler('failed');
