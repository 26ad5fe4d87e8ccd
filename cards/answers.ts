import type { Language, SystemRole } from '../data/model.js';
import type { Answer, HolderView, PersonView, SystemRef } from '../services/responsibility/answers.js';
import { formatDate, formatList, t, type MessageKey } from '../services/i18n/index.js';
import type { Intent } from '../services/nlu/intent.js';
import { FOCUS_ROLES } from '../services/responsibility/index.js';
import type {
  HelpCardData,
  HolderCardData,
  SystemButtonData,
  SystemCardData,
  WelcomeCardData,
} from './cardData.js';
import { escapeMarkdown } from './text.js';
import { organisationRoleReply } from './organisationRoleCard.js';
import { renderCard, type AdaptiveCard } from './render.js';
import { systemListReply } from './systemListCard.js';

/**
 * Turns an Answer into what the bot sends: a card and a plain-text summary of the same content (for notifications,
 * screen readers and clients without cards). Both are computed from the same data here, so they cannot disagree.
 * The summary is Markdown-escaped; the caller sends it with `textFormat: 'plain'`.
 */
export interface Reply {
  card: AdaptiveCard;
  summary: string;
}

/** Caps that keep every card well under the 80 KB budget whatever the register holds. */
export const LIMITS = {
  holders: 20,
  candidates: 8,
  suggestions: 5,
  keepers: 8,
  personRoles: 30,
  /** Role labels and names of people and systems. */
  name: 120,
  text: 300,
  /** Longer ids cannot be valid (e-mail addresses are at most 254 characters); such buttons are left out. */
  id: 320,
  description: 600,
  /** The plain-text summary, before escaping (which at most doubles it). */
  summary: 4000,
} as const;

export function replyForAnswer(answer: Answer): Reply {
  switch (answer.kind) {
    case 'system':
      return systemReply(answer);
    case 'choose':
      return choiceReply(answer);
    case 'noMatch':
      return noMatchReply(answer);
    case 'personRoles':
      return personRolesReply(answer);
    case 'organisationRole':
      return organisationRoleReply(answer);
    case 'systemList':
      return systemListReply(answer);
    case 'unknownPerson':
      return unknownPersonReply(answer);
    case 'help':
      return helpReply(answer);
    case 'welcome':
      return welcomeReply(answer);
    default:
      return assertNever(answer);
  }
}

/** A short card with a title and an optional line, both from the catalogue (a system that is gone, an error). */
export function noticeReply(language: Language, titleKey: MessageKey, textKey?: MessageKey): Reply {
  const title = t(language, titleKey);
  const text = textKey ? t(language, textKey) : '';
  return {
    card: renderCard('noticeCard', { title, text }),
    summary: summaryOf([title, text].filter((s) => s !== '').join(' ')),
  };
}

type SystemAnswer = Extract<Answer, { kind: 'system' }>;

function systemReply(answer: SystemAnswer): Reply {
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
      name: clip(holder.person.name, LIMITS.name),
      details: personDetails(holder.person),
      statusText: statusText(lang, holder),
      turnToText: turnTo === undefined ? '' : turnToText(lang, turnTo),
      chatTitle: t(lang, 'holder.chatShort'),
      chatTooltip: clip(t(lang, 'holder.chat', { name: holder.person.name }), LIMITS.name),
      chatUrl: chatUrl(holder.person.email),
      rolesTitle: t(lang, 'holder.rolesShort'),
      rolesTooltip: clip(t(lang, 'holder.roles', { name: holder.person.name }), LIMITS.name),
      personId: holder.person.id.length <= LIMITS.id ? holder.person.id : '',
    };
  };

  const supplierFacts: SystemCardData['facts'] = [];
  if (system.supplier)
    supplierFacts.push({ label: t(lang, 'system.supplier'), value: clip(system.supplier) });
  if (system.supplierSupport)
    supplierFacts.push({ label: t(lang, 'system.supplierSupport'), value: clip(system.supplierSupport) });
  // A history answer says first which day its holders are of.
  const asOf =
    answer.asOf === undefined
      ? []
      : [{ label: t(lang, 'system.asOf'), value: formatDate(lang, answer.asOf) }];
  const facts: SystemCardData['facts'] = [
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
  return { card: renderCard('systemCard', data), summary: summaryOf(summary) };
}

