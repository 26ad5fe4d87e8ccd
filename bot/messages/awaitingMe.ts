import { requestList } from '../actions/requestLists.js';
import type { MessageHandler } from './messageHandler.js';

/** "Waiting for me": the decisions and tasks open for the asker. */
export const awaitingMe: MessageHandler<'awaitingMe'> = (context) => requestList(context, 'awaiting');
