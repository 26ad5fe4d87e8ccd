import type { Language, Organisation } from '../data/model.js';
import type { PersonView, SystemListRow } from '../services/responsibility/answers.js';
import {
  RISK_ANALYSIS_MONTHS,
  type FindingList,
  type HeldRole,
  type HygieneReport,
} from '../services/hygiene/index.js';
import { formatDate, t } from '../services/i18n/index.js';
import type { OpenRequestRow } from '../services/lists/openRequests.js';
import { roleLabel } from '../services/nlu/vocabulary.js';
import { refusalKeepers, type KeeperCardData, type Reply } from './cardParts.js';
import { cardRenderer } from './render.js';
import { clip, GAP, LIMITS, listWithMore, summaryOf, upperFirst } from './text.js';

/**
 * The hygiene check of one organisation (the daily digest or the typed question), or its refusal (no sections, the
 * IT coordinators as keepers). Findings are grouped by kind, each heading with its exact count; only text, no
 * buttons but the keepers' chat links.
 */
export interface HygieneCardData {
  title: string;
  subtitle: string;
  notes: { text: string }[];
  emptyText: string;
  sections: { heading: string; lines: { title: string; flag: string; detail: string }[]; moreText: string }[];
  keepersText: string;
  keepers: KeeperCardData[];
}

const render = cardRenderer<HygieneCardData>('hygieneCard');

type Section = HygieneCardData['sections'][number];
type Line = Section['lines'][number];

/** Roles named per person, people per overdue request; more are counted ("+2"). */
const ROLES_PER_PERSON = 6;
const NAMES_PER_LINE = 4;

/**
 * The hygiene check of one organisation as one card: one section per kind of finding with its exact count, the
 * capped items as text lines (TextRuns only: names are register data) and "… and N more". Empty kinds are left
 * out; with no finding at all the card says so. A note says when the directory could not be checked.
 */
export function hygieneReply(report: HygieneReport, lang: Language): Reply {
  const { organisation, settings } = report;
  const sections: Section[] = [];
  const add = <T>(list: FindingList<T>, heading: string, line: (item: T) => Line) => {
    if (list.total === 0) return;
    const hidden = list.total - list.items.length;
    sections.push({
      heading: clip(heading, LIMITS.name),
      lines: list.items.map(line),
      moreText: hidden > 0 ? t(lang, 'hygiene.more', { count: hidden }) : '',
    });
  };
  add(report.holders, t(lang, 'hygiene.section.holders', { count: report.holders.total }), (finding) => ({
    title: clip(finding.person.name, LIMITS.name),
    flag: t(lang, finding.status === 'gone' ? 'hygiene.gone' : 'hygiene.disabled'),
    detail: rolesText(lang, organisation, finding.person, finding.roles),
  }));
  add(report.noOwner, t(lang, 'hygiene.section.noOwner', { count: report.noOwner.total }), (row) =>
    systemLine(lang, organisation, row),
  );
  add(report.noDeputy, t(lang, 'hygiene.section.noDeputy', { count: report.noDeputy.total }), (row) =>
    systemLine(lang, organisation, row),
  );
  add(
    report.unconfirmed,
    t(lang, 'hygiene.section.unconfirmed', {
      months: settings.unconfirmedMonths,
      count: report.unconfirmed.total,
    }),
    (finding) =>
      datedSystemLine(
        finding,
        finding.confirmedAt === undefined
          ? t(lang, 'hygiene.neverConfirmed')
          : t(lang, 'hygiene.confirmedOn', { date: formatDate(lang, finding.confirmedAt) }),
      ),
  );
  add(
    report.riskAnalysis,
    t(lang, 'hygiene.section.riskAnalysis', {
      months: settings.riskAnalysisMonths ?? RISK_ANALYSIS_MONTHS,
      count: report.riskAnalysis.total,
    }),
    (finding) =>
      datedSystemLine(
        finding,
        finding.riskAnalysisAt === undefined
          ? t(lang, 'hygiene.noRiskAnalysis')
          : t(lang, 'hygiene.riskAnalysisOn', { date: formatDate(lang, finding.riskAnalysisAt) }),
      ),
  );
  add(
    report.overdue,
    t(lang, 'hygiene.section.overdue', { days: settings.overdueDays, count: report.overdue.total }),
    (row) => overdueLine(lang, row),
  );

  const notes = report.directoryChecked ? [] : [{ text: t(lang, 'hygiene.directoryUnchecked') }];
  const data: HygieneCardData = {
    title: clip(t(lang, 'hygiene.title', { organisation: organisation.name }), LIMITS.name),
    subtitle: t(lang, 'hygiene.checkedAt', { date: formatDate(lang, report.checkedAt) }),
    notes,
    emptyText: sections.length === 0 && report.directoryChecked ? t(lang, 'hygiene.allClear') : '',
    sections,
    keepersText: '',
    keepers: [],
  };
  const summary = [
    `${data.title}.`,
    ...notes.map((n) => n.text),
    data.emptyText,
    ...sections.map((s) => s.heading),
  ];
  return {
    card: render(data),
    summary: summaryOf(summary.filter((s) => s !== '').join(' ')),
  };
}