type ChooseAnswer = Extract<Answer, { kind: 'choose' }> & { opensForm?: boolean };

/** "Which system do you mean?"; with `opensForm` each button opens the access request form for its system. */
export function choiceReply(answer: ChooseAnswer): Reply {
  const lang = answer.language;
  const title = t(lang, answer.didYouMean === true ? 'choice.didYouMean' : 'choice.title', {
    query: clip(answer.query, 100),
  });
  const candidates = answer.candidates.slice(0, LIMITS.candidates).map(systemButton);
  const hidden = answer.candidates.length - candidates.length;
  const moreText = hidden > 0 ? t(lang, 'choice.more', { count: hidden }) : '';
  return {
    card: renderCard('choiceCard', { title, candidates, moreText, opensForm: answer.opensForm === true }),
    summary: summaryOf(
      [title, candidates.map((c) => c.label).join('; '), moreText].filter((s) => s !== '').join(' '),
    ),
  };
}

type NoMatchAnswer = Extract<Answer, { kind: 'noMatch' }>;

function noMatchReply(answer: NoMatchAnswer): Reply {
  const lang = answer.language;
  const title = t(lang, 'noMatch.title', { query: clip(answer.query, 100) });
  const suggestions = answer.suggestions.slice(0, LIMITS.suggestions).map(systemButton);
  const suggestionsIntro = suggestions.length > 0 ? t(lang, 'noMatch.suggestions') : '';
  const keepers = answer.registerKeepers.slice(0, LIMITS.keepers);
  const keepersText =
    keepers.length === 0
      ? t(lang, 'noMatch.keepersNone')
      : answer.organisation
        ? t(lang, 'noMatch.keepers', { organisation: answer.organisation.name })
        : t(lang, 'noMatch.keepersUnknownOrganisation');
  const card = renderCard('noMatchCard', {
    title,
    suggestionsIntro,
    suggestions,
    keepersText,
    keepers: keepers.map((p) => ({
      name: clip(p.name),
      details: personDetails(p),
      chatTitle: clip(t(lang, 'holder.chat', { name: p.name })),
      chatUrl: chatUrl(p.email),
    })),
  });
  const summary = [
    title,
    suggestions.length > 0 ? `${suggestionsIntro} ${suggestions.map((s) => s.label).join('; ')}.` : '',
    keepers.length > 0
      ? `${keepersText} ${formatList(
          lang,
          keepers.map((p) => p.name),
        )}`
      : keepersText,
  ];
  return { card, summary: summaryOf(summary.filter((s) => s !== '').join(' ')) };
}

type PersonRolesAnswer = Extract<Answer, { kind: 'personRoles' }>;

function personRolesReply(answer: PersonRolesAnswer): Reply {
  const { language: lang, person } = answer;
  const title = answer.self
    ? t(lang, 'personRoles.titleSelf')
    : t(lang, 'personRoles.title', { name: person.name });
  const shown = answer.roles.slice(0, LIMITS.personRoles);
  const hidden = answer.roles.length - shown.length;
  const roles = shown.map((r) => ({
    roleLabel: upperFirst(clip(r.roleLabel, LIMITS.name)),
    subject: clip(r.system?.name ?? r.organisation.name),
    context: r.system
      ? clip(r.organisation.name)
      : r.units && r.units.length > 0
        ? clip(
            t(lang, 'personRoles.units', {
              units: formatList(
                lang,
                r.units.map((u) => u.name),
              ),
            }),
          )
        : '',
    systemId: r.system?.id ?? '',
    showTitle: r.system ? clip(t(lang, 'personRoles.showSystem', { system: r.system.name })) : '',
  }));
  const noneText =
    answer.roles.length > 0
      ? ''
      : answer.self
        ? t(lang, 'personRoles.noneSelf')
        : t(lang, 'personRoles.none', { name: person.name });
  const moreText = hidden > 0 ? t(lang, 'personRoles.more', { count: hidden }) : '';
  const card = renderCard('personRolesCard', {
    title: clip(title),
    subtitle: personDetails(person),
    noneText: clip(noneText),
    roles,
    moreText,
  });
  const summary = [
    `${title}:`,
    noneText,
    roles
      .map((r) => `${r.roleLabel} – ${r.subject}${r.systemId && r.context ? ` (${r.context})` : ''}`)
      .join('; '),
    moreText,
  ];
  return { card, summary: summaryOf(summary.filter((s) => s !== '').join(' ')) };
}

