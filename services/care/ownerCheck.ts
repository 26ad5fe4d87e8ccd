import { createHash } from 'node:crypto';
import { isCurrent, SYSTEM_ROLES, type Language, type SystemRecord } from '../../data/model.js';
import type { NewTimer } from '../../data/timerStore.js';
import { formatList } from '../i18n/index.js';
import { roleLabel } from '../nlu/vocabulary.js';
import type { RegisterIndexes } from '../search/registerView.js';
import type { WorkingCalendar } from '../time/workingTime.js';

/**
 * The yearly owner check (Nora, Tanum 4.2.1: owners confirm their systems at least yearly): once a year per system
 * that is not retired, its owners get one card to confirm the entry. The day is spread over the year by a stable
 * hash of the system id (the same system always on the same day, 10,000 systems not on one morning): day
 * `hash mod 365` of the year, 09:00 local, moved into sending hours (a weekend or holiday: the next working day).
 * Timers `owner-check:<systemId>:<year>`: each run plans the next year's, and planning at start adds only what is
 * missing (a stored timer, pending or being caught up, is kept).
 */

export const OWNER_CHECK_KIND = 'system.ownerCheck';

/** 0..364: the system's day of the year. */
export function ownerCheckDay(systemId: string): number {
  return createHash('sha256').update(systemId).digest().readUInt32BE(0) % 365;
}

/** When the system's owner check of `year` is due. */
export function ownerCheckDue(systemId: string, year: number, calendar: WorkingCalendar): Date {
  const morning = calendar.morningOf(`${year}-01-01`, ownerCheckDay(systemId));
  return calendar.nextAllowed(new Date(morning.getTime() + 2 * 3_600_000));
}

/** The first owner check of the system after `after`. */
export function ownerCheckTimer(system: SystemRecord, after: Date, calendar: WorkingCalendar): NewTimer {
  let year = after.getUTCFullYear();
  let due = ownerCheckDue(system.id, year, calendar);
  if (due.getTime() <= after.getTime()) due = ownerCheckDue(system.id, (year += 1), calendar);
  const group = `owner-check:${system.id}`;
  return {
    id: `${group}:${year}`,
    kind: OWNER_CHECK_KIND,
    group,
    dueAt: due.toISOString(),
    payload: { systemId: system.id, year },
  };
}

/** The owner-check timers of every system that is not retired (for `TimerStore.add`: existing ones are kept). */
export function ownerCheckTimers(
  systems: Iterable<SystemRecord>,
  after: Date,
  calendarOf: (system: SystemRecord) => WorkingCalendar,
): NewTimer[] {
  const timers: NewTimer[] = [];
  for (const system of systems) {
    if (system.lifecycle === 'retired') continue;
    timers.push(ownerCheckTimer(system, after, calendarOf(system)));
  }
  return timers;
}

/**
 * The labelled facts of the owner's confirmation card: every system role with its current holders ("—" for
 * none) and the unit. Supplier, personal data and the risk-analysis date are the card's inputs, not facts.
 */
export function ownerCheckFacts(
  indexes: Pick<RegisterIndexes, 'assignmentsBySystem' | 'people' | 'organisations' | 'units'>,
  system: SystemRecord,
  lang: Language,
  now: Date,
): string[] {
  const organisation = indexes.organisations.get(system.organisationId);
  const assignments = (indexes.assignmentsBySystem.get(system.id) ?? []).filter((a) => isCurrent(a, now));
  const facts: string[] = [];
  for (const role of SYSTEM_ROLES) {
    const names = assignments
      .filter((a) => a.role === role)
      .map((a) => indexes.people.get(a.personId)?.name ?? a.personId);
    const label = roleLabel(role, lang, organisation);
    facts.push(
      `${label.charAt(0).toLocaleUpperCase() + label.slice(1)}: ${names.length > 0 ? formatList(lang, names) : '—'}`,
    );
  }
  const unit = system.unitId ? indexes.units.get(system.unitId)?.name : undefined;
  if (unit) facts.push(unit);
  return facts;
}
