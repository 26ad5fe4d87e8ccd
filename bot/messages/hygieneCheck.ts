import { hygieneCheckReply } from '../actions/hygiene.js';
import type { MessageHandler } from './messageHandler.js';

/** "Check the register": the hygiene card the daily digest sends, for the asker's organisation. */
export const hygieneCheck: MessageHandler<'hygieneCheck'> = (context) =>
  hygieneCheckReply(context, context.hygiene);
