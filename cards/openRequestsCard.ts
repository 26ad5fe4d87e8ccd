import type { Language } from '../data/model.js';
import { formatDate, t, type MessageKey } from '../services/i18n/index.js';
import type { OpenRequestRow, OpenRequestsAnswer } from '../services/lists/openRequests.js';
import { listCardBase, listRefusal, pageButtons, type PagedListCardData, type Reply } from './cardParts.js';
import { cardRenderer } from './render.js';
import { clip, LIMITS, listWithMore, summaryOf } from './text.js';

/**
 * A page of an organisation's open requests, or its refusal. Each row opens its request (`request.show`
 * { requestId }); the paging buttons carry the filter and a page number only.
 */
export interface OpenRequestsCardData extends PagedListCardData<{
  heading: string;
  requests: OpenRequestRowCardData[];
}> {
  /** 0 = no filter. */
  olderThanDays: number;
}

export interface OpenRequestRowCardData {
  /** What the request is about (system or item) and, for access, the change. */
  heading: string;
  /** '' or "Urgent". */
  urgentText: string;
  requesterText: string;
  waitingText: string;
  sinceText: string;
  requestId: string;
  showTitle: string;
}

const render = cardRenderer<OpenRequestsCardData>('openRequestsCard');

/** Names of the people a step waits for, per row; more are counted ("+2"). */
const WAITING_NAMES = 4;

/** The group headings of the kinds Ansvar ships; a kind from data is shown by its own name. */
const KIND_HEADINGS: Readonly<Record<string, MessageKey>> = {
  access: 'openRequests.kind.access',
  equipment: 'openRequests.kind.equipment',
};
const CHANGE_KEYS: Readonly<Record<string, MessageKey>> = {
  new: 'request.change.new',
  change: 'request.change.change',
  stop: 'request.change.stop',
};

/**
 * A page of the organisation's open requests, grouped by kind (the service orders them: most overdue first), one
 * entry each with what it is about, who asked, whom it waits for and for how long, and a button that opens it.
 * A refusal names the IT coordinators, as the system lists do. All register and user text goes into TextRuns.
 */
export function openRequestsReply(answer: OpenRequestsAnswer): Reply {
  const { language: lang, organisation } = answer;
  const days = answer.olderThanDays;
  const empty: Omit<OpenRequestsCardData, 'title'> = {
    ...listCardBase(lang),
    olderThanDays: days ?? 0,
  };

  if (answer.result.kind === 'refused') {
    const keys = { title: 'openRequests.refusedTitle', text: 'openRequests.refused' } as const;
    return listRefusal(lang, keys, answer.result.registerKeepers, organisation, (fields) =>
      render({ ...empty, ...fields }),
    );
  }

  const { page } = answer.result;
  const where = organisation?.name ?? '';
  const title = clip(
    days === undefined
      ? t(lang, 'openRequests.title', { organisation: where })
      : t(lang, 'openRequests.titleOlder', { days, organisation: where }),
    LIMITS.name,
  );
  const groups: OpenRequestsCardData['groups'] = [];
  const summaryLines: string[] = [];
  for (const row of page.rows) {
    const heading = kindHeading(lang, row.kind);
    const line = rowData(lang, row);
    const last = groups.at(-1);
    if (last?.heading === heading) last.requests.push(line);
    else groups.push({ heading, requests: [line] });
    const urgent = line.urgentText === '' ? '' : ` (${line.urgentText})`;
    summaryLines.push(
      `${line.heading}${urgent}: ${line.requesterText}; ${line.waitingText}; ${line.sinceText}`,
    );
  }
  const emptyText =
    page.total > 0
      ? ''
      : days === undefined
        ? t(lang, 'openRequests.empty')
        : t(lang, 'openRequests.emptyOlder', { days });
  const data: OpenRequestsCardData = {
    ...empty,
    title,
    subtitle:
      page.total === 0
        ? ''
        : t(lang, 'openRequests.page', { page: page.page + 1, pages: page.pageCount, count: page.total }),
    emptyText,
    groups,
    ...pageButtons(page),
  };
  const summary = [`${title}.`, data.subtitle, emptyText, summaryLines.join('. ')];
  return {
    card: render(data),
    summary: summaryOf(summary.filter((s) => s !== '').join(' ')),
  };
}

function kindHeading(lang: Language, kind: string): string {
  const key = KIND_HEADINGS[kind];
  return clip(key ? t(lang, key) : t(lang, 'openRequests.kind.other', { kind }), LIMITS.name);
}

function rowData(lang: Language, row: OpenRequestRow): OpenRequestRowCardData {
  const changeKey = row.change === undefined ? undefined : CHANGE_KEYS[row.change];
  const heading = [row.about, changeKey ? t(lang, changeKey) : ''].filter((s) => s !== '').join(' · ');
  const step = clip(row.stepName, LIMITS.name);
  const shown = row.waitingFor.slice(0, WAITING_NAMES).map((n) => clip(n, LIMITS.name));
  const names = listWithMore(lang, shown, row.waitingFor.length);
  const waitingKey = row.stepType === 'work' ? 'openRequests.workBy' : 'openRequests.decisionBy';
  return {
    heading: clip(heading === '' ? row.requestId : heading, LIMITS.name),
    urgentText: row.urgent ? t(lang, 'openRequests.urgent') : '',
    requesterText: clip(t(lang, 'openRequests.requester', { name: clip(row.requesterName, LIMITS.name) })),
    waitingText: clip(
      shown.length === 0 ? t(lang, 'openRequests.nobody', { step }) : t(lang, waitingKey, { names, step }),
    ),
    sinceText: sinceText(lang, row),
    requestId: row.requestId.length <= LIMITS.id ? row.requestId : '',
    showTitle: t(lang, 'openRequests.show'),
  };
}

function sinceText(lang: Language, row: OpenRequestRow): string {
  const date = formatDate(lang, row.waitingSince);
  if (row.waitingDays === 0) return t(lang, 'openRequests.sinceToday', { date });
  if (row.waitingDays === 1) return t(lang, 'openRequests.sinceOneDay', { date });
  return t(lang, 'openRequests.sinceDays', { date, days: row.waitingDays });
}
