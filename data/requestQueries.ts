import type { InventoryItem, RequestStatus, WorkRequest } from './requestModel.js';
import type { InventoryFilter, RequestStore } from './requestStore.js';

/*
 * The read semantics every request store shares (memory, lowdb, and PostgreSQL where it filters in memory): which
 * requests a list filter matches and in which order, the inventory's order, and which statuses are closed.
 */

export type RequestListFilter = Parameters<RequestStore['list']>[0];

function samePerson(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * True if `personId` has something to do on `request` now: the request is open and the person is one of the people
 * of the current step (a decision or work), which has no outcome yet. Person ids (e-mail addresses) compare
 * case-insensitively.
 */
export function isAwaiting(request: WorkRequest, personId: string): boolean {
  if (request.status !== 'open') return false;
  const stage = request.stages[request.currentStage];
  return !!stage && !stage.decision && stage.approverIds.some((id) => samePerson(id, personId));
}

export function matchesFilter(request: WorkRequest, filter: RequestListFilter): boolean {
  if (filter.organisationId !== undefined && request.organisationId !== filter.organisationId) return false;
  if (
    filter.personId !== undefined &&
    !samePerson(request.requesterId, filter.personId) &&
    !samePerson(request.subjectId, filter.personId)
  ) {
    return false;
  }
  if (filter.status !== undefined && !filter.status.includes(request.status)) return false;
  if (filter.awaitingPersonId !== undefined && !isAwaiting(request, filter.awaitingPersonId)) return false;
  if (filter.waitingForNobody === true && !waitsForNobody(request)) return false;
  return true;
}

function waitsForNobody(request: WorkRequest): boolean {
  return request.status === 'open' && request.stages[request.currentStage]?.approverIds.length === 0;
}

/**
 * The list semantics every store shares: newest first (createdAt, then id for a stable order), copies.
 * `personId` matches the requester or the subject.
 */
export function listRequests(requests: Iterable<WorkRequest>, filter: RequestListFilter): WorkRequest[] {
  const found: WorkRequest[] = [];
  for (const request of requests) if (matchesFilter(request, filter)) found.push(request);
  found.sort((a, b) =>
    a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1,
  );
  const limited = filter.limit === undefined ? found : found.slice(0, Math.max(0, filter.limit));
  return limited.map((r) => structuredClone(r));
}

/**
 * The inventory semantics every store shares: sorted by unit (items without one last), item type, asset tag, then
 * id for a stable order; `holderId` compares case-insensitively; copies.
 */
export function listInventory(items: Iterable<InventoryItem>, filter: InventoryFilter): InventoryItem[] {
  const found: InventoryItem[] = [];
  for (const item of items) {
    if (filter.organisationId !== undefined && item.organisationId !== filter.organisationId) continue;
    if (filter.unitId !== undefined && item.unitId !== filter.unitId) continue;
    if (filter.holderId !== undefined && !(item.holderId && samePerson(item.holderId, filter.holderId)))
      continue;
    if (filter.requestId !== undefined && item.requestId !== filter.requestId) continue;
    if (filter.status !== undefined && !filter.status.includes(item.status)) continue;
    found.push(item);
  }
  found.sort(
    (a, b) =>
      compareKeys(a.unitId, b.unitId) ||
      compareKeys(a.itemType, b.itemType) ||
      compareKeys(a.assetTag, b.assetTag) ||
      compareKeys(a.id, b.id),
  );
  const limited = filter.limit === undefined ? found : found.slice(0, Math.max(0, filter.limit));
  return limited.map((item) => structuredClone(item));
}

/** Code-unit order (what a database's binary collation gives), absent values last. */
function compareKeys(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return a < b ? -1 : 1;
}

/** The first `limit` values of a map, in insertion order (oldest first), as copies; the keys in `skip` are passed over. */
export function firstValues<T>(
  map: ReadonlyMap<string, T>,
  limit: number | undefined,
  skip?: ReadonlySet<string>,
): T[] {
  const out: T[] = [];
  const max = limit === undefined ? Infinity : Math.max(0, limit);
  for (const [key, value] of map) {
    if (out.length >= max) break;
    if (!skip?.has(key)) out.push(structuredClone(value));
  }
  return out;
}

export const CLOSED_STATUSES: readonly RequestStatus[] = [
  'rejected',
  'cancelled',
  'done',
  'failed',
  'expired',
];
