import { upperFirst } from '../../cards/answerCards.js';
import { confirmSystemReply } from '../../cards/careCards.js';
import { isCurrent, SYSTEM_ROLES } from '../../data/model.js';
import type { RequestStore } from '../../data/requestStore.js';
import type { TimerStore } from '../../data/timerStore.js';
import type { AppServices } from '../../services/appServices.js';
import { formatList, t } from '../../services/i18n/index.js';
import type { Logger } from '../../services/logger.js';
import { roleLabel } from '../../services/nlu/vocabulary.js';
import { ownerCheckTimer } from '../../services/ownerCheck.js';
import { derivedId } from '../../services/requests/deadlines.js';
import { DONE, type TimerHandler } from '../../services/scheduler.js';
import type { WorkingCalendar } from '../../services/workingTime.js';
import type { PersonMessenger } from './personMessenger.js';

/**
 * The yearly owner check of one system (services/ownerCheck.ts): each current owner gets the card to confirm the
 * entry (`system.confirm`, the same card as "confirm Raindance": every role's holders, unit, supplier, whether it
 * processes personal data, when it was last confirmed), in their organisation's language. A system without an owner
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
    const organisation = indexes.organisations.get(system.organisationId);
    const assignments = (indexes.assignmentsBySystem.get(system.id) ?? []).filter((a) => isCurrent(a, now));
    const ownerIds = [...new Set(assignments.filter((a) => a.role === 'owner').map((a) => a.personId))];
    const outcomes: string[] = [];
    for (const ownerId of ownerIds) {
      const person = indexes.people.get(ownerId);
      const lang =
        indexes.organisations.get(person?.organisationId ?? system.organisationId)?.language ?? 'en';
      const facts: string[] = [];
      for (const role of SYSTEM_ROLES) {
        const names = assignments
          .filter((a) => a.role === role)
          .map((a) => indexes.people.get(a.personId)?.name ?? a.personId);
        facts.push(
          `${upperFirst(roleLabel(role, lang, organisation))}: ${names.length > 0 ? formatList(lang, names) : '—'}`,
        );
      }
      const unit = system.unitId ? indexes.units.get(system.unitId)?.name : undefined;
      if (unit) facts.push(unit);
      if (system.supplier) facts.push(system.supplier);
      facts.push(
        `${t(lang, 'care.field.personalData')}: ${t(lang, system.processesPersonalData ? 'ownerCheck.yes' : 'ownerCheck.no')}`,
      );
      const reply = confirmSystemReply(lang, { revision: indexes.revision, system, facts });
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
        details: { owners: ownerIds.join(';'), outcomes: outcomes.join(';') },
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
