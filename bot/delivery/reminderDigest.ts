import { requestListReply } from '../../cards/requestListCard.js';
import { requestNamesFrom } from '../../cards/requestText.js';
import type { Person } from '../../data/model.js';
import type { RequestStore } from '../../data/requestStore.js';
import type { Timer } from '../../data/timerStore.js';
import type { AppServices } from '../../services/infrastructure/appServices.js';
import { t } from '../../services/i18n/index.js';
import type { Logger } from '../../core/logger.js';
import { derivedId, type RequestDeadlines } from '../../services/requests/deadlines.js';
import { DONE, type TimerHandler } from '../../services/time/scheduler.js';
import type { PersonMessenger } from './personMessenger.js';

/**
 * The reminder digest (timer kind `reminder.digest`, planned by services/requests/deadlines.ts): ONE card to a
 * person listing every open request waiting for them whose reminder time has passed, in their organisation's
 * language, each opening the request card (with its buttons). Sent only in sending hours of the person's
 * organisation (else it waits for the next sending time); nothing is sent when nothing is overdue any more (decided
 * meanwhile). One `reminder_digest` audit event per digest sent (id derived from the timer and the time, so a
 * repeated run of the same timer is logged once). A person without a conversation reference is logged and skipped.
 */
export function reminderDigestHandler(deps: {
  services: Pick<AppServices, 'requests' | 'view' | 'catalogues'>;
  deadlines: Pick<RequestDeadlines, 'overdueFor' | 'calendarFor'>;
  messenger: Pick<PersonMessenger, 'tell'>;
  audit: Pick<RequestStore, 'recordAudit'>;
  now: () => Date;
  logger: Logger;
}): TimerHandler {
  const log = deps.logger.child({ component: 'reminder.digest' });
  return async (timer: Timer) => {
    const personId = String(timer.payload.personId);
    const indexes = await deps.services.view.current();
    const person: Pick<Person, 'id' | 'aadObjectId'> = indexes.people.get(personId) ?? { id: personId };
    const organisationId = indexes.people.get(personId)?.organisationId;
    const awaiting = await deps.services.requests.listAwaiting(personId, 200);
    const overdue = await deps.deadlines.overdueFor(awaiting);
    if (overdue.length === 0) return DONE;
    const calendar = await deps.deadlines.calendarFor(organisationId ?? overdue[0]!.organisationId);
    const now = deps.now();
    if (calendar.isQuiet(now)) return { retryAt: calendar.nextAllowed(now) };
    const organisation = indexes.organisations.get(organisationId ?? overdue[0]!.organisationId);
    const lang = organisation?.language ?? 'en';
    const reply = requestListReply(
      'awaiting',
      overdue,
      { personId },
      lang,
      requestNamesFrom(indexes, deps.services.catalogues),
      t(lang, 'reminder.digest.title', { count: overdue.length }),
    );
    const told = await deps.messenger.tell(person, { card: reply.card, text: reply.summary });
    await deps.audit.recordAudit([
      {
        id: derivedId(`${timer.id}@${timer.dueAt}`),
        at: now.toISOString(),
        type: 'reminder_digest',
        actor: 'system',
        ...(organisationId ? { organisationId } : {}),
        details: {
          personId,
          requests: overdue.map((r) => r.id).join(';'),
          count: overdue.length,
          outcome: told,
        },
      },
    ]);
    log.info({ personId, count: overdue.length, told }, 'reminder digest');
    return DONE;
  };
}
