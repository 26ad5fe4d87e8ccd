import type { Verb } from '../verbs.js';
import type { VerbHandler } from './handler.js';
import { helpShow } from './helpShow.js';
import { personRoles } from './personRoles.js';
import { requestCancel } from './requestCancel.js';
import { requestApprove, requestReject } from './requestDecide.js';
import { requestsAwaiting, requestsMine } from './requestLists.js';
import { requestShow } from './requestShow.js';
import { requestStart } from './requestStart.js';
import { requestSubmit } from './requestSubmit.js';
import { taskDone, taskFailed } from './requestTask.js';
import { systemShow } from './systemShow.js';
import { systemsPage } from './systemsPage.js';

/** One handler per verb; a verb added to bot/verbs.ts without a handler here does not compile. */
export const handlers: Readonly<Record<Verb, VerbHandler>> = {
  'system.show': systemShow,
  'person.roles': personRoles,
  'help.show': helpShow,
  'request.start': requestStart,
  'request.submit': requestSubmit,
  'request.show': requestShow,
  'request.approve': requestApprove,
  'request.reject': requestReject,
  'request.cancel': requestCancel,
  'task.done': taskDone,
  'task.failed': taskFailed,
  'requests.mine': requestsMine,
  'requests.awaiting': requestsAwaiting,
  'systems.page': systemsPage,
};