type UnknownPersonAnswer = Extract<Answer, { kind: 'unknownPerson' }>;

function unknownPersonReply(answer: UnknownPersonAnswer): Reply {
  const lang = answer.language;
  // An empty query means the asker asked for their own roles and is in neither the register nor the directory.
  const title =
    answer.query.trim() === ''
      ? t(lang, 'personRoles.noneSelf')
      : t(lang, 'unknownPerson.title', { query: clip(answer.query, 100) });
  const suggestions = answer.suggestions.slice(0, LIMITS.suggestions).map((p) => ({
    label: clip(p.title ? `${p.name} – ${p.title}` : p.name, 100),
    personId: p.id,
  }));
  const suggestionsIntro = suggestions.length > 0 ? t(lang, 'unknownPerson.suggestions') : '';
  return {
    card: renderCard('unknownPersonCard', { title, suggestionsIntro, suggestions }),
    summary: summaryOf(
      [title, suggestionsIntro, suggestions.map((s) => s.label).join('; ')].filter((s) => s !== '').join(' '),
    ),
  };
}

type HelpAnswer = Extract<Answer, { kind: 'help' }>;

/**
 * The examples the help card shows, in order and grouped under a heading each, with what `understand` must make of
 * each in every language (a test holds every locale's text to it), so the card never suggests a question the bot
 * does not understand. The coordinators' questions come last: most people may not ask them.
 */
export const HELP_EXAMPLES = [
  { key: 'help.example1', intent: 'whoOwns', group: 'help.group.responsibility' },
  { key: 'help.example2', intent: 'whoOwns', group: 'help.group.responsibility' },
  { key: 'help.example3', intent: 'whoOwns', group: 'help.group.responsibility' },
  { key: 'help.example4', intent: 'rolesOf', group: 'help.group.responsibility' },
  { key: 'help.exampleOrganisationRole', intent: 'organisationRole', group: 'help.group.responsibility' },
  { key: 'help.example5', intent: 'requestAccess', group: 'help.group.requests' },
  { key: 'help.example6', intent: 'myRequests', group: 'help.group.requests' },
  { key: 'help.example7', intent: 'awaitingMe', group: 'help.group.requests' },
  { key: 'help.exampleNewScreen', intent: 'requestEquipment', group: 'help.group.equipment' },
  { key: 'help.exampleRegisteredToMe', intent: 'inventory', group: 'help.group.equipment' },
  { key: 'help.exampleNoDeputy', intent: 'systemList', group: 'help.group.lists' },
  { key: 'help.exampleOpenRequests', intent: 'openRequests', group: 'help.group.lists' },
  { key: 'help.exampleOwnedOn', intent: 'whoOwns', group: 'help.group.lists' },
  { key: 'help.exampleReviews', intent: 'reviews', group: 'help.group.lists' },
] as const satisfies readonly { key: MessageKey; intent: Intent['kind']; group: MessageKey }[];

/**
 * The system names and the organisation role in the example questions: the asker's own (`exampleSystems`,
 * `exampleRole`, chosen by the service), else the language's defaults.
 */
export function exampleParams(
  lang: Language,
  exampleSystems: readonly string[] = [],
  exampleRole?: string,
): { system: string; system2: string; role: string } {
  const system = exampleSystems[0] ?? t(lang, 'help.exampleSystem');
  const system2 =
    exampleSystems[1] ?? (exampleSystems[0] === undefined ? t(lang, 'help.exampleSystem2') : system);
  return { system, system2, role: exampleRole ?? t(lang, 'help.exampleRole') };
}

