import type { Reply } from '../../cards/cardParts.js';
import { careNoticeReply, careRefusalReply } from '../../cards/careCard.js';
import type { Language, Organisation } from '../../data/model.js';
import { isAnsvarError } from '../../core/errors.js';
import type { MessageKey, MessageParams } from '../../services/i18n/index.js';
import type { FieldProblem } from '../../services/requests/kinds.js';
import type { HandlerContext } from './context.js';
import { clickerOr } from './requestSupport.js';

/** Who acts, from `from.aadObjectId` only (never from card data), and the language to answer in. */
export interface Actor {
  id: string;
  organisation?: Organisation;
  language: Language;
}

/** Runs `work` for the identified actor; someone neither the register nor the directory knows gets the notice. */
export async function withActor(
  context: HandlerContext,
  work: (actor: Actor) => Promise<Reply>,
): Promise<Reply> {
  const clicker = await clickerOr(context);
  if ('reply' in clicker) return clicker.reply;
  const { identity } = clicker;
  const actor: Actor = { id: identity.personId, language: await context.language() };
  if (identity.organisation) actor.organisation = identity.organisation;
  return work(actor);
}

/** The refusal card naming the actor's IT coordinators. */
export async function careRefusal(
  context: HandlerContext,
  actor: Actor,
  reason?: MessageKey,
  params?: MessageParams,
): Promise<Reply> {
  const coordinators = actor.organisation ? await context.care.coordinators(actor.organisation.id) : [];
  return careRefusalReply(actor.language, coordinators, actor.organisation, reason, params);
}

/**
 * Runs a care step and answers what the service refused: NotAnApprover → the refusal naming the coordinators;
 * RevisionConflict → `onStale` (a fresh card) or "the register changed, look again"; InvalidInput → the first
 * problem in words (`onInvalid` may answer on the form instead). Anything else is thrown on.
 */
export async function careOutcome(
  context: HandlerContext,
  actor: Actor,
  run: () => Promise<Reply>,
  handlers: {
    onStale?: () => Promise<Reply>;
    onInvalid?: (problems: FieldProblem[]) => Promise<Reply | undefined>;
  } = {},
): Promise<Reply> {
  try {
    return await run();
  } catch (error) {
    if (isAnsvarError(error, 'NotAnApprover')) return careRefusal(context, actor);
    if (isAnsvarError(error, 'RevisionConflict'))
      return handlers.onStale ? handlers.onStale() : careNoticeReply(actor.language, 'care.stale');
    if (!isAnsvarError(error, 'InvalidInput')) throw error;
    const problems = (Array.isArray(error.details) ? error.details : []) as FieldProblem[];
    const answered = await handlers.onInvalid?.(problems);
    if (answered) return answered;
    return careNoticeReply(actor.language, problemKey(problems[0]));
  }
}

function problemKey(problem: FieldProblem | undefined): MessageKey {
  switch (problem?.problem) {
    case 'required':
      return problem.field === 'roles' ? 'care.problem.noneChosen' : 'care.problem.required';
    case 'samePerson':
      return 'care.problem.samePerson';
    case 'exists':
      return 'care.problem.exists';
    case 'unchanged':
      return 'care.problem.unchanged';
    case 'notCurrent':
      return 'care.stale';
    default:
      return 'care.problem.invalid';
  }
}
