import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Reply } from '../../cards/cardParts.js';
import { noticeReply } from '../../cards/noticeCard.js';
import { equipmentFormReply, type EquipmentFormValues } from '../../cards/equipmentFormCard.js';
import { isCurrent, type Person, type Unit } from '../../data/model.js';
import { matchItemType } from '../../services/equipment/catalogue.js';
import type { FieldProblem } from '../../services/requests/kinds.js';
import { unitId as unitIdOf } from '../../services/register/ids.js';
import type { RegisterIndexes } from '../../services/search/registerView.js';
import { defineHandler, type HandlerContext } from './handler.js';
import { clickerOr } from './requestSupport.js';

/** The equipment kind's name in the engine's registry. */
export const EQUIPMENT_KIND = 'equipment';

/** What a typed order names: the item as typed (the catalogue decides the type), how many, and for which room. */
export interface EquipmentAsk {
  item?: string;
  quantity?: number;
  room?: string;
}

/**
 * The equipment order form in the asker's organisation's catalogue. From a typed order, the type the words name is
 * chosen (an item the catalogue does not know leaves the choice open and says so), with the quantity and the room
 * as "for whom". The unit defaults to the asker's; an IT orderer chooses among the units they order for, anyone
 * else among the organisation's units. A fresh `formId` makes every form one idempotent submission.
 */
export async function equipmentForm(
  context: HandlerContext,
  options: {
    ask?: EquipmentAsk;
    values?: EquipmentFormValues;
    problems?: readonly FieldProblem[];
    formId?: string;
  } = {},
): Promise<Reply> {
  const clicker = await clickerOr(context);
  if ('reply' in clicker) return clicker.reply;
  const { identity } = clicker;
  const language = await context.language();
  const organisation = identity.organisation ?? (await context.organisation());
  if (!organisation) return noticeReply(language, 'request.notice.unknownAsker');
  const catalogue = context.catalogues.for(organisation.id);
  const indexes = await context.responsibility.indexes();
  const units = unitChoices(indexes, organisation.id, identity.person);
  const ask = options.ask ?? {};
  const itemType = ask.item !== undefined ? matchItemType(catalogue, ask.item) : undefined;
  const values: EquipmentFormValues = options.values ?? {
    itemType: itemType?.id ?? '',
    model: '',
    quantity: String(ask.quantity ?? 1),
    forWhom: ask.room ?? '',
    location: '',
    justification: '',
    wantedBy: '',
    unitId: units[0]?.id ?? '',
  };
  return equipmentFormReply({
    language,
    organisation,
    catalogue,
    units,
    formId: options.formId ?? randomUUID(),
    values,
    ...(ask.item !== undefined && !itemType ? { unknownItem: ask.item } : {}),
    ...(options.problems ? { problems: options.problems } : {}),
  });
}

/**
 * The units an order may be for, the asker's own first: the units the asker is an IT orderer for (the authorisation
 * list), else every unit of the organisation. Sorted by name after the first.
 */
function unitChoices(indexes: RegisterIndexes, organisationId: string, person: Person | undefined): Unit[] {
  const now = new Date();
  const orderedFor = new Set(
    (indexes.organisationAssignments.get(organisationId) ?? [])
      .filter((a) => a.role === 'it_orderer' && a.personId === person?.id && isCurrent(a, now))
      .flatMap((a) => a.unitIds ?? []),
  );
  const units = indexes.register.units
    .filter((u) => u.organisationId === organisationId && (orderedFor.size === 0 || orderedFor.has(u.id)))
    .sort((a, b) => a.name.localeCompare(b.name));
  const own = person?.department ? unitIdOf(organisationId, person.department) : undefined;
  const first = units.findIndex((u) => u.id === own);
  return first > 0 ? [units[first]!, ...units.filter((_, i) => i !== first)] : units;
}

/** `equipment.start` {}: opens the equipment order form (help card, welcome card). */
export const equipmentStart = defineHandler(z.object({}), (context) => equipmentForm(context));
