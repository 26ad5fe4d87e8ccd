import { z } from 'zod';
import type { Reply } from '../../cards/cardParts.js';
import {
  careNoticeReply,
  confirmSystemReply,
  HANDOVER_TOGGLE_PREFIX,
  handoverReply,
  REPLACE_TOGGLE_PREFIX,
  systemFormReply,
} from '../../cards/careCard.js';
import { ORGANISATION_ROLES, SYSTEM_ROLES } from '../../data/model.js';
import { formatList, t } from '../../services/i18n/index.js';
import { roleLabel } from '../../services/nlu/vocabulary.js';
import { ownerCheckFacts } from '../../services/care/ownerCheck.js';
import { careOutcome, withActor, type Actor } from './careSupport.js';
import { defineHandler, type HandlerContext } from './context.js';

/**
 * The confirm buttons of register care. Card data is ids and the revision the card showed; inputs and toggles come
 * merged into it. Every click is authorised and validated again by the service and written with one
 * compare-and-set on that revision, so a stale, forwarded or repeated click writes nothing (a repeated one finds
 * the register changed by the first).
 */

const id = z.string().trim().min(1).max(320);
const revision = z.coerce.number().int().min(0);
/** Inputs arrive as strings; an untouched one may be missing. */
const input = (max: number) => z.string().max(max).optional();

/** The assignment ids of the toggles named `prefix<id>` whose value is `value`. */
function toggled(data: Record<string, unknown>, prefix: string, value: 'true' | 'false'): string[] {
  return Object.entries(data)
    .filter(([key, v]) => key.startsWith(prefix) && String(v) === value)
    .map(([key]) => key.slice(prefix.length));
}

