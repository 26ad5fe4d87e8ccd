import type { Language, SystemRole } from '../data/model.js';
import type { Answer, HolderView } from '../services/responsibility/answers.js';
import { formatDate, formatList, t } from '../services/i18n/index.js';
import { FOCUS_ROLES } from '../services/responsibility/index.js';
import { holderPersonData, type HolderPersonCardData, type LabelValue, type Reply } from './cardParts.js';
import { cardRenderer } from './render.js';
import { clip, LIMITS, summaryOf, upperFirst } from './text.js';

/** "Who owns Procapita?": a system with its facts and every holder, the asked-for roles first. */
export interface SystemCardData {
  title: string;
  subtitle: string;
  otherOrganisationNote: string;
  facts: LabelValue[];
  noHoldersText: string;
  holders: HolderCardData[];
  moreHoldersText: string;
  /** The system's id for the "Request access" button; '' or absent leaves the button out. */
  systemId?: string;
  requestTitle?: string;
}

export interface HolderCardData extends HolderPersonCardData {
  roleLabel: string;
  turnToText: string;
}

const render = cardRenderer<SystemCardData>('systemCard');

type SystemAnswer = Extract<Answer, { kind: 'system' }>;

export function systemReply(answer: SystemAnswer): Reply {
  const { language: lang, system, organisation, unit } = answer;
  const turnToByHolder = new Map(answer.unavailable.map((u) => [holderKey(u.holder), u.turnTo] as const));
  // The card shows every holder, the asked-for roles first; the summary answers only what was asked.
  const focusRoles = focusedRoles(answer.focus);
  const ordered = [...answer.holders].sort((a, b) => rank(focusRoles, a.role) - rank(focusRoles, b.role));
  const shown = ordered.slice(0, LIMITS.holders);
  const hidden = ordered.length - shown.length;
  const answered = focusRoles.length === 0 ? shown : shown.filter((h) => focusRoles.includes(h.role));

  // The card's lines of each shown holder, made once: the summary reuses the name, status and turn-to texts.
  const holderData = (holder: HolderView): HolderCardData => {
    const turnTo = turnToByHolder.get(holderKey(holder));
    return {
      roleLabel: upperFirst(clip(holder.roleLabel, LIMITS.name)),
      ...holderPersonData(lang, holder),
      turnToText: turnTo === undefined ? '' : turnToText(lang, turnTo),
    };
  };

  const supplierFacts: LabelValue[] = [];
  if (system.supplier)
    supplierFacts.push({ label: t(lang, 'system.supplier'), value: clip(system.supplier) });
  if (system.supplierSupport)
    supplierFacts.push({ label: t(lang, 'system.supplierSupport'), value: clip(system.supplierSupport) });
  // A history answer says first which day its holders are of.
  const asOf =
    answer.asOf === undefined
      ? []
      : [{ label: t(lang, 'system.asOf'), value: formatDate(lang, answer.asOf) }];
  const facts: LabelValue[] = [
    ...asOf,
    { label: t(lang, 'system.organisation'), value: clip(organisation.name) },
    ...(unit ? [{ label: t(lang, 'system.unit'), value: clip(unit.name) }] : []),
    ...supplierFacts,
  ];

  const otherOrganisationNote = answer.otherOrganisation
    ? t(lang, 'system.otherOrganisation', { organisation: organisation.name })
    : '';
  const noHoldersText =
    answer.holders.length === 0
      ? t(lang, 'system.noHolders')
      : answered.length === 0
        ? t(lang, 'system.noHoldersForFocus')
        : '';
  const holderCards = shown.map(holderData);
  const cardOf = new Map(shown.map((holder, i) => [holder, holderCards[i]!] as const));
  const data: SystemCardData = {
    title: clip(system.name, LIMITS.name),
    subtitle: clip(system.description ?? '', LIMITS.description),
    otherOrganisationNote: clip(otherOrganisationNote),
    facts,
    noHoldersText,
    holders: holderCards,
    moreHoldersText: hidden > 0 ? t(lang, 'system.moreHolders', { count: hidden }) : '',
    systemId: system.id.length <= LIMITS.id ? system.id : '',
    requestTitle: t(lang, 'system.requestAccess'),
  };

  // The summary leads with what was asked: the focused role's holders, or the supplier.
  const groups = groupByRole(answered);
  const roleParts = groups.map(
    (g) =>
      `${clip(g.label, LIMITS.name)} ${formatList(
        lang,
        g.holders.map((h) => {
          const { name, statusText: status, turnToText: turnTo } = cardOf.get(h)!;
          const note = status === '' ? turnTo : turnTo === '' ? status : `${status}. ${turnTo}`;
          return note === '' ? name : `${name} (${note})`;
        }),
      )}`,
  );
  const supplierParts = supplierFacts.map((f) => `${f.label}: ${f.value}`);
  const where = [organisation.name, unit?.name].filter((s): s is string => Boolean(s)).join(', ');
  const body = [
    ...(answer.focus === 'supplier' ? supplierParts : []),
    ...(roleParts.length > 0 ? roleParts : [noHoldersText]),
    ...(answer.focus === 'supplier' ? [] : supplierParts),
    data.moreHoldersText,
  ]
    .filter((part) => part !== '')
    .join('; ');
  const when = asOf.map((f) => `, ${f.label} ${f.value}`).join('');
  const summary = [`${data.title} (${clip(where)}${when}): ${body}`, otherOrganisationNote]
    .filter((s) => s !== '')
    .join(' ');
  return { card: render(data), summary: summaryOf(summary) };
}

function turnToText(lang: Language, turnTo: HolderView[]): string {
  if (turnTo.length === 0) return t(lang, 'holder.noTurnTo');
  const names = turnTo.slice(0, 5).map((h) => `${h.person.name} (${h.roleLabel})`);
  return clip(t(lang, 'holder.turnTo', { names: formatList(lang, names) }));
}

function holderKey(holder: HolderView): string {
  return `${holder.role}\u0000${holder.person.id}`;
}

function groupByRole(holders: HolderView[]): { role: SystemRole; label: string; holders: HolderView[] }[] {
  const groups: { role: SystemRole; label: string; holders: HolderView[] }[] = [];
  for (const holder of holders) {
    const group = groups.find((g) => g.role === holder.role);
    if (group) group.holders.push(holder);
    else groups.push({ role: holder.role, label: holder.roleLabel, holders: [holder] });
  }
  return groups;
}

/** The roles the question asked about; none for "everything about X". */
function focusedRoles(focus: SystemAnswer['focus']): readonly SystemRole[] {
  return focus === 'all' ? [] : FOCUS_ROLES[focus];
}

function rank(focus: readonly SystemRole[], role: SystemRole): number {
  const i = focus.indexOf(role);
  return i === -1 ? focus.length : i;
}
