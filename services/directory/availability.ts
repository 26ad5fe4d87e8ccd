import type { PersonStatus } from './directory.js';

/** How a role holder stands in the directory, as every answer and every routing decision sees it. */
export type Availability = 'available' | 'outOfOffice' | 'disabled' | 'notFound';

/**
 * A holder's availability from their directory status. No status (the directory was not asked, or could not be
 * reached) counts as available: no flag rather than a wrong flag. A missing user outranks a disabled one, and a
 * disabled one outranks out of office.
 */
export function availabilityOf(status: PersonStatus | undefined): {
  status: Availability;
  outOfOfficeUntil?: string;
} {
  if (status === undefined) return { status: 'available' };
  if (!status.found) return { status: 'notFound' };
  if (!status.accountEnabled) return { status: 'disabled' };
  if (status.outOfOffice) {
    return status.outOfOfficeUntil === undefined
      ? { status: 'outOfOffice' }
      : { status: 'outOfOffice', outOfOfficeUntil: status.outOfOfficeUntil };
  }
  return { status: 'available' };
}
