import type { Language, Organisation, SystemRecord } from '../data/model.js';
import type { ReviewCampaign, ReviewEntry } from '../data/reviewModel.js';
import { formatDate, formatList, t, type MessageKey, type MessageParams } from '../services/i18n/index.js';
import type { FieldProblem } from '../services/requests/kinds.js';
import type { CampaignProgress } from '../services/reviews/reviewService.js';
import type { Reply } from './cardParts.js';
import { cardRenderer } from './render.js';
import { clip, lines, LIMITS, summaryOf } from './text.js';

/**
 * The cards of access reviews (services/reviews): the review itself (a remove toggle and a reason input per
 * entry, one button deciding the whole campaign), the decided review, the coordinators' progress list and short
 * notices. Names, roles and reasons go into TextRuns and input values only; the button carries the campaign id and
 * version. At most REVIEW_ENTRIES entries get inputs (a card stays far below 80 KB); the rest are counted and kept.
 */
export const REVIEW_ENTRIES = 60;
/** Input ids: `remove:<index>` / `reason:<index>`, the index into the campaign's entries (guarded by the version). */
export const REMOVE_PREFIX = 'remove:';
export const REASON_PREFIX = 'reason:';

/**
 * An access review: the entries as a remove toggle and a reason each; the one button decides the whole campaign
 * (the removals chosen, everything else kept). Without `submitTitle` the card only tells (a decided campaign, the
 * coordinators' progress list).
 */
export interface ReviewCardData {
  title: string;
  noticeText: string;
  lines: { text: string }[];
  /** The coordinators' list: a line per campaign with its download button. */
  rows: { text: string; downloadTitle: string; campaignId: string }[];
  entries: {
    toggleId: string;
    toggleTitle: string;
    removeValue: string;
    reasonId: string;
    reasonLabel: string;
    reasonValue: string;
    error: string;
  }[];
  moreText: string;
  /** '' = no button. */
  submitTitle: string;
  campaignId: string;
  version: number;
}

const render = cardRenderer<ReviewCardData>('reviewCard');

const BLANK: Omit<ReviewCardData, 'title'> = {
  noticeText: '',
  lines: [],
  rows: [],
  entries: [],
  moreText: '',
  submitTitle: '',
  campaignId: '',
  version: 0,
};

function card(data: Partial<ReviewCardData> & { title: string }): Reply {
  const full: ReviewCardData = { ...BLANK, ...data };
  const summary = [
    full.title,
    full.noticeText,
    ...full.lines.map((l) => l.text),
    ...full.rows.map((r) => r.text),
    full.moreText,
  ];
  return {
    card: render(full),
    summary: summaryOf(summary.filter((s) => s !== '').join(' ')),
  };
}

/** A short message on the review card's layout (started, refused, already running). */
export function reviewNoticeReply(lang: Language, key: MessageKey, params: MessageParams = {}): Reply {
  return card({ title: clip(t(lang, key, params)) });
}

export interface ReviewCardInput {
  campaign: ReviewCampaign;
  system: Pick<SystemRecord, 'name'>;
  /** Display name of a person id (the register's name, else the id). */
  nameOf: (personId: string) => string;
  /** 'owner': the campaign is overdue and shown to an owner. */
  audience?: 'reviewer' | 'owner';
  noticeText?: string;
  /** Refused decision: the problems and the inputs as they were sent. */
  problems?: readonly FieldProblem[];
  values?: Record<string, string>;
}

function sourceKey(entry: ReviewEntry): MessageKey {
  if (entry.sources.length > 1) return 'review.source.both';
  return entry.sources[0] === 'imported' ? 'review.source.imported' : 'review.source.ansvar';
}

