import { requestList } from '../actions/requestLists.js';
import type { MessageHandler } from './messageHandler.js';

/** "My requests": the asker's open and recent requests, newest first. */
export const myRequests: MessageHandler<'myRequests'> = (context) => requestList(context, 'mine');
