import { ORGANISATION_ROLES, SYSTEM_ROLES, type Role, type SystemRole } from '../../data/model.js';
import type { PersonStatus } from '../directory/directory.js';
import type { AnswerServices, HolderView, SystemFocus } from './answers.js';
import { directoryCall } from './registerQueries.js';

/** Whose roles an answer shows, in which order, whom to turn to instead, and the moment a history answer is for. */

/** The roles shown for each focus. Supplier support is a text on the system; its administrator is the contact. */
export const FOCUS_ROLES: Record<SystemFocus, readonly SystemRole[]> = {
  owner: ['owner'],
  administrator: ['administrator'],
  deputy: ['deputy'],
  super_user: ['super_user'],
  access: ['administrator', 'deputy'],
  supplier: ['administrator'],
  all: SYSTEM_ROLES,
};

/**
 * Whom to turn to when a holder cannot act: the first of these roles with an available holder. The administrator's
 * deputy stands in for them (Tanum 4.2); a deputy's stand-in is the administrator; the owner's work goes to the
 * administrator it appointed.
 */
export const TURN_TO: Record<SystemRole, readonly SystemRole[]> = {
  owner: ['administrator', 'deputy'],
  administrator: ['deputy', 'owner'],
  deputy: ['administrator', 'owner'],
  super_user: ['administrator', 'deputy'],
};

export const ROLE_ORDER: readonly Role[] = [...SYSTEM_ROLES, ...ORGANISATION_ROLES];

/**
 * The moment a "who owned X on DAY" question is answered for: 12:00 in Europe/Stockholm (the civil time of every
 * organisation served) on `day` (YYYY-MM-DD). One moment rather than "anyone valid at some time that day": on the
 * day a role changed hands the answer is whoever held it at midday, never both the old and the new holder.
 * Daylight saving changes happen at night, so the offset at 12:00 UTC is the one at local midday. Undefined for
 * anything that is not a calendar date.
 */
export function middayInStockholm(day: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const utcNoon = new Date(`${day}T12:00:00.000Z`);
  if (Number.isNaN(utcNoon.getTime()) || utcNoon.toISOString().slice(0, 10) !== day) return undefined;
  const offset = STOCKHOLM_OFFSET.formatToParts(utcNoon).find((p) => p.type === 'timeZoneName')?.value ?? '';
  const match = /^GMT([+-])(\d{2}):(\d{2})$/.exec(offset);
  const minutes = match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
  return new Date(utcNoon.getTime() - minutes * 60_000);
}

const STOCKHOLM_OFFSET = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Stockholm',
  timeZoneName: 'longOffset',
});

/** The available holders of the first role in the holder's `TURN_TO` chain that has any. */
export function turnTo(holder: HolderView, all: readonly HolderView[]): HolderView[] {
  for (const role of TURN_TO[holder.role]) {
    const available = all.filter(
      (h) => h.role === role && h.status === 'available' && h.person.id !== holder.person.id,
    );
    if (available.length > 0) return available;
  }
  return [];
}

/** Status of every UPN in one directory call; an empty map when the directory is unreachable. */
export async function statusesOf(
  services: AnswerServices,
  upns: readonly string[],
): Promise<Map<string, PersonStatus>> {
  const unique = [...new Set(upns)];
  if (unique.length === 0) return new Map();
  const result = await directoryCall(services.logger, () => services.directory.statusOf(unique), undefined);
  if (!result) return new Map();
  return new Map([...result].map(([upn, status]) => [upn.toLowerCase(), status]));
}
