import { z } from 'zod';
import type { Reply } from '../../cards/cardParts.js';
import {
  inventoryReply,
  type InventoryContent,
  type InventoryNotice,
  type InventoryScope,
} from '../../cards/inventoryCard.js';
import type { InventoryItem } from '../../data/requestModel.js';
import { AnsvarError, isAnsvarError } from '../../core/errors.js';
import type { Intent } from '../../services/nlu/intent.js';
import { defineHandler, type HandlerContext } from './context.js';
import { clickerOr, namesFor } from './requestSupport.js';

/**
 * Registered equipment: "what is registered to me", "what equipment does unit X have", and discarding an item. The
 * inventory service decides who may see a unit's list and who may discard (every click is checked again there);
 * these handlers only find the unit, ask, and lay the answer out.
 */

export type InventoryIntent = Extract<Intent, { kind: 'inventory' }>;

/** A typed inventory question: one's own items, or a unit's as named (resolved like a responsibility list's unit). */
export async function inventoryMessageReply(
  context: HandlerContext,
  intent: InventoryIntent,
): Promise<Reply> {
  if (intent.scope === 'mine') return mineReply(context);
  const unit = await context.responsibility.findUnit(context.asker, intent.unit);
  if (!unit) return unknownUnit(context, intent.unit.fullQuery);
  return unitReply(context, unit.id);
}

async function mineReply(context: HandlerContext): Promise<Reply> {
  const clicker = await clickerOr(context);
  if ('reply' in clicker) return clicker.reply;
  const items = await context.inventory.listMine(clicker.identity.personId);
  return render(context, { kind: 'mine' }, { kind: 'items', items, mayDiscard: false });
}

async function unitReply(
  context: HandlerContext,
  unitId: string,
  extra: { notice?: InventoryNotice; confirmItemId?: string } = {},
): Promise<Reply> {
  const clicker = await clickerOr(context);
  if ('reply' in clicker) return clicker.reply;
  const unitName = (await context.register.unit(unitId))?.name;
  if (unitName === undefined) return unknownUnit(context, unitId);
  const scope: InventoryScope = { kind: 'unit', unitId, unitName };
  const result = await context.inventory.listUnit(clicker.identity.personId, unitId);
  if (result.kind === 'refused') return render(context, scope, result);
  const confirm =
    extra.confirmItemId !== undefined ? result.items.find((i) => i.id === extra.confirmItemId) : undefined;
  if (extra.confirmItemId !== undefined && !result.mayDiscard) {
    throw new AnsvarError('NotAnApprover', `${clicker.identity.personId} may not discard in ${unitId}`, {
      itemId: extra.confirmItemId,
      actorId: clicker.identity.personId,
    });
  }
  if (extra.confirmItemId !== undefined && !confirm)
    return render(context, scope, result, { notice: { kind: 'gone' } });
  return render(context, scope, result, {
    ...(extra.notice ? { notice: extra.notice } : {}),
    ...(confirm ? { confirm } : {}),
  });
}

function unknownUnit(context: HandlerContext, query: string): Promise<Reply> {
  return render(context, { kind: 'unit', unitId: '', unitName: query }, { kind: 'unknownUnit', query });
}

async function render(
  context: HandlerContext,
  scope: InventoryScope,
  content: InventoryContent,
  extra: { notice?: InventoryNotice; confirm?: InventoryItem } = {},
): Promise<Reply> {
  return inventoryReply({
    language: await context.language(),
    names: await namesFor(context),
    scope,
    content,
    ...extra,
  });
}

/** `inventory.mine` {}. */
export const inventoryMine = defineHandler(z.object({}), (context) => mineReply(context));

const unitIdSchema = z.string().trim().min(1).max(320);

/** `inventory.unit` { unitId }: the unit's list, for those the service lets see it. */
export const inventoryUnit = defineHandler(z.object({ unitId: unitIdSchema }), (context, { unitId }) =>
  unitReply(context, unitId),
);

/**
 * `inventory.discard` { itemId, version, unitId } (+ reason): without a reason, the item on a card of its own with
 * the required reason input (the confirmation); with one, the service discards it (IT coordinators only,
 * NotAnApprover otherwise; a stale or repeated click changes nothing) and the unit's list comes back saying what
 * happened.
 */
export const inventoryDiscard = defineHandler(
  z.object({
    itemId: z.string().trim().min(1).max(100),
    version: z.coerce.number().int().min(1),
    unitId: unitIdSchema,
    reason: z.string().max(5000).optional(),
  }),
  async (context, data) => {
    const clicker = await clickerOr(context);
    if ('reply' in clicker) return clicker.reply;
    const reason = data.reason?.trim() ?? '';
    if (reason === '') return unitReply(context, data.unitId, { confirmItemId: data.itemId });
    let notice: InventoryNotice;
    try {
      const result = await context.inventory.discard({
        itemId: data.itemId,
        version: data.version,
        actorId: clicker.identity.personId,
        reason,
      });
      notice = result.changed
        ? { kind: 'discarded', item: result.item }
        : result.why === 'discarded'
          ? { kind: 'alreadyDiscarded', item: result.item }
          : { kind: 'stale' };
    } catch (error) {
      if (!isAnsvarError(error, 'InvalidInput')) throw error;
      const problems = (Array.isArray(error.details) ? error.details : []) as { field?: string }[];
      if (problems.some((p) => p.field === 'itemId')) notice = { kind: 'gone' };
      else
        return unitReply(context, data.unitId, {
          confirmItemId: data.itemId,
          notice: { kind: 'reasonRequired' },
        });
    }
    return unitReply(context, data.unitId, { notice });
  },
);