/** The refusal for someone who may not run the check: their organisation's IT coordinators, as for the lists. */
export function hygieneRefusedReply(
  lang: Language,
  organisation: Organisation | undefined,
  registerKeepers: readonly PersonView[],
): Reply {
  const refusal = t(lang, 'hygiene.refused');
  const { keepersText, keepers, names } = refusalKeepers(lang, registerKeepers, organisation);
  const data: HygieneCardData = {
    title: clip(t(lang, 'hygiene.refusedTitle'), LIMITS.name),
    subtitle: '',
    notes: [{ text: refusal }],
    emptyText: '',
    sections: [],
    keepersText,
    keepers,
  };
  return {
    card: render(data),
    summary: summaryOf([data.title, refusal, keepersText, names].filter((s) => s !== '').join(' ')),
  };
}

function rolesText(
  lang: Language,
  organisation: Organisation,
  person: PersonView,
  roles: readonly HeldRole[],
): string {
  const shown = roles.slice(0, ROLES_PER_PERSON).map((held) => {
    const label = upperFirst(roleLabel(held.role, lang, organisation));
    return held.system ? t(lang, 'hygiene.roleFor', { role: label, system: held.system.name }) : label;
  });
  return clip([person.email, listWithMore(lang, shown, roles.length)].join(' · '));
}

/** A system with its unit and the day something was last done to it (confirmed, risk-analysed), or that it never was. */
function datedSystemLine(
  finding: { system: { name: string }; unit?: { name: string } | undefined },
  when: string,
): Line {
  return {
    title: clip(finding.system.name, LIMITS.name),
    flag: '',
    detail: clip([finding.unit?.name ?? '', when].filter((s) => s !== '').join(' · ')),
  };
}

function systemLine(lang: Language, organisation: Organisation, row: SystemListRow): Line {
  const holders = (label: string, names: readonly string[]) =>
    `${upperFirst(label)}: ${names.length === 0 ? GAP : namesText(lang, names)}`;
  return {
    title: clip(row.system.name, LIMITS.name),
    flag: '',
    detail: clip(
      [
        row.unit?.name ?? t(lang, 'systemList.noUnit'),
        holders(roleLabel('owner', lang, organisation), row.owners),
        holders(roleLabel('administrator', lang, organisation), row.administrators),
      ].join(' · '),
    ),
  };
}

function overdueLine(lang: Language, row: OpenRequestRow): Line {
  const step = clip(row.stepName, LIMITS.name);
  return {
    title: clip(row.about === '' ? row.requestId : row.about, LIMITS.name),
    flag: row.urgent ? t(lang, 'openRequests.urgent') : '',
    detail: clip(
      row.waitingFor.length === 0
        ? t(lang, 'hygiene.waitedForNobody', { days: row.waitingDays, step })
        : t(lang, 'hygiene.waitedFor', {
            days: row.waitingDays,
            names: namesText(lang, row.waitingFor),
            step,
          }),
    ),
  };
}

function namesText(lang: Language, names: readonly string[]): string {
  const shown = names.slice(0, NAMES_PER_LINE).map((n) => clip(n, LIMITS.name));
  return listWithMore(lang, shown, names.length);
}
