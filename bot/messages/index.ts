import type { Reply } from '../../cards/cardParts.js';
import { nameTurn } from '../../core/telemetry.js';
import type { Intent } from '../../services/nlu/intent.js';
import type { HandlerContext } from '../actions/context.js';
import { awaitingMe } from './awaitingMe.js';
import { care } from './care.js';
import { didYouMean } from './didYouMean.js';
import { greeting } from './greeting.js';
import { help } from './help.js';
import { hygieneCheck } from './hygieneCheck.js';
import { inventory } from './inventory.js';
import type { MessageHandler } from './messageHandler.js';
import { myRequests } from './myRequests.js';
import { openRequests } from './openRequests.js';
import { organisationRole } from './organisationRole.js';
import { requestAccess } from './requestAccess.js';
import { requestEquipment } from './requestEquipment.js';
import { reviews } from './reviews.js';
import { rolesOf } from './rolesOf.js';
import { systemList } from './systemList.js';
import { whoOwns } from './whoOwns.js';

/**
 * One handler per kind of message (services/nlu/intent.ts); an intent added there without a handler here does not
 * compile. The message is understood once per turn (intent, answer language, asker) before it gets here.
 */
export const messageHandlers: { readonly [K in Intent['kind']]: MessageHandler<K> } = {
  whoOwns,
  rolesOf,
  organisationRole,
  systemList,
  greeting,
  help,
  unknown: help,
  didYouMean,
  requestAccess,
  requestEquipment,
  myRequests,
  awaitingMe,
  openRequests,
  inventory,
  hygieneCheck,
  reviews,
  care,
};

/** The reply to an understood message: its kind's handler. */
export function replyToMessage(context: HandlerContext, intent: Intent): Promise<Reply> {
  // The table pairs each kind with a handler for that kind, which TypeScript cannot see through the index.
  const handler = messageHandlers[intent.kind] as MessageHandler;
  nameTurn({ intent: intent.kind });
  return handler(context, intent);
}
