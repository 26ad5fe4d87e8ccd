import type { Reply } from '../../cards/cardParts.js';
import type { Intent } from '../../services/nlu/intent.js';
import type { HandlerContext } from '../actions/context.js';

/**
 * One kind of message, understood: the intent as read (once per turn, by the bot) and the turn, whose `language()`
 * is the language the message is answered in. Nothing from botbuilder.
 */
export type MessageHandler<K extends Intent['kind'] = Intent['kind']> = (
  context: HandlerContext,
  intent: Extract<Intent, { kind: K }>,
) => Promise<Reply>;
