import { renewalReply } from '../../cards/renewalCard.js';
import type { AppServices } from '../../services/infrastructure/appServices.js';
import type { Logger } from '../../core/logger.js';
import { timeBound } from '../../services/requests/deadlines.js';
import { DONE, type TimerHandler } from '../../services/time/scheduler.js';
import type { PersonMessenger } from './personMessenger.js';

/**
 * The "renew?" card of a time-bound access (timer kind `access.renew`, 14 days before its end date): sent to the
 * subject and, when someone else asked, the requester, each in their organisation's language. Its button opens the
 * access form prefilled from the granted request (`request.start` with `renewOf`). Nothing is renewed by itself.
 * Sent once per timer; a person without a conversation reference is logged and skipped.
 */
export function renewalNoticeHandler(deps: {
  services: Pick<AppServices, 'requests' | 'view'>;
  messenger: Pick<PersonMessenger, 'tell'>;
  logger: Logger;
}): TimerHandler {
  const log = deps.logger.child({ component: 'access.renew' });
  return async (timer) => {
    const request = await deps.services.requests.get(String(timer.payload.requestId)).catch(() => undefined);
    const endDate = request ? timeBound(request) : undefined;
    if (!request || !endDate || !request.systemId) return DONE;
    const indexes = await deps.services.view.current();
    const system = indexes.systems.get(request.systemId);
    if (!system) return DONE;
    const subjectName = indexes.people.get(request.subjectId)?.name ?? request.subjectId;
    for (const personId of new Set([request.subjectId, request.requesterId])) {
      const person = indexes.people.get(personId);
      const organisation = indexes.organisations.get(person?.organisationId ?? request.organisationId);
      const reply = renewalReply(organisation?.language ?? 'en', {
        system: system.name,
        systemId: system.id,
        requestId: request.id,
        name: subjectName,
        role: String(request.fields.role ?? ''),
        date: endDate,
      });
      const told = await deps.messenger.tell(person ?? { id: personId }, {
        card: reply.card,
        text: reply.summary,
      });
      log.info({ requestId: request.id, personId, told }, 'renewal card');
    }
    return DONE;
  };
}
