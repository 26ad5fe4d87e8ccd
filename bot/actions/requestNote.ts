import { z } from 'zod';
import { defineHandler } from './context.js';
import { buttonData } from './requestDecide.js';
import { viewable } from './requestShow.js';
import { clickerOr, currentCard, runTransition } from './requestSupport.js';

/**
 * `request.note` { requestId, version } + noteText: a note on an open request, by the requester, the subject or
 * anyone on its route (the engine checks who, from the stored request). A blank note is answered on the card (to
 * those who may see it) without asking the engine; the same note from the same card version is added once, so a double click or a
 * Teams retry adds one.
 */
export const requestNote = defineHandler(
  z.object({ ...buttonData, noteText: z.string().max(5000).optional() }),
  async (context, data) => {
    const clicker = await clickerOr(context);
    if ('reply' in clicker) return clicker.reply;
    const actorId = clicker.identity.personId;
    const text = data.noteText?.trim() ?? '';
    if (text === '') {
      const request = await viewable(context, data.requestId, actorId);
      return 'card' in request
        ? request
        : currentCard(context, request, actorId, { kind: 'noteTextRequired' });
    }
    return runTransition(context, data.requestId, actorId, () =>
      context.requests.addNote({ requestId: data.requestId, version: data.version, actorId, text }),
    );
  },
);
