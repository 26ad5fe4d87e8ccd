import { confirmSystemReply } from '../../cards/careCard.js';
import { isCurrent } from '../../data/model.js';
import type { RequestStore } from '../../data/requestStore.js';
import type { TimerStore } from '../../data/timerStore.js';
import type { AppServices } from '../../services/infrastructure/appServices.js';
import { riskAnalysisDue } from '../../services/hygiene/index.js';
import type { Logger } from '../../core/logger.js';
import { ownerCheckFacts, ownerCheckTimer } from '../../services/care/ownerCheck.js';
import { derivedId } from '../../services/requests/deadlines.js';
import { DONE, type TimerHandler } from '../../services/time/scheduler.js';
import type { WorkingCalendar } from '../../services/time/workingTime.js';
import type { PersonMessenger } from './personMessenger.js';

/**
 * The yearly owner check of one system (services/care/ownerCheck.ts): each current owner gets the card to confirm the
 * entry (`system.confirm`, the same card as "confirm Raindance": every role's holders and the unit, with the
 * supplier, whether it processes personal data and the day of the last risk analysis as inputs to correct; a risk
 * analysis missing or older than 12 months is the card's reminder), in their organisation's language. A system without an owner
 * sends nothing (the hygiene digest lists it), nor does a retired or removed one. An entry left unconfirmed shows in
 * the hygiene digest after HYGIENE_UNCONFIRMED_MONTHS. One `owner_check` audit event per run (id derived from the
 * timer); the next year's check is planned.
 */
export function ownerCheckHandler(deps: {
  services: Pick<AppServices, 'view'>;
  timers: Pick<TimerStore, 'add'>;
  messenger: Pick<PersonMessenger, 'tell'>;
  audit: Pick<RequestStore, 'recordAudit'>;
  calendarFor: (organisationId: string) => Promise<WorkingCalendar>;
  now: () => Date;
  logger: Logger;
}): TimerHandler {
  const log = deps.logger.child({ component: 'owner.check' });
  return async (timer) => {
    const systemId = String(timer.payload.systemId);
    const indexes = await deps.services.view.current();
    const system = indexes.systems.get(systemId);
    if (!system || system.lifecycle === 'retired') return DONE;
    const now = deps.now();
    const assignments = (indexes.assignmentsBySystem.get(system.id) ?? []).filter((a) => isCurrent(a, now));
    const ownerIds = [...new Set(assignments.filter((a) => a.role === 'owner').map((a) => a.personId))];
    const outcomes: string[] = [];
    for (const ownerId of ownerIds) {
      const person = indexes.people.get(ownerId);
      const lang =
        indexes.organisations.get(person?.organisationId ?? system.organisationId)?.language ?? 'en';
      const facts = ownerCheckFacts(indexes, system, lang, now);
      const reply = confirmSystemReply(lang, { revision: indexes.revision, system, facts, now });
      outcomes.push(
        await deps.messenger.tell(person ?? { id: ownerId }, { card: reply.card, text: reply.summary }),
      );
    }
    await deps.audit.recordAudit([
      {
        id: derivedId(timer.id),
        at: now.toISOString(),
        type: 'owner_check',
        actor: 'system',
        organisationId: system.organisationId,
        systemId: system.id,
        details: {
          owners: ownerIds.join(';'),
          outcomes: outcomes.join(';'),
          riskAnalysisDue: riskAnalysisDue(system, now),
        },
      },
    ]);
    const calendar = await deps.calendarFor(system.organisationId);
    await deps.timers.add([
      ownerCheckTimer(system, new Date(Date.parse(timer.dueAt) + 86_400_000), calendar),
    ]);
    log.info({ systemId, owners: ownerIds.length }, 'owner check sent');
    return DONE;
  };
}