/** The review to decide, or the decision when the campaign is done. */
export function reviewReply(lang: Language, input: ReviewCardInput): Reply {
  const { campaign, system } = input;
  if (campaign.status === 'done') return decidedReply(lang, input);
  const date = formatDate(lang, campaign.dueAt);
  const intro =
    input.audience === 'owner'
      ? t(lang, 'review.card.overdueIntro', { system: system.name, date })
      : t(lang, 'review.card.intro', { system: system.name, date });
  const shown = campaign.entries.slice(0, REVIEW_ENTRIES);
  const hidden = campaign.entries.length - shown.length;
  const values = input.values ?? {};
  const problems = input.problems ?? [];
  return card({
    title: clip(t(lang, 'review.card.title', { system: system.name }), LIMITS.name),
    noticeText: input.noticeText ?? '',
    lines: lines(
      intro,
      campaign.entries.length === 0 ? t(lang, 'review.card.none', { system: system.name }) : '',
    ),
    entries: shown.map((entry, index) => {
      const person = clip(input.nameOf(entry.personId), LIMITS.name);
      const problem = problems.find((p) => p.field === `reason:${entry.personId}:${entry.role}`)?.problem;
      return {
        toggleId: `${REMOVE_PREFIX}${index}`,
        toggleTitle: clip(
          t(lang, 'review.entry.remove', {
            person,
            role: clip(entry.role, LIMITS.name),
            source: t(lang, sourceKey(entry)),
          }),
        ),
        removeValue: values[`${REMOVE_PREFIX}${index}`] === 'true' ? 'true' : 'false',
        reasonId: `${REASON_PREFIX}${index}`,
        reasonLabel: clip(t(lang, 'review.entry.reason', { person })),
        reasonValue: clip(values[`${REASON_PREFIX}${index}`] ?? '', 500),
        error:
          problem === undefined
            ? ''
            : t(lang, problem === 'tooLong' ? 'review.problem.tooLong' : 'review.problem.reason'),
      };
    }),
    moreText: hidden > 0 ? t(lang, 'review.more', { count: hidden }) : '',
    submitTitle: t(lang, 'review.submit'),
    campaignId: campaign.id,
    version: campaign.version,
  });
}

function decidedReply(lang: Language, input: ReviewCardInput): Reply {
  const { campaign, system } = input;
  const decision = campaign.decision;
  const items = decision?.items ?? [];
  const removed = items.filter((i) => i.outcome === 'remove');
  return card({
    title: clip(t(lang, 'review.done.title', { system: system.name }), LIMITS.name),
    noticeText: input.noticeText ?? '',
    lines: lines(
      t(lang, 'review.done.text', {
        by: decision ? clip(input.nameOf(decision.by), LIMITS.name) : '—',
        date: decision ? formatDate(lang, decision.at) : '—',
        kept: items.length - removed.length,
        removed: removed.length,
      }),
      ...removed.slice(0, REVIEW_ENTRIES).map((item) =>
        t(lang, 'review.done.removed', {
          person: clip(input.nameOf(item.personId), LIMITS.name),
          role: clip(item.role, LIMITS.name),
          reason: clip(item.reason ?? '', 500),
        }),
      ),
    ),
  });
}

/** The coordinators' list: each campaign of the organisation with where it stands. */
export function reviewListReply(
  lang: Language,
  organisation: Organisation,
  rows: readonly CampaignProgress[],
): Reply {
  const shown = rows.slice(0, REVIEW_ENTRIES);
  const downloadTitle = t(lang, 'review.download');
  return card({
    title: clip(t(lang, 'review.list.title', { organisation: organisation.name }), LIMITS.name),
    lines: lines(rows.length === 0 ? t(lang, 'review.list.none') : ''),
    rows: shown.map((row) => ({
      text: clip(progressText(lang, row)),
      downloadTitle,
      campaignId: row.campaign.id,
    })),
  });
}

function progressText(lang: Language, { campaign, system, kept, removed }: CampaignProgress): string {
  const name = clip(system?.name ?? campaign.systemId, LIMITS.name);
  if (campaign.status === 'done')
    return t(lang, 'review.list.done', {
      system: name,
      date: formatDate(lang, campaign.decision?.at ?? campaign.dueAt),
      kept,
      removed,
    });
  if (campaign.status === 'overdue')
    return t(lang, 'review.list.overdue', { system: name, date: formatDate(lang, campaign.dueAt) });
  return t(lang, 'review.list.open', {
    system: name,
    date: formatDate(lang, campaign.dueAt),
    count: campaign.entries.length,
  });
}

/** "Anna Berg och Bo Ek" for the start notice. */
export function namesOf(lang: Language, names: readonly string[]): string {
  return formatList(
    lang,
    names.map((n) => clip(n, LIMITS.name)),
  );
}
