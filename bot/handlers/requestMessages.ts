import { choiceReply, replyForAnswer, type Reply } from '../../cards/answerCards.js';
import type { Intent } from '../../services/nlu/intent.js';
import type { HandlerContext } from './handler.js';
import { requestList } from './requestLists.js';
import { clickerOr } from './requestSupport.js';
import { requestForm } from './requestStart.js';

export type RequestIntent = Extract<Intent, { kind: 'requestAccess' | 'myRequests' | 'awaitingMe' }>;

export function isRequestIntent(intent: Intent): intent is RequestIntent {
  return intent.kind === 'requestAccess' || intent.kind === 'myRequests' || intent.kind === 'awaitingMe';
}

/**
 * A typed request: "I need access to X" opens the form for X (found as for "who owns": typos, aliases, the
 * asker's organisation first; several systems → the choice card whose buttons open the form; none → the usual
 * no-match card). "stop access for NAME in X" opens it as a stop for NAME (a unique register match is filled in
 * as the e-mail address; anything else as typed, checked on submit). "my requests" / "waiting for me" are lists.
 */
export async function requestMessageReply(context: HandlerContext, intent: RequestIntent): Promise<Reply> {
  if (intent.kind === 'myRequests') return requestList(context, 'mine');
  if (intent.kind === 'awaitingMe') return requestList(context, 'awaiting');
  const clicker = await clickerOr(context);
  if ('reply' in clicker) return clicker.reply;
  const language = await context.language();
  const found = await context.responsibility.findSystem(context.asker, intent.system, language);
  if (found.kind === 'choose') return choiceReply({ ...found, opensForm: true });
  if (found.kind === 'noMatch') return replyForAnswer(found);
  let subject = '';
  if (intent.subjectQuery !== undefined) {
    const indexes = await context.responsibility.indexes();
    const organisationId = clicker.identity.organisation?.id ?? found.organisation.id;
    const result = indexes.people.find(intent.subjectQuery, { preferOrganisationId: organisationId });
    subject = result.kind === 'one' ? result.hit.item.email : intent.subjectQuery;
  }
  return requestForm(context, found.system.id, { values: { change: intent.change, subject } });
}
