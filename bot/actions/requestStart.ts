import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Reply } from '../../cards/cardParts.js';
import { noticeReply } from '../../cards/noticeCard.js';
import { requestFormReply, type RequestFormValues } from '../../cards/requestFormCard.js';
import type { Language } from '../../data/model.js';
import { isAnsvarError } from '../../core/errors.js';
import type { FieldProblem } from '../../services/requests/kinds.js';
import { defineHandler, type HandlerContext } from './context.js';

/** The access kind's name in the engine's registry. */
export const ACCESS_KIND = 'access';

/** Today in the municipalities' civil time zone, as YYYY-MM-DD (the form's default start date). */
export function today(now: Date): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(now);
}

/**
 * The request form for a system: defaults (a new access for oneself from today) unless `values` says otherwise;
 * the IT-policy confirmation only where the system's organisation requires it. A fresh `formId` makes every
 * form one idempotent submission. A system no longer in the register gets a notice.
 */
export async function requestForm(
  context: HandlerContext,
  systemId: string,
  options: {
    values?: Partial<RequestFormValues>;
    problems?: readonly FieldProblem[];
    formId?: string;
    now?: Date;
  } = {},
): Promise<Reply> {
  const language = await context.language();
  const system = await context.register.system(systemId);
  if (!system) return systemGone(language);
  const organisation = await context.register.organisation(system.organisationId);
  const kindOptions = context.requests.kindOptions(system.organisationId, ACCESS_KIND);
  const values: RequestFormValues = {
    change: 'new',
    subject: '',
    role: '',
    justification: '',
    startDate: today(options.now ?? new Date()),
    endDate: '',
    policyConfirmed: false,
    ...options.values,
  };
  return requestFormReply({
    language,
    system: { id: system.id, name: system.name },
    organisationName: organisation?.name ?? '',
    formId: options.formId ?? randomUUID(),
    values,
    policyRequired: kindOptions.requirePolicyConfirmation === true,
    ...(options.problems ? { problems: options.problems } : {}),
  });
}

async function renewalValues(
  context: HandlerContext,
  requestId: string,
  systemId: string,
): Promise<Partial<RequestFormValues> | undefined> {
  const request = await context.requests.get(requestId).catch(() => undefined);
  const viewer = (await context.identity())?.personId;
  if (!request || !viewer || request.systemId !== systemId) return undefined;
  if (viewer !== request.requesterId && viewer !== request.subjectId) return undefined;
  return {
    change: 'change',
    subject: request.subjectId === viewer ? '' : request.subjectId,
    role: typeof request.fields.role === 'string' ? request.fields.role : '',
    justification: typeof request.fields.justification === 'string' ? request.fields.justification : '',
  };
}

export function systemGone(language: Language): Reply {
  return noticeReply(language, 'notice.systemGone', 'notice.askAgain');
}

/**
 * `request.start` { systemId, renewOf? }: opens the access request form (system card button, or a choice of
 * systems). With `renewOf` (the "renew?" card of a time-bound access), the form is a change for the same person and
 * role, prefilled from that request, when the clicker asked for it or it is for them; otherwise the plain form.
 */
export const requestStart = defineHandler(
  z.object({ systemId: z.string().trim().min(1).max(300), renewOf: z.uuid().optional() }),
  async (context, { systemId, renewOf }) => {
    try {
      const renewed = renewOf ? await renewalValues(context, renewOf, systemId) : undefined;
      return await requestForm(context, systemId, renewed ? { values: renewed } : {});
    } catch (error) {
      if (isAnsvarError(error, 'UnknownSystem')) return systemGone(await context.language());
      throw error;
    }
  },
);
