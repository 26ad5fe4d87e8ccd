import { isCurrent, type Role, type RoleAssignment } from '../../data/model.js';
import type { AuditEvent, InventoryItem } from '../../data/requestModel.js';
import type { RequestStore } from '../../data/requestStore.js';
import { AnsvarError, isAnsvarError } from '../../core/errors.js';
import { invalidInput } from '../requests/kinds.js';
import type { RegisterIndexes, RegisterView } from '../search/registerView.js';
import { LIST_READER_ROLES } from '../lists/index.js';

/**
 * The registered equipment: what a unit has, what is registered to a person, and discarding an item with the IT
 * coordinator.
 *
 * - Who may see a unit's equipment: the organisation roles that may read the responsibility lists
 *   (`LIST_READER_ROLES`: IT coordinator, IT unit, IT manager, security officer) in the unit's organisation, and the
 *   IT orderers whose authorisation list holds the unit. Only current assignments count (`isCurrent` at `now`).
 * - Only an IT coordinator of the item's organisation discards, with a reason: discarding is what the supplier
 *   agreement's return is recorded as, and the coordinators keep the register.
 * - Person ids are compared as the register keeps them (lower-cased e-mail addresses).
 */
export interface InventoryDeps {
  requests: RequestStore;
  view: RegisterView;
  now: () => Date;
  newId: () => string;
}

export interface DiscardInput {
  itemId: string;
  /** The item version the card showed. */
  version: number;
  actorId: string;
  /** Required: why (returned to the supplier, broken ...). */
  reason: string;
}

export type DiscardResult =
  | { changed: true; item: InventoryItem }
  | { changed: false; item: InventoryItem; why: 'stale' | 'discarded' };

export type UnitInventoryResult =
  | { kind: 'items'; items: InventoryItem[]; mayDiscard: boolean }
  /** Not an IT coordinator, IT unit, IT manager, security officer of the unit's organisation, nor an IT orderer of the unit. */
  | { kind: 'refused'; coordinatorIds: string[] };

/** The longest discard reason kept, as for a request's reasons. */
export const DISCARD_REASON_MAX = 2000;

function norm(id: string): string {
  return id.trim().toLowerCase();
}

export class InventoryService {
  constructor(private readonly deps: InventoryDeps) {}

  /** Items in use registered to the person, by type (then asset tag). */
  async listMine(personId: string): Promise<InventoryItem[]> {
    const items = await this.deps.requests.inventory({ holderId: norm(personId), status: ['in_use'] });
    return items.sort((a, b) => compare(a.itemType, b.itemType) || compare(a.assetTag, b.assetTag));
  }

  /**
   * Items in use of the unit, grouped by location then type (then asset tag), for those allowed to see them; anyone
   * else is refused with the organisation's current IT coordinators named. A unit the register does not hold is
   * InvalidInput (field unitId, 'unknownUnit').
   */
  async listUnit(askerId: string, unitId: string): Promise<UnitInventoryResult> {
    const indexes = await this.deps.view.current();
    const unit = indexes.units.get(unitId);
    if (!unit) throw invalidInput(`unknown unit ${unitId}`, [{ field: 'unitId', problem: 'unknownUnit' }]);
    const held = this.currentRoles(indexes, unit.organisationId, norm(askerId));
    const mayRead = held.some(
      (a) =>
        (LIST_READER_ROLES as readonly Role[]).includes(a.role) ||
        (a.role === 'it_orderer' && a.unitIds?.includes(unit.id) === true),
    );
    if (!mayRead)
      return { kind: 'refused', coordinatorIds: this.coordinatorIds(indexes, unit.organisationId) };
    const collator = new Intl.Collator(indexes.organisations.get(unit.organisationId)?.language ?? 'en');
    const items = await this.deps.requests.inventory({
      organisationId: unit.organisationId,
      unitId: unit.id,
      status: ['in_use'],
    });
    items.sort(
      (a, b) =>
        collator.compare(a.location, b.location) ||
        collator.compare(a.itemType, b.itemType) ||
        collator.compare(a.assetTag, b.assetTag),
    );
    return { kind: 'items', items, mayDiscard: held.some((a) => a.role === 'it_coordinator') };
  }

