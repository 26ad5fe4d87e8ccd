import type { Language, Organisation } from '../data/model.js';
import type {
  Answer,
  PersonView,
  SystemListKind,
  SystemListRow,
} from '../services/responsibility/answers.js';
import { formatList, t, type MessageKey } from '../services/i18n/index.js';
import { roleLabel } from '../services/nlu/vocabulary.js';
import { chatUrl, clip, LIMITS, personDetails, summaryOf, upperFirst, type Reply } from './answers.js';
import type { SystemListCardData, SystemListRowCardData } from './cardData.js';
import { renderCard } from './render.js';

type SystemListAnswer = Extract<Answer, { kind: 'systemList' }>;

/**
 * The list card's data with its Download button (`list.download`, bot/handlers/download.ts), shown for a list
 * with systems; the refusal has none.
 */
type ListCardData = SystemListCardData & { canDownload: boolean; downloadTitle: string };

/** Shown for a role nobody holds. */
export const GAP = '—';
/** Holder names shown per role and line; more are counted ("+2"). */
const NAMES_PER_ROLE = 3;

const TITLE_KEYS: Record<SystemListKind, MessageKey> = {
  all: 'systemList.title',
  noDeputy: 'systemList.titleNoDeputy',
  noOwner: 'systemList.titleNoOwner',
};
const EMPTY_KEYS: Record<SystemListKind, MessageKey> = {
  all: 'systemList.emptyAll',
  noDeputy: 'systemList.emptyNoDeputy',
  noOwner: 'systemList.emptyNoOwner',
};

/**
 * A responsibility list page: systems grouped by unit (already sorted by the service), one line each with owner,
 * administrator and deputies by name, and previous / next buttons. A refusal names the IT coordinators instead.
 */
export function systemListReply(answer: SystemListAnswer): Reply {
  const { language: lang, organisation, unit } = answer;
  const where = [organisation?.name, unit?.name].filter((s): s is string => Boolean(s)).join(', ');
  const title = clip(t(lang, TITLE_KEYS[answer.list], { organisation: where }), LIMITS.name);
  const empty: Omit<ListCardData, 'title'> = {
    ...listCardBase(lang),
    list: answer.list,
    unitId: unit && unit.id.length <= LIMITS.id ? unit.id : '',
    canDownload: false,
    downloadTitle: t(lang, 'files.download'),
  };

  if (answer.result.kind === 'refused') {
    const keys = { title: 'systemList.refusedTitle', text: 'systemList.refused' } as const;
    const refusal = listRefusal(lang, keys, answer.result.registerKeepers, organisation);
    return {
      card: renderCard('systemListCard', { ...empty, ...refusal.fields }),
      summary: refusal.summary,
    };
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
  const data: ListCardData = {
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
    card: renderCard('systemListCard', data),
    summary: summaryOf(summary.filter((s) => s !== '').join(' ')),
  };
}

/** Which paging buttons a page shows and the pages they lead to (any paged list card). */
export function pageButtons(page: { page: number; pageCount: number }): {
  hasPrevious: boolean;
  previousPage: number;
  hasNext: boolean;
  nextPage: number;
} {
  return {
    hasPrevious: page.page > 0,
    previousPage: Math.max(0, page.page - 1),
    hasNext: page.page + 1 < page.pageCount,
    nextPage: Math.min(page.pageCount - 1, page.page + 1),
  };
}

/** What every paged list card starts from: no rows, no refusal, paging off. */
export function listCardBase(lang: Language) {
  return {
    subtitle: '',
    notes: [] as { text: string }[],
    emptyText: '',
    groups: [],
    keepersText: '',
    keepers: [] as SystemListCardData['keepers'],
    hasPrevious: false,
    previousPage: 0,
    previousTitle: t(lang, 'systemList.previous'),
    hasNext: false,
    nextPage: 0,
    nextTitle: t(lang, 'systemList.next'),
  };
}

/**
 * Whom a refused list reader should turn to: the organisation's IT coordinators (at most `LIMITS.keepers`) with
 * chat buttons, the line that introduces them, and their names for the summary ('' without any).
 */
export function refusalKeepers(
  lang: Language,
  registerKeepers: readonly PersonView[],
  organisation: Organisation | undefined,
): { keepersText: string; keepers: SystemListCardData['keepers']; names: string } {
  const shown = registerKeepers.slice(0, LIMITS.keepers);
  const keepersText =
    shown.length === 0
      ? t(lang, 'systemList.refusedNoKeepers')
      : clip(t(lang, 'systemList.refusedKeepers', { organisation: organisation?.name ?? '' }));
  const names = shown.map((k) => clip(k.name, LIMITS.name));
  return {
    keepersText,
    keepers: shown.map((p) => ({
      name: clip(p.name, LIMITS.name),
      details: personDetails(p),
      chatTitle: clip(t(lang, 'holder.chat', { name: p.name }), LIMITS.name),
      chatUrl: chatUrl(p.email),
    })),
    names: names.length > 0 ? formatList(lang, names) : '',
  };
}

/** A list card's refusal (its title and text, and the coordinators to turn to), with the plain summary. */
export function listRefusal(
  lang: Language,
  keys: { title: MessageKey; text: MessageKey },
  registerKeepers: readonly PersonView[],
  organisation: Organisation | undefined,
): {
  fields: Pick<SystemListCardData, 'title' | 'notes' | 'keepersText' | 'keepers'>;
  summary: string;
} {
  const { keepersText, keepers, names } = refusalKeepers(lang, registerKeepers, organisation);
  const title = clip(t(lang, keys.title), LIMITS.name);
  const text = t(lang, keys.text);
  return {
    fields: { title, notes: [{ text }], keepersText, keepers },
    summary: summaryOf([title, text, keepersText, names].filter((s) => s !== '').join(' ')),
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
