import { isCurrent, type Organisation, type OrganisationRole, type SystemRole } from '../../data/model.js';
import type { SystemListKind, SystemListPage, SystemListRow } from '../responsibility/answers.js';
import type { RegisterIndexes } from '../search/registerView.js';

/**
 * Responsibility lists (DOMAIN.md): the systems of one organisation with owner, administrator and deputies, or
 * only those with a gap. Computed from one register revision's indexes; never touches the store.
 *
 * - A gap is the absence of a current assignment (`isCurrent` at `now`); ended and future ones do not count.
 * - Retired systems are in the full list and left out of the gap lists: nobody needs to fill their roles.
 * - Sorted by unit name (systems without a unit last), then system name, in the organisation's language.
 */

/** Who may read the lists: the organisation roles that keep the register or answer for IT (Tanum 4.2, seed 000). */
export const LIST_READER_ROLES: readonly OrganisationRole[] = [
  'it_coordinator',
  'it_unit',
  'it_manager',
  'security_officer',
];

/** Whether `personId` holds one of `LIST_READER_ROLES` in the organisation at `now` (the one rule for lists). */
export function isListReader(
  indexes: Pick<RegisterIndexes, 'organisationAssignments'>,
  organisationId: string,
  personId: string,
  now: Date,
): boolean {
  const id = personId.toLowerCase();
  return (indexes.organisationAssignments.get(organisationId) ?? []).some(
    (a) => a.personId === id && LIST_READER_ROLES.includes(a.role as OrganisationRole) && isCurrent(a, now),
  );
}

/** Systems per card page: keeps the largest page far below Teams' 80 KB (see the render test). */
export const SYSTEM_LIST_PAGE_SIZE = 25;

const COLLATOR_LOCALES = { sv: 'sv', nn: 'nn', nb: 'nb', en: 'en' } as const;

export function systemListRows(
  indexes: RegisterIndexes,
  organisation: Organisation,
  list: SystemListKind,
  unitId: string | undefined,
  now: Date,
): SystemListRow[] {
  const rows: SystemListRow[] = [];
  for (const system of indexes.register.systems) {
    if (system.organisationId !== organisation.id) continue;
    if (unitId !== undefined && system.unitId !== unitId) continue;
    if (list !== 'all' && system.lifecycle === 'retired') continue;
    const holders: Record<SystemRole, string[]> = {
      owner: [],
      administrator: [],
      deputy: [],
      super_user: [],
    };
    for (const assignment of indexes.assignmentsBySystem.get(system.id) ?? []) {
      if (assignment.role in holders && isCurrent(assignment, now)) {
        const name = indexes.people.get(assignment.personId)?.name ?? assignment.personId;
        holders[assignment.role as SystemRole].push(name);
      }
    }
    if (list === 'noDeputy' && holders.deputy.length > 0) continue;
    if (list === 'noOwner' && holders.owner.length > 0) continue;
    if (list === 'noAdministrator' && holders.administrator.length > 0) continue;
    if (list === 'noSuperUser' && holders.super_user.length > 0) continue;
    const row: SystemListRow = {
      system,
      owners: holders.owner,
      administrators: holders.administrator,
      deputies: holders.deputy,
    };
    const unit = system.unitId ? indexes.units.get(system.unitId) : undefined;
    if (unit) row.unit = unit;
    rows.push(row);
  }
  const collator = new Intl.Collator(COLLATOR_LOCALES[organisation.language]);
  return rows.sort((a, b) => {
    if (a.unit === undefined || b.unit === undefined) {
      if (a.unit !== b.unit) return a.unit === undefined ? 1 : -1;
    } else {
      const byUnit = collator.compare(a.unit.name, b.unit.name);
      if (byUnit !== 0) return byUnit;
    }
    return collator.compare(a.system.name, b.system.name);
  });
}

/** One page of any paged list, shaped as SystemListPage; `page` is 0-based and within `pageCount` (at least 1). */
export type ListPage<R> = Omit<SystemListPage, 'rows'> & { rows: R[] };

/**
 * Page `page` (0-based) of `rows`; a page past the end gives the last page, so a stale button still answers. Any
 * paged list uses it (systems, open requests).
 */
export function pageOf<R = SystemListRow>(
  rows: readonly R[],
  page: number,
  size: number = SYSTEM_LIST_PAGE_SIZE,
): ListPage<R> {
  const pageCount = Math.max(1, Math.ceil(rows.length / size));
  const current = Math.min(Math.max(0, Math.trunc(page)), pageCount - 1);
  return {
    rows: rows.slice(current * size, (current + 1) * size),
    page: current,
    pageCount,
    total: rows.length,
  };
}
