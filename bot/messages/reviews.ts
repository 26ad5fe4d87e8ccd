import { reviewMessageReply } from '../actions/reviews.js';
import type { MessageHandler } from './messageHandler.js';

/** "Access reviews", "start an access review of X": the progress list, or a started campaign. */
export const reviews: MessageHandler<'reviews'> = (context, intent) => reviewMessageReply(context, intent);
