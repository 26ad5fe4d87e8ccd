import { replyForAnswer } from '../../cards/answers.js';
import type { Reply } from '../../cards/cardParts.js';
import { upperFirst } from '../../cards/text.js';
import {
  assignReply,
  careNoticeReply,
  confirmSystemReply,
  endRoleReply,
  handoverReply,
  systemFormReply,
} from '../../cards/careCard.js';
import {
  SYSTEM_ROLES,
  type Organisation,
  type Person,
  type SystemRecord,
  type Unit,
} from '../../data/model.js';
import { formatList } from '../../services/i18n/index.js';
import type { Intent, Scope } from '../../services/nlu/intent.js';
import { roleLabel } from '../../services/nlu/vocabulary.js';
import type { HandlerContext } from '../actions/context.js';
import { careOutcome, careRefusal, type Actor, withActor } from '../actions/careSupport.js';
import type { MessageHandler } from './messageHandler.js';

type CareIntent = Extract<Intent, { kind: 'care' }>;

/**
 * A typed care command opens its confirmation card (or the system form) for the register as it is now; nothing is
 * written before the confirm button, which the server checks again. People are found as for "roles of NAME" (a
 * Swedish genitive "Annas" also as "Anna"), systems as for "who owns". Who may not care gets the refusal naming
 * their IT coordinators; only a system's owner gets the confirmation of its entry.
 */
export const care: MessageHandler<'care'> = (context, intent) =>
  withActor(context, (actor) => careOutcome(context, actor, () => dispatch(context, actor, intent)));

async function dispatch(context: HandlerContext, actor: Actor, intent: CareIntent): Promise<Reply> {
  const { care: service } = context;
  const lang = actor.language;
  switch (intent.action) {
    case 'handover': {
      const from = await findPerson(context, actor, intent.fromQuery);
      if ('reply' in from) return from.reply;
      const to = await findPerson(context, actor, intent.toQuery);
      if ('reply' in to) return to.reply;
      return handoverReply(lang, {
        plan: await service.handoverPlan(actor.id, from.person.id, to.person.id),
      });
    }
    case 'addSystem': {
      const organisation = await careOrganisation(context, actor);
      if (!organisation) return careRefusal(context, actor);
      return systemFormReply(lang, {
        mode: 'add',
        revision: await context.register.revision(),
        organisation,
        units: await unitsOf(context, organisation.id),
        values: { name: intent.name },
      });
    }
    case 'editSystem': {
      const found = await findSystem(context, actor, intent.system);
      if ('reply' in found) return found.reply;
      if (!(await mayCare(context, actor, found.organisation.id))) return careRefusal(context, actor);
      const { system } = found;
      return systemFormReply(lang, {
        mode: 'edit',
        revision: await context.register.revision(),
        organisation: found.organisation,
        system,
        units: await unitsOf(context, system.organisationId),
        values: {
          aliases: system.aliases.join('; '),
          unitId: system.unitId ?? '',
          supplier: system.supplier ?? '',
          supplierSupport: system.supplierSupport ?? '',
        },
      });
    }
    case 'assignRole': {
      const person = await findPerson(context, actor, intent.personQuery);
      if ('reply' in person) return person.reply;
      const found = await findSystem(context, actor, intent.system);
      if ('reply' in found) return found.reply;
      if (!(await mayCare(context, actor, found.organisation.id))) return careRefusal(context, actor);
      const holders = await holdersOf(context, intent.role, found.system);
      return assignReply(lang, {
        revision: await context.register.revision(),
        person: person.person,
        role: intent.role,
        organisation: found.organisation,
        system: found.system,
        holders: holders.filter((h) => h.person.id !== person.person.id),
      });
    }
    case 'assignOrganisationRole': {
      const person = await findPerson(context, actor, intent.personQuery);
      if ('reply' in person) return person.reply;
      const organisation = await careOrganisation(context, actor, person.person.organisationId);
      if (!organisation) return careRefusal(context, actor);
      const unit = intent.units
        ? await context.responsibility.findUnit(context.asker, intent.units)
        : undefined;
      if (intent.units && !unit) return careNoticeReply(lang, 'care.problem.invalid');
      if (intent.role === 'it_orderer' && !unit) return careNoticeReply(lang, 'care.problem.required');
      return assignReply(lang, {
        revision: await context.register.revision(),
        person: person.person,
        role: intent.role,
        organisation,
        ...(unit ? { units: [unit] } : {}),
        holders: [],
      });
    }
    case 'endRole': {
      const person = await findPerson(context, actor, intent.personQuery);
      if ('reply' in person) return person.reply;
      const found = await findSystem(context, actor, intent.system);
      if ('reply' in found) return found.reply;
      if (!(await mayCare(context, actor, found.organisation.id))) return careRefusal(context, actor);
      const held = (await holdersOf(context, intent.role, found.system)).find(
        (h) => h.person.id === person.person.id,
      );
      if (!held) {
        return careNoticeReply(lang, 'care.notHolder', {
          person: person.person.name,
          role: roleLabel(intent.role, lang, found.organisation),
          system: found.system.name,
        });
      }
      return endRoleReply(lang, {
        revision: await context.register.revision(),
        assignmentId: held.assignmentId,
        person: person.person,
        role: intent.role,
        organisation: found.organisation,
        system: found.system,
      });
    }
    case 'confirmSystem': {
      const found = await findSystem(context, actor, intent.system);
      if ('reply' in found) return found.reply;
      const owners = await holdersOf(context, 'owner', found.system);
      if (!owners.some((h) => h.person.id === actor.id))
        return careRefusal(context, actor, 'care.ownerOnly', { system: found.system.name });
      const revision = await context.register.revision();
      const facts: string[] = [];
      for (const role of SYSTEM_ROLES) {
        const names = (await holdersOf(context, role, found.system)).map((h) => h.person.name);
        facts.push(
          `${upperFirst(roleLabel(role, lang, found.organisation))}: ${names.length > 0 ? formatList(lang, names) : '—'}`,
        );
      }
      const unit = found.system.unitId ? (await context.register.unit(found.system.unitId))?.name : undefined;
      if (unit) facts.push(unit);
      if (found.system.supplier) facts.push(found.system.supplier);
      return confirmSystemReply(lang, {
        revision,
        system: found.system,
        facts,
        now: context.now(),
      });
    }
  }
}

