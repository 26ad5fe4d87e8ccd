import { replyForAnswer } from '../../cards/answers.js';
import { choiceReply } from '../../cards/choiceCard.js';
import { clickerOr } from '../actions/requestSupport.js';
import { requestForm } from '../actions/requestStart.js';
import type { MessageHandler } from './messageHandler.js';

/**
 * "I need access to X" opens the form for X (found as for "who owns": typos, aliases, the asker's organisation
 * first; several systems → the choice card whose buttons open the form; none → the usual no-match card). "stop
 * access for NAME in X" opens it as a stop for NAME (a unique register match is filled in as the e-mail address;
 * anything else as typed, checked on submit).
 */
export const requestAccess: MessageHandler<'requestAccess'> = async (context, intent) => {
  const clicker = await clickerOr(context);
  if ('reply' in clicker) return clicker.reply;
  const language = await context.language();
  const found = await context.responsibility.findSystem(context.asker, intent.system, language);
  if (found.kind === 'choose') return choiceReply({ ...found, opensForm: true });
  if (found.kind === 'noMatch') return replyForAnswer(found);
  let subject = '';
  if (intent.subjectQuery !== undefined) {
    const organisationId = clicker.identity.organisation?.id ?? found.organisation.id;
    const result = await context.register.findPeople(intent.subjectQuery, organisationId);
    subject = result.kind === 'one' ? result.hit.item.email : intent.subjectQuery;
  }
  return requestForm(context, found.system.id, { values: { change: intent.change, subject } });
};