  /**
   * Discards an item: only an IT coordinator of the item's organisation (NotAnApprover otherwise), reason required
   * (InvalidInput), one compare-and-set with an 'inventory_discarded' audit event; a stale or repeated click changes
   * nothing. An unknown item is InvalidInput (field itemId, 'unknownItem'). Authorisation comes before the state
   * checks, so a stale card never tells someone without the role anything.
   */
  async discard(input: DiscardInput): Promise<DiscardResult> {
    const actorId = norm(input.actorId);
    const item = await this.deps.requests.getInventoryItem(input.itemId);
    if (!item) {
      throw invalidInput(`unknown inventory item ${input.itemId}`, [
        { field: 'itemId', problem: 'unknownItem' },
      ]);
    }
    const indexes = await this.deps.view.current();
    if (!this.currentRoles(indexes, item.organisationId, actorId).some((a) => a.role === 'it_coordinator')) {
      throw new AnsvarError(
        'NotAnApprover',
        `${actorId} is not an IT coordinator of ${item.organisationId} (inventory item ${item.id})`,
        { itemId: item.id, actorId },
      );
    }
    const unchanged = unchangedResult(item, input.version);
    if (unchanged) return unchanged;
    const reason = requiredReason(input.reason);

    const at = this.deps.now().toISOString();
    const next: InventoryItem = {
      ...item,
      status: 'discarded',
      discardedAt: at,
      discardedBy: actorId,
      discardReason: reason,
    };
    const event: AuditEvent = {
      id: this.deps.newId(),
      at,
      type: 'inventory_discarded',
      actor: actorId,
      organisationId: item.organisationId,
      reason,
      details: { itemId: item.id, assetTag: item.assetTag, itemType: item.itemType },
    };
    try {
      const written = await this.deps.requests.updateInventoryItem(next, item.version, { audit: [event] });
      return { changed: true, item: written };
    } catch (error) {
      if (!isAnsvarError(error, 'RevisionConflict')) throw error;
      const current = await this.deps.requests.getInventoryItem(item.id);
      if (!current) throw error;
      return unchangedResult(current, input.version) ?? { changed: false, item: current, why: 'stale' };
    }
  }

  /** The person's current organisation-wide assignments in the organisation. */
  private currentRoles(indexes: RegisterIndexes, organisationId: string, personId: string): RoleAssignment[] {
    const now = this.deps.now();
    return (indexes.organisationAssignments.get(organisationId) ?? []).filter(
      (a) => a.personId === personId && isCurrent(a, now),
    );
  }

  private coordinatorIds(indexes: RegisterIndexes, organisationId: string): string[] {
    const now = this.deps.now();
    const ids = new Set<string>();
    for (const a of indexes.organisationAssignments.get(organisationId) ?? []) {
      if (a.role === 'it_coordinator' && isCurrent(a, now)) ids.add(a.personId);
    }
    return [...ids];
  }
}

/** The answer to a click on an item already discarded or on a card of an earlier version; undefined otherwise. */
function unchangedResult(item: InventoryItem, version: number): DiscardResult | undefined {
  if (item.status === 'discarded') return { changed: false, item, why: 'discarded' };
  if (item.version !== version) return { changed: false, item, why: 'stale' };
  return undefined;
}

/** The trimmed reason; InvalidInput when blank or longer than DISCARD_REASON_MAX. */
function requiredReason(value: string | undefined): string {
  const trimmed = value?.trim() ?? '';
  if (trimmed.length > DISCARD_REASON_MAX) {
    throw invalidInput('reason too long', [{ field: 'reason', problem: 'tooLong' }]);
  }
  if (trimmed === '') throw invalidInput('reason required', [{ field: 'reason', problem: 'required' }]);
  return trimmed;
}

/** Code-unit order: ids and tags as the store sorts them. */
function compare(a: string, b: string): number {
  return a === b ? 0 : a < b ? -1 : 1;
}
