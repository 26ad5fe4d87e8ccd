import { z } from 'zod';
import type { EquipmentFormValues } from '../../cards/equipmentFormCard.js';
import { requestReply } from '../../cards/requestCard.js';
import type { RequestFormValues } from '../../cards/requestFormCard.js';
import { isAnsvarError, type AnsvarError } from '../../core/errors.js';
import type { Language } from '../../data/model.js';
import type { Reply } from '../../cards/cardParts.js';
import type { FieldProblem } from '../../services/requests/kinds.js';
import { EQUIPMENT_KIND, equipmentForm } from './equipmentStart.js';
import { defineHandler, type HandlerContext } from './context.js';
import { clickerOr, namesFor } from './requestSupport.js';
import { ACCESS_KIND, requestForm, systemGone } from './requestStart.js';

const input = (max: number) => z.string().max(max).optional();

type Submission = Awaited<ReturnType<HandlerContext['requests']['submit']>>;

/** A valid submission: the request card as its requester sees it, with what routing could not resolve. */
async function submitted(
  context: HandlerContext,
  result: Submission,
  personId: string,
  language: Language,
): Promise<Reply> {
  return requestReply(result.request, { personId }, language, {
    names: await namesFor(context),
    notice: { kind: 'submitted' },
    routingProblems: result.routingProblems,
  });
}

/** The engine's InvalidInput lists each field's problem in `details`. */
function fieldProblemsOf(error: AnsvarError): FieldProblem[] {
  return (Array.isArray(error.details) ? error.details : []) as FieldProblem[];
}

/**
 * `request.submit` { systemId, formId } + the form's inputs. The engine validates (nothing is stored from an
 * invalid submission) and the form comes back with the user's values and a message per field; a valid one
 * replaces the form with the request card as the requester sees it. `formId` is the request id: Teams retrying
 * the same submit gets the request the first one created.
 */
export const requestSubmit = defineHandler(
  z.object({
    systemId: z.string().trim().min(1).max(300),
    formId: z.uuid(),
    change: input(20),
    subject: input(400),
    role: input(1000),
    justification: input(5000),
    startDate: input(40),
    endDate: input(40),
    policyConfirmed: z.union([z.string().max(10), z.boolean()]).optional(),
  }),
  async (context, data) => {
    const clicker = await clickerOr(context);
    if ('reply' in clicker) return clicker.reply;
    const { identity } = clicker;
    const language = await context.language();
    const values: RequestFormValues = {
      change: data.change ?? 'new',
      subject: data.subject ?? '',
      role: data.role ?? '',
      justification: data.justification ?? '',
      startDate: data.startDate ?? '',
      endDate: data.endDate ?? '',
      policyConfirmed: data.policyConfirmed === true || data.policyConfirmed === 'true',
    };
    const again = (problems: readonly FieldProblem[]) =>
      requestForm(context, data.systemId, { values, problems, formId: data.formId });

    const subject = await subjectOf(context, values.subject, identity.organisation?.id);
    if ('problem' in subject) return again([{ field: 'subject', problem: subject.problem }]);
    try {
      const result = await context.requests.submit({
        kind: ACCESS_KIND,
        requesterId: identity.personId,
        ...(subject.id ? { subjectId: subject.id } : {}),
        systemId: data.systemId,
        requestId: data.formId,
        fields: {
          change: values.change,
          role: values.role,
          justification: values.justification,
          startDate: values.startDate,
          endDate: values.endDate,
          policyConfirmed: values.policyConfirmed,
        },
      });
      return await submitted(context, result, identity.personId, language);
    } catch (error) {
      if (isAnsvarError(error, 'UnknownSystem')) return systemGone(language);
      if (!isAnsvarError(error, 'InvalidInput')) throw error;
      return again(fieldProblemsOf(error));
    }
  },
);

/**
 * Whom the request is for, from the "for whom" input: empty = the asker; an e-mail address as typed (the engine
 * checks it against the register and the directory); otherwise a name searched in the register, the asker's
 * organisation first. Several or no matches are a problem on the field: nobody is guessed.
 */
async function subjectOf(
  context: HandlerContext,
  typed: string,
  organisationId: string | undefined,
): Promise<{ id?: string } | { problem: 'unknownPerson' | 'ambiguousPerson' }> {
  const text = typed.trim();
  if (text === '') return {};
  if (text.includes('@')) return { id: text.toLowerCase() };
  const result = await context.register.findPeople(text, organisationId);
  if (result.kind === 'one') return { id: result.hit.item.id };
  return { problem: result.kind === 'several' ? 'ambiguousPerson' : 'unknownPerson' };
}

/**
 * `equipment.submit` { formId } + the equipment form's inputs: the order for the asker's organisation. As for
 * access, the engine validates everything (the type against the organisation's catalogue, the model against the
 * type, the unit against the organisation) and the form comes back with a message per field; a valid order
 * replaces the form with the request card. `formId` is the request id, so a retried submit stores one order.
 */
export const equipmentSubmit = defineHandler(
  z.object({
    formId: z.uuid(),
    itemType: input(100),
    model: input(100),
    quantity: z.union([z.string().max(20), z.number()]).optional(),
    forWhom: input(400),
    location: input(400),
    justification: input(5000),
    wantedBy: input(40),
    unitId: input(400),
  }),
  async (context, data) => {
    const clicker = await clickerOr(context);
    if ('reply' in clicker) return clicker.reply;
    const { identity } = clicker;
    const language = await context.language();
    const values: EquipmentFormValues = {
      itemType: data.itemType ?? '',
      model: data.model ?? '',
      quantity: data.quantity === undefined ? '' : String(data.quantity),
      forWhom: data.forWhom ?? '',
      location: data.location ?? '',
      justification: data.justification ?? '',
      wantedBy: data.wantedBy ?? '',
      unitId: data.unitId ?? '',
    };
    const organisationId = identity.organisation?.id ?? (await context.organisation())?.id;
    try {
      const result = await context.requests.submit({
        kind: EQUIPMENT_KIND,
        requesterId: identity.personId,
        ...(organisationId ? { organisationId } : {}),
        ...(values.unitId !== '' ? { unitId: values.unitId } : {}),
        requestId: data.formId,
        fields: {
          itemType: values.itemType,
          model: values.model,
          quantity: values.quantity,
          forWhom: values.forWhom,
          location: values.location,
          justification: values.justification,
          wantedBy: values.wantedBy,
        },
      });
      return await submitted(context, result, identity.personId, language);
    } catch (error) {
      if (!isAnsvarError(error, 'InvalidInput')) throw error;
      return equipmentForm(context, { values, problems: fieldProblemsOf(error), formId: data.formId });
    }
  },
);
