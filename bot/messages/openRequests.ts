import { openRequestsReply } from '../actions/openRequests.js';
import type { MessageHandler } from './messageHandler.js';

/** "Open requests", "requests waiting more than N days": the first page (list readers only). */
export const openRequests: MessageHandler<'openRequests'> = (context, intent) =>
  openRequestsReply(context, intent);
