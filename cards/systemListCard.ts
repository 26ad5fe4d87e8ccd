import type { Answer, SystemListKind, SystemListRow } from '../services/responsibility/answers.js';
import { t, type MessageKey } from '../services/i18n/index.js';
import { roleLabel } from '../services/nlu/vocabulary.js';
import { listCardBase, listRefusal, pageButtons, type PagedListCardData, type Reply } from './cardParts.js';
import { cardRenderer } from './render.js';
import { clip, GAP, LIMITS, summaryOf, upperFirst } from './text.js';

/**
 * A responsibility list page, or its refusal. The paging buttons carry the list, the unit id ('' = none) and a page
 * number only; the Download button (`list.download`, bot/actions/download.ts) shows for a list with systems, the
 * refusal has none.
 */
export interface SystemListCardData extends PagedListCardData<{
  heading: string;
  systems: SystemListRowCardData[];
}> {
  list: string;
  unitId: string;
  canDownload: boolean;
  downloadTitle: string;
}

/** One system's line; holder names joined, "—" for a gap. */
export interface SystemListRowCardData {
  name: string;
  ownerLabel: string;
  owner: string;
  administratorLabel: string;
  administrator: string;
  deputiesLabel: string;
  deputies: string;
}

const render = cardRenderer<SystemListCardData>('systemListCard');

type SystemListAnswer = Extract<Answer, { kind: 'systemList' }>;

/** Holder names shown per role and line; more are counted ("+2"). */
const NAMES_PER_ROLE = 3;

const TITLE_KEYS: Record<SystemListKind, MessageKey> = {
  all: 'systemList.title',
  noDeputy: 'systemList.titleNoDeputy',
  noOwner: 'systemList.titleNoOwner',
  noAdministrator: 'systemList.titleNoAdministrator',
  noSuperUser: 'systemList.titleNoSuperUser',
};
const EMPTY_KEYS: Record<SystemListKind, MessageKey> = {
  all: 'systemList.emptyAll',
  noDeputy: 'systemList.emptyNoDeputy',
  noOwner: 'systemList.emptyNoOwner',
  noAdministrator: 'systemList.emptyNoAdministrator',
  noSuperUser: 'systemList.emptyNoSuperUser',
};

/**
 * A responsibility list page: systems grouped by unit (already sorted by the service), one line each with owner,
 * administrator and deputies by name, and previous / next buttons. A refusal names the IT coordinators instead.
 */
export function systemListReply(answer: SystemListAnswer): Reply {
  const { language: lang, organisation, unit } = answer;
  const where = [organisation?.name, unit?.name].filter((s): s is string => Boolean(s)).join(', ');
  const title = clip(t(lang, TITLE_KEYS[answer.list], { organisation: where }), LIMITS.name);
  const empty: Omit<SystemListCardData, 'title'> = {
    ...listCardBase(lang),
    list: answer.list,
    unitId: unit && unit.id.length <= LIMITS.id ? unit.id : '',
    canDownload: false,
    downloadTitle: t(lang, 'files.download'),
  };

  if (answer.result.kind === 'refused') {
    const keys = { title: 'systemList.refusedTitle', text: 'systemList.refused' } as const;
    return listRefusal(lang, keys, answer.result.registerKeepers, organisation, (fields) =>
      render({ ...empty, ...fields }),
    );
  }

  const { page } = answer.result;
  const labels = {
    owner: upperFirst(clip(roleLabel('owner', lang, organisation), LIMITS.name)),
    administrator: upperFirst(clip(roleLabel('administrator', lang, organisation), LIMITS.name)),
    deputy: upperFirst(clip(roleLabel('deputy', lang, organisation), LIMITS.name)),
  };
  const noUnit = t(lang, 'systemList.noUnit');
  const groups: SystemListCardData['groups'] = [];
  const summaryLines: string[] = [];
  for (const row of page.rows) {
    const heading = clip(row.unit?.name ?? noUnit, LIMITS.name);
    const line = rowData(row, labels);
    const last = groups.at(-1);
    if (last?.heading === heading) last.systems.push(line);
    else groups.push({ heading, systems: [line] });
    summaryLines.push(
      `${line.name} (${heading}): ${labels.owner} ${line.owner}; ${labels.administrator} ${line.administrator}; ${labels.deputy} ${line.deputies}`,
    );
  }
  const notes: string[] = [];
  if (answer.unknownUnit !== undefined && organisation) {
    notes.push(
      clip(
        t(lang, 'organisationRole.unknownUnit', {
          query: clip(answer.unknownUnit, 100),
          organisation: organisation.name,
        }),
      ),
    );
  }
  const data: SystemListCardData = {
    ...empty,
    title,
    subtitle:
      page.total === 0
        ? ''
        : t(lang, 'systemList.page', { page: page.page + 1, pages: page.pageCount, count: page.total }),
    notes: notes.map((text) => ({ text })),
    emptyText: page.total === 0 ? t(lang, EMPTY_KEYS[answer.list]) : '',
    groups,
    ...pageButtons(page),
    canDownload: page.total > 0,
  };
  const summary = [`${title}.`, data.subtitle, ...notes, data.emptyText, summaryLines.join('. ')];
  return {
    card: render(data),
    summary: summaryOf(summary.filter((s) => s !== '').join(' ')),
  };
}

function rowData(
  row: SystemListRow,
  labels: { owner: string; administrator: string; deputy: string },
): SystemListRowCardData {
  return {
    name: clip(row.system.name, LIMITS.name),
    ownerLabel: labels.owner,
    owner: names(row.owners),
    administratorLabel: labels.administrator,
    administrator: names(row.administrators),
    deputiesLabel: labels.deputy,
    deputies: names(row.deputies),
  };
}

/** Up to NAMES_PER_ROLE names, then "+N"; GAP for none. */
function names(list: readonly string[]): string {
  if (list.length === 0) return GAP;
  const shown = list.slice(0, NAMES_PER_ROLE).map((n) => clip(n, LIMITS.name));
  const hidden = list.length - shown.length;
  return hidden > 0 ? `${shown.join(', ')} +${hidden}` : shown.join(', ');
}
