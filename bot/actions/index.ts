import { nameTurn } from '../../core/telemetry.js';
import type { Verb } from '../verbs.js';
import {
  careCancel,
  roleAssign,
  roleEnd,
  rolesHandover,
  systemAdd,
  systemConfirm,
  systemEdit,
} from './careActions.js';
import { listDownload } from './download.js';
import { equipmentStart } from './equipmentStart.js';
import type { VerbHandler } from './context.js';
import { helpShow } from './helpShow.js';
import { questionAsk } from './questionAsk.js';
import { inventoryDiscard, inventoryMine, inventoryUnit } from './inventory.js';
import { openRequestsPage } from './openRequests.js';
import { personRoles } from './personRoles.js';
import { requestCancel } from './requestCancel.js';
import { requestApprove, requestReject } from './requestDecide.js';
import { requestsAwaiting, requestsMine } from './requestLists.js';
import { requestNote } from './requestNote.js';
import { requestShow } from './requestShow.js';
import { requestStart } from './requestStart.js';
import { equipmentSubmit, requestSubmit } from './requestSubmit.js';
import { taskDone, taskFailed } from './requestTask.js';
import { systemShow } from './systemShow.js';
import { systemsPage } from './systemsPage.js';
import { reviewDecide, reviewDownload } from './reviews.js';

/**
 * One handler per verb; a verb added to bot/verbs.ts without a handler here does not compile. Each names its verb
 * to the turn's telemetry (latency per verb) before it runs.
 */
export const handlers: Readonly<Record<Verb, VerbHandler>> = namedForTelemetry({
  'system.show': systemShow,
  'person.roles': personRoles,
  'help.show': helpShow,
  'question.ask': questionAsk,
  'request.start': requestStart,
  'request.submit': requestSubmit,
  'request.show': requestShow,
  'request.approve': requestApprove,
  'request.reject': requestReject,
  'request.cancel': requestCancel,
  'request.note': requestNote,
  'task.done': taskDone,
  'task.failed': taskFailed,
  'requests.mine': requestsMine,
  'requests.awaiting': requestsAwaiting,
  'requests.open': openRequestsPage,
  'systems.page': systemsPage,
  'list.download': listDownload,
  'system.add': systemAdd,
  'system.edit': systemEdit,
  'system.confirm': systemConfirm,
  'role.assign': roleAssign,
  'role.end': roleEnd,
  'roles.handover': rolesHandover,
  'care.cancel': careCancel,
  'equipment.start': equipmentStart,
  'equipment.submit': equipmentSubmit,
  'inventory.mine': inventoryMine,
  'inventory.unit': inventoryUnit,
  'inventory.discard': inventoryDiscard,
  'review.decide': reviewDecide,
  'review.download': reviewDownload,
});

function namedForTelemetry(table: Record<Verb, VerbHandler>): Record<Verb, VerbHandler> {
  for (const [verb, handler] of Object.entries(table) as Array<[Verb, VerbHandler]>)
    table[verb] = {
      handle(context, data) {
        nameTurn({ verb });
        return handler.handle(context, data);
      },
    };
  return table;
}
