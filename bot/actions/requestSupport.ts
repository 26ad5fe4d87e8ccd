import type { Reply } from '../../cards/cardParts.js';
import { noticeReply } from '../../cards/noticeCard.js';
import { requestReply, type RequestNotice } from '../../cards/requestCard.js';
import { requestNamesFrom, type RequestNames } from '../../cards/requestText.js';
import type { Language } from '../../data/model.js';
import type { WorkRequest } from '../../data/requestModel.js';
import { isAnsvarError } from '../../core/errors.js';
import type { TransitionResult } from '../../services/requests/engine.js';
import type { FieldProblem } from '../../services/requests/kinds.js';
import type { AskerIdentity } from '../../services/responsibility/index.js';
import type { HandlerContext } from './context.js';

/**
 * What every request handler shares: who clicked (from `from.aadObjectId` only, never from card data), the names
 * for the card, and the answer to a transition. A click the engine refuses (NotAnApprover) is thrown on, and bot/
 * turns it into a message that keeps the card; a click that changed nothing answers the current state with
 * "already … by X at T".
 */

/** The inputs work steps may show on the request card (see cards/requestCard.ts `stepInputs`). */
export const STEP_INPUTS = ['cost', 'delivery', 'assetTags', 'location', 'holder'] as const;

/** The identity, or the polite refusal to show a person neither the register nor the directory knows. */
export async function clickerOr(
  context: HandlerContext,
): Promise<{ identity: AskerIdentity } | { reply: Reply }> {
  const identity = await context.identity();
  if (identity) return { identity };
  return { reply: noticeReply(await context.language(), 'request.notice.unknownAsker') };
}

export async function namesFor(context: HandlerContext): Promise<RequestNames> {
  return requestNamesFrom(await context.register.snapshot(), context.catalogues);
}

export async function currentCard(
  context: HandlerContext,
  request: WorkRequest,
  personId: string,
  notice?: RequestNotice,
  refused?: { problems: readonly FieldProblem[]; inputs: Readonly<Record<string, string>> },
): Promise<Reply> {
  const names = await namesFor(context);
  return requestReply(request, { personId }, await context.language(), {
    names,
    ...(notice ? { notice } : {}),
    ...(refused ?? {}),
  });
}

/** The request card after a transition: the new state, or the current one with what happened before. */
export async function transitionReply(
  context: HandlerContext,
  result: TransitionResult,
  personId: string,
): Promise<Reply> {
  if (result.changed) return currentCard(context, result.request, personId);
  const notice: RequestNotice = result.last
    ? { kind: 'unchanged', last: result.last }
    : { kind: 'unchanged' };
  return currentCard(context, result.request, personId, notice);
}

/**
 * Runs a transition and answers InvalidInput on the card: a missing reason or note (the request card again with
 * the message), values a work step refused (the card again with the problem under each input and what was typed
 * kept: `inputs`), a request that no longer exists (a notice). Every other error is thrown on.
 */
export async function runTransition(
  context: HandlerContext,
  requestId: string,
  personId: string,
  transition: () => Promise<TransitionResult>,
  inputs: Readonly<Record<string, string>> = {},
): Promise<Reply> {
  let result: TransitionResult;
  try {
    result = await transition();
  } catch (error) {
    if (!isAnsvarError(error, 'InvalidInput')) throw error;
    const problems = (Array.isArray(error.details) ? error.details : []) as FieldProblem[];
    const language = await context.language();
    if (problems.some((p) => p.problem === 'unknownRequest')) return goneReply(language);
    const request = await context.requests.get(requestId);
    if (problems.some((p) => (STEP_INPUTS as readonly string[]).includes(p.field)))
      return currentCard(context, request, personId, { kind: 'values' }, { problems, inputs });
    const notice = noticeFor(problems);
    if (!notice) throw error;
    return currentCard(context, request, personId, notice);
  }
  return transitionReply(context, result, personId);
}

export function goneReply(language: Language): Reply {
  return noticeReply(language, 'request.notice.gone');
}

function noticeFor(problems: readonly FieldProblem[]): RequestNotice | undefined {
  for (const problem of problems) {
    if (problem.problem === 'tooLong') return { kind: 'tooLong' };
    if (problem.field === 'reason' && problem.problem === 'required') return { kind: 'reasonRequired' };
    if (problem.field === 'note' && problem.problem === 'required') return { kind: 'noteRequired' };
  }
  return undefined;
}
