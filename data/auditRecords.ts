import { createHash } from 'node:crypto';
import { AnsvarError } from '../core/errors.js';
import type { AuditFilter } from './auditLog.js';
import { AUDIT_EVENTS, type AuditEvent } from './requestModel.js';

/*
 * What every audit log keeps alike (the JSON-lines file in data/lowdb/auditLogFile.ts, the PostgreSQL table, the
 * memory log): one sha256 chain over the events' plain JSON, so `npm run audit` verifies either, the same checks on
 * an event before it is appended, and the same filter.
 */

/** sha256 chain start: the `prevHash` of the first line. */
export const GENESIS_HASH = '0'.repeat(64);

/** Lines written to the file: the event's own fields, then the chain. */
export interface ChainedLine extends AuditEvent {
  prevHash: string;
  hash: string;
}

/** `hash` of a line: sha256 over the previous line's hash and the event's JSON text (as written, without the chain). */
export function chainHash(prevHash: string, eventJson: string): string {
  return createHash('sha256').update(prevHash).update('\n').update(eventJson).digest('hex');
}

/** The event as stored: plain JSON (undefined fields dropped), without any chain fields the caller passed. */
export function normalise(event: AuditEvent): AuditEvent {
  const copy = JSON.parse(JSON.stringify(event)) as Partial<ChainedLine>;
  delete copy.prevHash;
  delete copy.hash;
  return copy as AuditEvent;
}

export function validate(event: AuditEvent): void {
  const problem =
    typeof event?.id !== 'string' || event.id.length === 0
      ? 'has no id'
      : typeof event.at !== 'string' || Number.isNaN(Date.parse(event.at))
        ? 'has no valid time (at)'
        : !(AUDIT_EVENTS as readonly string[]).includes(event.type)
          ? `has an unknown type ${JSON.stringify(event.type)}`
          : typeof event.actor !== 'string' || event.actor.length === 0
            ? 'has no actor'
            : undefined;
  if (problem) throw new AnsvarError('InvalidInput', `audit event ${JSON.stringify(event?.id)} ${problem}`);
}

export function matchesAuditFilter(
  event: AuditEvent,
  filter: AuditFilter | undefined,
  since?: number,
): boolean {
  if (!filter) return true;
  if (filter.systemId !== undefined && event.systemId !== filter.systemId) return false;
  if (filter.requestId !== undefined && event.requestId !== filter.requestId) return false;
  if (filter.personId !== undefined) {
    const person = filter.personId.toLowerCase();
    if (event.actor.toLowerCase() !== person && event.onBehalfOf?.toLowerCase() !== person) return false;
  }
  if (since !== undefined && !(Date.parse(event.at) >= since)) return false;
  return true;
}