function aliasesOf(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  return text
    .split(/[;\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** `roles.handover` { fromId, toId, revision } + a toggle per role shown (off = stays with the old holder). */
export const rolesHandover = defineHandler(
  z.looseObject({ fromId: id, toId: id, revision }),
  (context, data) =>
    withActor(context, (actor) => {
      const fresh = async (key: 'care.stale' | 'care.problem.noneChosen') =>
        handoverReply(actor.language, {
          plan: await context.care.handoverPlan(actor.id, data.fromId, data.toId),
          noticeText: t(actor.language, key),
        });
      return careOutcome(
        context,
        actor,
        async () => {
          const result = await context.care.handover(
            actor.id,
            {
              fromId: data.fromId,
              toId: data.toId,
              keepAssignmentIds: toggled(data, HANDOVER_TOGGLE_PREFIX, 'false'),
            },
            data.revision,
          );
          const names = await context.register.names();
          const nameOf = (id: string) => names.person(id);
          const params = { count: result.moved, from: nameOf(data.fromId), to: nameOf(data.toId) };
          // Both people are told in their personal chat, each in their organisation's language.
          const notTold: string[] = [];
          for (const personId of result.notify.filter((id) => id !== actor.id)) {
            const person = (await context.register.person(personId)) ?? {
              id: personId,
              organisationId: undefined,
            };
            const language =
              (await context.register.organisation(person.organisationId ?? ''))?.language ?? actor.language;
            const told = careNoticeReply(language, 'care.handover.told', { ...params, by: nameOf(actor.id) });
            const outcome = await context.tell(person, { card: told.card, text: told.summary });
            if (outcome !== 'sent') notTold.push(nameOf(personId));
          }
          return notTold.length === 0
            ? careNoticeReply(actor.language, 'care.handover.done', params)
            : careNoticeReply(actor.language, 'care.handover.notTold', {
                ...params,
                names: formatList(actor.language, notTold),
              });
        },
        {
          onStale: () => careOutcome(context, actor, () => fresh('care.stale')),
          onInvalid: async (problems) =>
            problems.some((p) => p.field === 'roles') ? fresh('care.problem.noneChosen') : undefined,
        },
      );
    }),
);

/** `role.assign` { role, personId, systemId, organisationId, unitIds, revision } + toggles of holders to end. */
export const roleAssign = defineHandler(
  z.looseObject({
    role: z.enum([...SYSTEM_ROLES, ...ORGANISATION_ROLES]),
    personId: id,
    systemId: z.string().max(320).optional(),
    organisationId: z.string().max(320).optional(),
    unitIds: z.string().max(10_000).optional(),
    revision,
  }),
  (context, data) =>
    withActor(context, (actor) =>
      careOutcome(
        context,
        actor,
        async () => {
          const unitIds = (data.unitIds ?? '').split(' ').filter((s) => s !== '');
          await context.care.assignRole(
            actor.id,
            {
              role: data.role,
              personId: data.personId,
              ...(data.systemId ? { systemId: data.systemId } : {}),
              ...(data.organisationId ? { organisationId: data.organisationId } : {}),
              ...(unitIds.length > 0 ? { unitIds } : {}),
              endAssignmentIds: toggled(data, REPLACE_TOGGLE_PREFIX, 'true'),
            },
            data.revision,
          );
          return roleDone(context, actor, 'care.assign.done', data);
        },
        {
          onInvalid: async (problems) =>
            problems.some((p) => p.problem === 'alreadyHolds')
              ? roleDone(context, actor, 'care.problem.alreadyHolds', data)
              : undefined,
        },
      ),
    ),
);

/** `role.end` { assignmentId, revision }. */
export const roleEnd = defineHandler(z.object({ assignmentId: id, revision }), (context, data) =>
  withActor(context, (actor) =>
    careOutcome(context, actor, async () => {
      const assignment = await context.register.assignment(data.assignmentId);
      await context.care.endRole(actor.id, { assignmentId: data.assignmentId }, data.revision);
      if (!assignment) return careNoticeReply(actor.language, 'care.cancelled');
      return roleDone(context, actor, 'care.end.done', {
        role: assignment.role,
        personId: assignment.personId,
        systemId: assignment.systemId,
        organisationId: assignment.organisationId,
      });
    }),
  ),
);

/**
 * `system.confirm` { systemId, revision } + the card's supplier, personal-data toggle and risk-analysis date: the
 * owner confirms the entry, correcting those on the way. A refused date comes back on the card.
 */
export const systemConfirm = defineHandler(
  z.object({
    systemId: id,
    revision,
    supplier: input(400),
    processesPersonalData: z.enum(['true', 'false']).optional(),
    riskAnalysisAt: input(40),
  }),
  (context, data) =>
    withActor(context, (actor) =>
      careOutcome(
        context,
        actor,
        async () => {
          const confirmation: Parameters<typeof context.care.confirmSystem>[1] = { systemId: data.systemId };
          if (data.supplier !== undefined) confirmation.supplier = data.supplier;
          if (data.processesPersonalData !== undefined)
            confirmation.processesPersonalData = data.processesPersonalData === 'true';
          if (data.riskAnalysisAt !== undefined) confirmation.riskAnalysisAt = data.riskAnalysisAt;
          await context.care.confirmSystem(actor.id, confirmation, data.revision);
          const name = (await context.register.names()).system(data.systemId);
          return careNoticeReply(actor.language, 'care.confirmSystem.done', { system: name });
        },
        {
          onInvalid: async (problems) => {
            if (!problems.some((p) => p.field === 'riskAnalysisAt')) return undefined;
            const system = await context.register.system(data.systemId);
            if (!system) return undefined;
            const now = context.now();
            return confirmSystemReply(actor.language, {
              revision: await context.register.revision(),
              system,
              facts: ownerCheckFacts(await context.register.snapshot(), system, actor.language, now),
              now,
              riskAnalysisProblem: true,
            });
          },
        },
      ),
    ),
);

const formInputs = {
  aliases: input(2000),
  unitId: input(320),
  supplier: input(400),
  supplierSupport: input(400),
};

/** `system.add` { organisationId, revision } + the form's inputs; refused values come back on the form. */
export const systemAdd = defineHandler(
  z.object({
    organisationId: id,
    revision,
    name: input(400),
    processesPersonalData: input(10),
    ...formInputs,
  }),
  (context, data) =>
    withActor(context, (actor) => {
      const values = {
        name: data.name ?? '',
        aliases: data.aliases ?? '',
        unitId: data.unitId ?? '',
        supplier: data.supplier ?? '',
        supplierSupport: data.supplierSupport ?? '',
        personalData: data.processesPersonalData === 'true',
      };
      return careOutcome(
        context,
        actor,
        async () => {
          const result = await context.care.addSystem(
            actor.id,
            {
              organisationId: data.organisationId,
              name: values.name,
              aliases: aliasesOf(values.aliases) ?? [],
              unitId: values.unitId,
              supplier: values.supplier,
              supplierSupport: values.supplierSupport,
              processesPersonalData: values.personalData,
            },
            data.revision,
          );
          const system = await context.register.system(result.systemId);
          const organisation = await context.register.organisation(data.organisationId);
          return careNoticeReply(actor.language, 'care.add.done', {
            system: system?.name ?? values.name,
            organisation: organisation?.name ?? data.organisationId,
          });
        },
        { onInvalid: (problems) => formAgain(context, actor, 'add', data, values, problems) },
      );
    }),
);

/** `system.edit` { systemId, revision } + the form's inputs. */
export const systemEdit = defineHandler(
  z.object({ systemId: id, revision, ...formInputs }),
  (context, data) =>
    withActor(context, (actor) => {
      const values = {
        aliases: data.aliases ?? '',
        unitId: data.unitId ?? '',
        supplier: data.supplier ?? '',
        supplierSupport: data.supplierSupport ?? '',
      };
      return careOutcome(
        context,
        actor,
        async () => {
          const aliases = aliasesOf(data.aliases);
          await context.care.editSystem(
            actor.id,
            {
              systemId: data.systemId,
              ...(aliases !== undefined ? { aliases } : {}),
              ...(data.unitId !== undefined ? { unitId: data.unitId } : {}),
              ...(data.supplier !== undefined ? { supplier: data.supplier } : {}),
              ...(data.supplierSupport !== undefined ? { supplierSupport: data.supplierSupport } : {}),
            },
            data.revision,
          );
          const name = (await context.register.names()).system(data.systemId);
          return careNoticeReply(actor.language, 'care.edit.done', { system: name });
        },
        { onInvalid: (problems) => formAgain(context, actor, 'edit', data, values, problems) },
      );
    }),
);

/** `care.cancel`: nothing is written. */
export const careCancel = defineHandler(z.object({}), async (context) =>
  careNoticeReply(await context.language(), 'care.cancelled'),
);

/** The form again with what was typed and the problems under the inputs (at the current revision). */
async function formAgain(
  context: HandlerContext,
  actor: Actor,
  mode: 'add' | 'edit',
  data: { organisationId?: string; systemId?: string },
  values: Parameters<typeof systemFormReply>[1]['values'],
  problems: Parameters<typeof systemFormReply>[1]['problems'],
): Promise<Reply | undefined> {
  const system = data.systemId ? await context.register.system(data.systemId) : undefined;
  const organisation = await context.register.organisation(
    system?.organisationId ?? data.organisationId ?? '',
  );
  if (!organisation) return undefined;
  return systemFormReply(actor.language, {
    mode,
    revision: await context.register.revision(),
    organisation,
    ...(system ? { system } : {}),
    units: await context.register.unitsOf(organisation.id),
    values,
    ...(problems ? { problems } : {}),
  });
}

/** "Anna Berg is now system owner of Procapita" and the like, with names from the register. */
async function roleDone(
  context: HandlerContext,
  actor: Actor,
  key: 'care.assign.done' | 'care.end.done' | 'care.problem.alreadyHolds',
  data: {
    role: (typeof SYSTEM_ROLES | typeof ORGANISATION_ROLES)[number];
    personId: string;
    systemId?: string | undefined;
    organisationId?: string | undefined;
  },
): Promise<Reply> {
  const system = data.systemId ? await context.register.system(data.systemId) : undefined;
  const organisation = await context.register.organisation(
    system?.organisationId ?? data.organisationId ?? '',
  );
  return careNoticeReply(actor.language, key, {
    person: (await context.register.person(data.personId.toLowerCase()))?.name ?? data.personId,
    role: roleLabel(data.role, actor.language, organisation),
    subject: system?.name ?? organisation?.name ?? '',
  });
}
