import { AnsvarError } from '../core/errors.js';
import type { RegisterChanges, RegisterIds, RegisterSnapshot } from './model.js';
import type { RegisterEffects } from './registerStore.js';
import type { AuditEvent } from './requestModel.js';

/* What every register store computes alike (memory, lowdb, PostgreSQL): the next register and its pending audit. */

/**
 * Pure: the register after `changes`, with the revision increased by one. Shared by every store. Entities and
 * tables that did not change are shared with `current` (never mutated), so frozen state stays valid.
 */
export function applyChanges(
  current: RegisterSnapshot,
  changes: RegisterChanges,
  remove: RegisterIds = {},
): RegisterSnapshot {
  const next: RegisterSnapshot = { ...current, revision: current.revision + 1 };
  for (const key of ['organisations', 'units', 'people', 'systems', 'roleAssignments'] as const) {
    const incoming = changes[key];
    const removed = new Set(remove[key] ?? []);
    if ((!incoming || incoming.length === 0) && removed.size === 0) continue;
    const byId = new Map<string, unknown>(
      current[key].filter((e) => !removed.has(e.id)).map((e) => [e.id, e]),
    );
    for (const entity of incoming ?? []) byId.set(entity.id, structuredClone(entity));
    (next as unknown as Record<string, unknown[]>)[key] = [...byId.values()];
  }
  return next;
}

/**
 * Pure: the pending audit events after an apply with `effects` (copies; an id already pending is kept as it was,
 * so a retried apply cannot duplicate an event). Throws InvalidInput for an event without an id, before anything
 * changes. Shared by every register store.
 */
export function withPendingAudit(
  pending: ReadonlyMap<string, AuditEvent>,
  effects: RegisterEffects | undefined,
): ReadonlyMap<string, AuditEvent> {
  const events = effects?.audit ?? [];
  if (events.length === 0) return pending;
  for (const event of events) {
    if (typeof event?.id !== 'string' || event.id.length === 0) {
      throw new AnsvarError('InvalidInput', 'an audit event needs a non-empty id');
    }
  }
  const next = new Map(pending);
  for (const event of events) if (!next.has(event.id)) next.set(event.id, structuredClone(event));
  return next;
}

/** Pure: the pending events without `eventIds`, or undefined when none of them is pending (nothing to write). */
export function withoutFlushed(
  pending: ReadonlyMap<string, AuditEvent>,
  eventIds: readonly string[],
): ReadonlyMap<string, AuditEvent> | undefined {
  const present = eventIds.filter((id) => pending.has(id));
  if (present.length === 0) return undefined;
  const next = new Map(pending);
  for (const id of present) next.delete(id);
  return next;
}
