import { inventoryMessageReply } from '../actions/inventory.js';
import type { MessageHandler } from './messageHandler.js';

/** "What is registered to me", "what equipment does UNIT have": the inventory card. */
export const inventory: MessageHandler<'inventory'> = (context, intent) =>
  inventoryMessageReply(context, intent);