/** The one register person a typed name means; else a card saying why not (none, or several). */
export async function findPerson(
  context: HandlerContext,
  actor: Actor,
  query: string,
): Promise<{ person: Person } | { reply: Reply }> {
  const tries = [query, ...(/[^s]s$/i.test(query) ? [query.slice(0, -1)] : [])];
  let several: Person[] = [];
  for (const text of tries) {
    const result = await context.register.findPeople(text, actor.organisation?.id);
    if (result.kind === 'one') return { person: result.hit.item };
    if (result.kind === 'several' && several.length === 0) several = result.hits.map((h) => h.item);
  }
  if (several.length > 0) {
    const names = formatList(
      actor.language,
      several.slice(0, 5).map((p) => `${p.name} (${p.email})`),
    );
    return { reply: careNoticeReply(actor.language, 'care.severalPeople', { query, names }) };
  }
  return { reply: careNoticeReply(actor.language, 'care.unknownPerson', { query }) };
}

async function findSystem(
  context: HandlerContext,
  actor: Actor,
  scope: Scope,
): Promise<{ system: SystemRecord; organisation: Organisation } | { reply: Reply }> {
  const found = await context.responsibility.findSystem(context.asker, scope, actor.language);
  if (found.kind === 'one') return found;
  return { reply: replyForAnswer(found) };
}

async function mayCare(context: HandlerContext, actor: Actor, organisationId: string): Promise<boolean> {
  return (await context.care.careOrganisations(actor.id)).some((o) => o.id === organisationId);
}

/** The organisation a new entry goes to: `preferred` or the actor's own when they may care for it, else the first. */
async function careOrganisation(
  context: HandlerContext,
  actor: Actor,
  preferred?: string,
): Promise<Organisation | undefined> {
  const organisations = await context.care.careOrganisations(actor.id);
  return (
    organisations.find((o) => o.id === preferred) ??
    organisations.find((o) => o.id === actor.organisation?.id) ??
    organisations[0]
  );
}

async function holdersOf(
  context: HandlerContext,
  role: (typeof SYSTEM_ROLES)[number],
  system: SystemRecord,
): Promise<{ assignmentId: string; person: Person }[]> {
  const assignments = await context.care.holders(role, {
    systemId: system.id,
    organisationId: system.organisationId,
  });
  const people = await Promise.all(assignments.map((a) => context.register.person(a.personId)));
  return assignments.flatMap((a, i) => {
    const person = people[i];
    return person ? [{ assignmentId: a.id, person }] : [];
  });
}

async function unitsOf(context: HandlerContext, organisationId: string): Promise<Unit[]> {
  return (await context.register.unitsOf(organisationId)).sort((a, b) => a.name.localeCompare(b.name));
}
