import type { Language, Organisation } from '../data/model.js';
import { stepType, type WorkRequest } from '../data/requestModel.js';
import { formatDate, t } from '../services/i18n/index.js';
import type { Reply } from './cardParts.js';
import { cardRenderer } from './render.js';
import {
  changeOf,
  equipmentHeading,
  personNames,
  REQUEST_LIMITS,
  stageTitle,
  statusOf,
  STEP_TITLES,
  type RequestNames,
  type RequestViewer,
} from './requestText.js';
import { clip, summaryOf } from './text.js';

export interface RequestListItemCardData {
  heading: string;
  detail: string;
  statusText: string;
  requestId: string;
  version: number;
  openTitle: string;
  canCancel: boolean;
  cancelTitle: string;
}

export interface RequestListCardData {
  title: string;
  emptyText: string;
  items: RequestListItemCardData[];
  moreText: string;
  /** Buttons to switch between the two lists, and to order equipment. */
  mineTitle: string;
  awaitingTitle: string;
  orderEquipmentTitle: string;
}

const render = cardRenderer<RequestListCardData>('requestListCard');

export type RequestListKind = 'mine' | 'awaiting';

/**
 * "My requests" (with Cancel on one's own open ones) or "waiting for me"; each item opens the request card. At
 * most `REQUEST_LIMITS.listItems` items, the rest counted.
 */
export function requestListReply(
  kind: RequestListKind,
  requests: readonly WorkRequest[],
  viewer: RequestViewer,
  language: Language,
  names: RequestNames,
  /** A heading instead of the list's own ("Reminder: 3 requests are waiting for you"). */
  heading?: string,
): Reply {
  const lang = language;
  const person = personNames(names);
  const viewerId = viewer.personId.trim().toLowerCase();
  const shown = requests.slice(0, REQUEST_LIMITS.listItems);
  const items = shown.map((request): RequestListItemCardData => {
    const organisation = names.organisation(request.organisationId);
    return {
      heading: clip(listHeading(request, lang, names), 200),
      detail: clip(
        t(lang, 'requests.item.detail', {
          subject: person(request.subjectId),
          date: formatDate(lang, request.createdAt),
        }),
        200,
      ),
      statusText: clip(
        [
          request.urgent ? t(lang, 'request.urgent') : '',
          (kind === 'awaiting' ? waitingForViewer(request, lang, organisation) : '') ||
            statusOf(request, lang, organisation, person).text,
        ]
          .filter((s) => s !== '')
          .join(' · '),
        300,
      ),
      requestId: request.id,
      version: request.version,
      openTitle: t(lang, 'requests.open'),
      canCancel: kind === 'mine' && request.status === 'open' && request.requesterId === viewerId,
      cancelTitle: t(lang, 'request.cancel'),
    };
  });
  const hidden = requests.length - shown.length;
  const title = heading ?? t(lang, kind === 'mine' ? 'requests.mine.title' : 'requests.awaiting.title');
  const emptyText =
    requests.length === 0 ? t(lang, kind === 'mine' ? 'requests.mine.empty' : 'requests.awaiting.empty') : '';
  const moreText = hidden > 0 ? t(lang, 'requests.more', { count: hidden }) : '';
  const summary = [
    `${title}:`,
    emptyText,
    items.map((i) => `${i.heading} (${i.statusText})`).join('; '),
    moreText,
  ]
    .filter((s) => s !== '')
    .join(' ');
  return {
    card: render({
      title,
      emptyText,
      items,
      moreText,
      mineTitle: t(lang, 'requests.mine.title'),
      awaitingTitle: t(lang, 'requests.awaiting.title'),
      orderEquipmentTitle: t(lang, 'requests.orderEquipment'),
    }),
    summary: summaryOf(summary),
  };
}

/** "New user – new access: Procapita", "Equipment: Projector × 2". */
function listHeading(request: WorkRequest, lang: Language, names: RequestNames): string {
  if (request.kind === 'equipment') {
    const catalogue = names.catalogue?.(request.organisationId);
    return t(lang, 'requests.item.heading', {
      kind: t(lang, 'equipment.kind'),
      system: equipmentHeading(request, lang, catalogue),
    });
  }
  const change = changeOf(request.fields.change);
  const system = (request.systemId && names.systemName(request.systemId)) ?? request.systemId ?? '';
  return t(lang, 'requests.item.heading', {
    kind: change ? t(lang, `request.change.${change}`) : request.kind,
    system,
  });
}

/** What the awaiting list says the viewer is to do: decide, carry the access change out, or the named step. */
function waitingForViewer(
  request: WorkRequest,
  lang: Language,
  organisation: Organisation | undefined,
): string {
  const stage = request.status === 'open' ? request.stages[request.currentStage] : undefined;
  if (!stage) return '';
  if (STEP_TITLES[stage.name] !== undefined)
    return t(lang, 'requests.item.stepYou', { step: stageTitle(stage, lang, organisation) });
  return t(lang, stepType(stage) === 'work' ? 'requests.item.taskYou' : 'requests.item.waitingYou');
}