function helpReply(answer: HelpAnswer): Reply {
  const lang = answer.language;
  const params = exampleParams(lang, answer.exampleSystems, answer.exampleRole);
  const data: HelpCardData = {
    title: t(lang, 'help.title'),
    intro: t(lang, 'help.intro'),
    examples: HELP_EXAMPLES.map(({ key, group }, i) => ({
      text: t(lang, key, params),
      heading: group === HELP_EXAMPLES[i - 1]?.group ? '' : t(lang, group),
    })),
    languages: t(lang, 'help.languages'),
    organisationText: organisationText(lang, answer.organisation?.name),
  };
  const summary = [
    `${data.title}.`,
    data.intro,
    data.examples.map((e) => `“${e.text}”`).join(', '),
    data.languages,
    data.organisationText,
  ];
  return {
    card: renderCard('helpCard', data),
    summary: summaryOf(summary.filter((s) => s !== '').join(' ')),
  };
}

type WelcomeAnswer = Extract<Answer, { kind: 'welcome' }>;

function welcomeReply(answer: WelcomeAnswer): Reply {
  const lang = answer.language;
  const params = exampleParams(lang, answer.exampleSystems);
  const data: WelcomeCardData = {
    title: t(lang, 'welcome.title'),
    lead: t(lang, 'welcome.intro'),
    tryText: t(lang, 'welcome.try', { example: t(lang, 'help.example1', params) }),
    requestsText: t(lang, 'welcome.requests', {
      request: t(lang, 'help.example5', params),
      mine: t(lang, 'help.example6'),
      awaiting: t(lang, 'help.example7'),
    }),
    organisationText: organisationText(lang, answer.organisation?.name),
    helpTitle: t(lang, 'welcome.helpButton'),
    clockText: answer.clockOffset ? t(lang, 'welcome.clockOffset', { offset: answer.clockOffset }) : '',
  };
  const summary = [
    `${data.title}.`,
    data.lead,
    data.tryText,
    data.requestsText,
    data.organisationText,
    data.clockText,
  ];
  return {
    card: renderCard('welcomeCard', data),
    summary: summaryOf(summary.filter((s) => s !== '').join(' ')),
  };
}

/** Microsoft's deep link that opens a 1:1 chat with the person; '' (no button) without an address. */
export function chatUrl(email: string): string {
  const address = email.trim();
  if (address === '' || address.length > 254) return '';
  return `https://teams.microsoft.com/l/chat/0/0?users=${encodeURIComponent(address)}`;
}

function systemButton(ref: SystemRef): SystemButtonData {
  return { label: clip(`${ref.system.name} – ${ref.organisation.name}`, 100), systemId: ref.system.id };
}

export function personDetails(person: PersonView): string {
  return clip(
    [person.title, person.department, person.email].filter((s) => s && s.trim() !== '').join(' · '),
  );
}

export function statusText(lang: Language, holder: Pick<HolderView, 'status' | 'outOfOfficeUntil'>): string {
  switch (holder.status) {
    case 'available':
      return '';
    case 'outOfOffice':
      return holder.outOfOfficeUntil
        ? t(lang, 'status.outOfOfficeUntil', { date: formatDate(lang, holder.outOfOfficeUntil) })
        : t(lang, 'status.outOfOffice');
    case 'disabled':
      return t(lang, 'status.disabled');
    case 'notFound':
      return t(lang, 'status.notFound');
    default:
      return assertNever(holder.status);
  }
}

function turnToText(lang: Language, turnTo: HolderView[]): string {
  if (turnTo.length === 0) return t(lang, 'holder.noTurnTo');
  const names = turnTo.slice(0, 5).map((h) => `${h.person.name} (${h.roleLabel})`);
  return clip(t(lang, 'holder.turnTo', { names: formatList(lang, names) }));
}

function organisationText(lang: Language, name: string | undefined): string {
  return name ? clip(t(lang, 'help.organisation', { organisation: name })) : '';
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

/** Role labels are written in running-text case ("systemägare"); a card line starts with a capital. */
export function upperFirst(text: string): string {
  return text.charAt(0).toLocaleUpperCase() + text.slice(1);
}

export function summaryOf(text: string): string {
  return escapeMarkdown(clip(text.replace(/\s+/g, ' ').trim(), LIMITS.summary));
}

export function clip(text: string, max: number = LIMITS.text): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function assertNever(value: never): never {
  throw new Error(`unhandled answer variant: ${JSON.stringify(value)}`);
}
