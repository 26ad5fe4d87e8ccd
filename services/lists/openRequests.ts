import type { Language, Organisation } from '../../data/model.js';
import { stepType, type StepType, type WorkRequest } from '../../data/requestModel.js';
import type { RequestStore } from '../../data/requestStore.js';
import type { PersonView } from '../responsibility/answers.js';
import type { RegisterIndexes } from '../search/registerView.js';
import type { ListPage } from './index.js';

/**
 * "Open requests" / "requests waiting more than N days" for the people who keep an organisation's IT in order
 * (the list readers of systemLists.ts; ResponsibilityService checks who asks). Read-only. Decisions:
 *
 * - Waiting since: when the current step began, i.e. the latest decision of an earlier step, else when the request
 *   was made. A request that has passed three quick approvals and stalls at delivery counts from its last approval:
 *   what a coordinator chases is the step that is late, not the request's age.
 * - "More than N days": waited strictly longer than N × 24 hours. Days shown are whole days waited (rounded down).
 * - Grouped by kind (access, equipment, any kind from data): each group is one kind of work for one kind of
 *   people. Groups come in the order of their oldest request, and rows oldest first within a group, so the most
 *   overdue request is always first on the first page.
 * - Every open request of the organisation is read: the store lists newest first, so a limit would drop exactly the
 *   oldest ones, which this list is for. An organisation's open requests are counted in hundreds, not more.
 */

/** Requests per card page: rows carry a button each, so fewer than the system list's (see the card test). */
export const OPEN_REQUESTS_PAGE_SIZE = 20;

const DAY_MS = 86_400_000;

export interface OpenRequestRow {
  requestId: string;
  kind: string;
  /** Access requests: 'new', 'change' or 'stop'. */
  change?: string;
  /**
   * The system's name, else the equipment asked for: its model, else its catalogue type id, with the quantity
   * when more than one ("2 × screen"); '' when the request names neither.
   */
  about: string;
  requesterName: string;
  urgent: boolean;
  /** The current step, as the routing policy names it, and whether it is a decision or work to carry out. */
  stepName: string;
  stepType: StepType;
  /** The names of the current step's people; empty when routing found nobody (the coordinator must act). */
  waitingFor: string[];
  /** ISO time the current step began (see above). */
  waitingSince: string;
  /** Whole days since `waitingSince`. */
  waitingDays: number;
}

export interface OpenRequestsAnswer {
  language: Language;
  /** The asker's organisation; absent only when refused to an asker of unknown organisation. */
  organisation?: Organisation;
  /** Only requests waiting longer than this many days. */
  olderThanDays?: number;
  /** The page, or the refusal naming the organisation's IT coordinators (as for the system lists). */
  result:
    { kind: 'page'; page: ListPage<OpenRequestRow> } | { kind: 'refused'; registerKeepers: PersonView[] };
}

/** The organisation's open requests as rows, ordered as described above. */
export async function openRequestRows(
  store: Pick<RequestStore, 'list'>,
  indexes: Pick<RegisterIndexes, 'people' | 'systems'>,
  organisation: Organisation,
  olderThanDays: number | undefined,
  now: Date,
): Promise<OpenRequestRow[]> {
  const requests = await store.list({ organisationId: organisation.id, status: ['open'] });
  const personName = (id: string) => indexes.people.get(id)?.name ?? id;
  const rows: OpenRequestRow[] = [];
  for (const request of requests) {
    const since = waitingSince(request);
    const waited = now.getTime() - Date.parse(since);
    if (olderThanDays !== undefined && !(waited > olderThanDays * DAY_MS)) continue;
    const stage = request.stages[request.currentStage];
    const row: OpenRequestRow = {
      requestId: request.id,
      kind: request.kind,
      about: aboutOf(request, indexes),
      requesterName: personName(request.requesterId),
      urgent: request.urgent,
      stepName: stage?.name ?? '',
      stepType: stage ? stepType(stage) : 'decision',
      waitingFor: stage ? stage.approverIds.map(personName) : [],
      waitingSince: since,
      waitingDays: Math.max(0, Math.floor(waited / DAY_MS)),
    };
    const change = request.fields.change;
    if (typeof change === 'string') row.change = change;
    rows.push(row);
  }
  rows.sort((a, b) => a.waitingSince.localeCompare(b.waitingSince) || a.requestId.localeCompare(b.requestId));
  // Stable sort: a kind's rows stay oldest first; kinds come in the order of their oldest row.
  const kindOrder = new Map<string, number>();
  for (const row of rows) if (!kindOrder.has(row.kind)) kindOrder.set(row.kind, kindOrder.size);
  return rows.sort((a, b) => kindOrder.get(a.kind)! - kindOrder.get(b.kind)!);
}

/** When the current step began: the latest decision of an earlier step, else when the request was made. */
export function waitingSince(request: WorkRequest): string {
  let since = request.createdAt;
  for (const stage of request.stages.slice(0, request.currentStage)) {
    const at = stage.decision?.at;
    if (at !== undefined && at > since) since = at;
  }
  return since;
}

function aboutOf(request: WorkRequest, indexes: Pick<RegisterIndexes, 'systems'>): string {
  if (request.systemId) return indexes.systems.get(request.systemId)?.name ?? request.systemId;
  const { model, itemType, quantity } = request.fields;
  const item =
    typeof model === 'string' && model !== '' ? model : typeof itemType === 'string' ? itemType : '';
  return item !== '' && typeof quantity === 'number' && quantity > 1 ? `${quantity} × ${item}` : item;
}
