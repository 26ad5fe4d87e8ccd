import { matchItemType } from '../../services/equipment/catalogue.js';
import type { HandlerContext } from '../actions/context.js';
import { equipmentForm } from '../actions/equipmentStart.js';
import { requestForm } from '../actions/requestStart.js';
import type { MessageHandler } from './messageHandler.js';

/**
 * "I need a projector for the conference room": the equipment form with the type the catalogue finds, the quantity
 * and the room. Words that name a system instead ("jag behöver Procapita") open the access form, as "I need access
 * to" would.
 */
export const requestEquipment: MessageHandler<'requestEquipment'> = async (context, intent) => {
  const { item, quantity, room } = intent;
  const system = item !== undefined ? await systemNamedInstead(context, item) : undefined;
  if (system) return requestForm(context, system);
  return equipmentForm(context, {
    ask: {
      ...(item !== undefined ? { item } : {}),
      ...(quantity !== undefined ? { quantity } : {}),
      ...(room !== undefined ? { room } : {}),
    },
  });
};

/**
 * The system id when the words typed as an item are no equipment of the asker's catalogue but exactly the name or
 * an alias of one system (the asker's organisation first); fuzzy hits do not count, so a typo in an item never
 * opens an access form.
 */
async function systemNamedInstead(context: HandlerContext, item: string): Promise<string | undefined> {
  const organisation = await context.organisation();
  if (organisation && matchItemType(context.catalogues.for(organisation.id), item)) return undefined;
  return (await context.register.systemNamedExactly(item, organisation?.id))?.id;
}
