import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Reply } from '../../cards/cardParts.js';
import { noticeReply } from '../../cards/noticeCard.js';
import { equipmentFormReply, type EquipmentFormValues } from '../../cards/equipmentFormCard.js';
import { matchItemType } from '../../services/equipment/catalogue.js';
import type { FieldProblem } from '../../services/requests/kinds.js';
import { defineHandler, type HandlerContext } from './context.js';
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
  const units = await context.register.orderUnits(organisation.id, identity.person, new Date());
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

/** `equipment.start` {}: opens the equipment order form (help card, welcome card). */
export const equipmentStart = defineHandler(z.object({}), (context) => equipmentForm(context));
