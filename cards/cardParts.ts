import type { Language, Organisation } from '../data/model.js';
import { formatList, t, type MessageKey } from '../services/i18n/index.js';
import type { FieldProblem } from '../services/requests/kinds.js';
import type { HolderView, PersonView, SystemRef } from '../services/responsibility/answers.js';
import type { AdaptiveCard } from './render.js';
import { chatUrl, clip, LIMITS, personDetails, statusText, summaryOf } from './text.js';

/**
 * What several cards share: the reply every builder returns, and the data pieces (and their builders) more than one
 * card lays out: people with their chat buttons, system buttons, paged lists and their refusal, form problems.
 *
 * A card's data is typed next to its builder in `cards/<name>Card.ts`. Everything a card shows is computed into
 * its data (already translated, capped and formatted); the template only places it. Every string field must be
 * present: the templating engine prints `${field}` for a missing one, and an empty string is how a template is told
 * to leave a line out (`$when`).
 */

/**
 * What the bot sends: a card and a plain-text summary of the same content (for notifications, screen readers and
 * clients without cards). Both are computed from the same data by the card's builder, so they cannot disagree. The
 * summary is Markdown-escaped; the caller sends it with `textFormat: 'plain'`.
 */
export interface Reply {
  card: AdaptiveCard;
  summary: string;
}

export interface LabelValue {
  label: string;
  value: string;
}

/** A person to turn to (the IT coordinators who keep the register), with a chat button. */
export interface KeeperCardData {
  name: string;
  details: string;
  chatTitle: string;
  chatUrl: string;
}

/** A keeper's line; `max` caps the name and the chat button's title. */
export function keeperData(lang: Language, person: PersonView, max: number): KeeperCardData {
  return {
    name: clip(person.name, max),
    details: personDetails(person),
    chatTitle: clip(t(lang, 'holder.chat', { name: person.name }), max),
    chatUrl: chatUrl(person.email),
  };
}

/** A holder of a role as the system and organisation-role cards show them, with Chat and Roles buttons. */
export interface HolderPersonCardData {
  name: string;
  details: string;
  statusText: string;
  /** Short ("Chat"), so both buttons fit in one row under the name; the tooltip names the person. */
  chatTitle: string;
  chatTooltip: string;
  chatUrl: string;
  rolesTitle: string;
  rolesTooltip: string;
  personId: string;
}

export function holderPersonData(
  lang: Language,
  holder: Pick<HolderView, 'person' | 'status' | 'outOfOfficeUntil'>,
): HolderPersonCardData {
  const { person } = holder;
  return {
    name: clip(person.name, LIMITS.name),
    details: personDetails(person),
    statusText: statusText(lang, holder),
    chatTitle: t(lang, 'holder.chatShort'),
    chatTooltip: clip(t(lang, 'holder.chat', { name: person.name }), LIMITS.name),
    chatUrl: chatUrl(person.email),
    rolesTitle: t(lang, 'holder.rolesShort'),
    rolesTooltip: clip(t(lang, 'holder.roles', { name: person.name }), LIMITS.name),
    personId: person.id.length <= LIMITS.id ? person.id : '',
  };
}

export interface SystemButtonData {
  label: string;
  systemId: string;
}

export function systemButton(ref: SystemRef): SystemButtonData {
  return { label: clip(`${ref.system.name} – ${ref.organisation.name}`, 100), systemId: ref.system.id };
}

/** What every paged list card has: a page of groups of rows, or its refusal (the IT coordinators as keepers). */
export interface PagedListCardData<G> {
  title: string;
  /** "Page 1 of 3 · 57 systems"; '' when refused or empty. */
  subtitle: string;
  notes: { text: string }[];
  emptyText: string;
  groups: G[];
  keepersText: string;
  keepers: KeeperCardData[];
  hasPrevious: boolean;
  previousPage: number;
  previousTitle: string;
  hasNext: boolean;
  nextPage: number;
  nextTitle: string;
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
    keepers: [] as KeeperCardData[],
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
): { keepersText: string; keepers: KeeperCardData[]; names: string } {
  const shown = registerKeepers.slice(0, LIMITS.keepers);
  const keepersText =
    shown.length === 0
      ? t(lang, 'systemList.refusedNoKeepers')
      : clip(t(lang, 'systemList.refusedKeepers', { organisation: organisation?.name ?? '' }));
  const names = shown.map((k) => clip(k.name, LIMITS.name));
  return {
    keepersText,
    keepers: shown.map((p) => keeperData(lang, p, LIMITS.name)),
    names: names.length > 0 ? formatList(lang, names) : '',
  };
}

/**
 * A list card's refusal: its title and text and the coordinators to turn to, which `cardWith` lays out on the list
 * card's empty page; with the plain summary.
 */
export function listRefusal(
  lang: Language,
  keys: { title: MessageKey; text: MessageKey },
  registerKeepers: readonly PersonView[],
  organisation: Organisation | undefined,
  cardWith: (
    fields: Pick<PagedListCardData<unknown>, 'title' | 'notes' | 'keepersText' | 'keepers'>,
  ) => AdaptiveCard,
): Reply {
  const { keepersText, keepers, names } = refusalKeepers(lang, registerKeepers, organisation);
  const title = clip(t(lang, keys.title), LIMITS.name);
  const text = t(lang, keys.text);
  return {
    card: cardWith({ title, notes: [{ text }], keepersText, keepers }),
    summary: summaryOf([title, text, keepersText, names].filter((s) => s !== '').join(' ')),
  };
}

const PROBLEM_KEYS: Partial<Record<string, MessageKey>> = {
  required: 'problem.required',
  invalid: 'problem.invalid',
  invalidChoice: 'problem.invalidChoice',
  invalidDate: 'problem.invalidDate',
  tooLong: 'problem.tooLong',
  endBeforeStart: 'problem.endBeforeStart',
  mustConfirm: 'problem.mustConfirm',
  unknownPerson: 'problem.unknownPerson',
  ambiguousPerson: 'problem.ambiguousPerson',
};

/** The catalogue's message for a field problem (the generic "not valid" for a key it has no message for). */
export function problemKey(problem: FieldProblem): MessageKey {
  return PROBLEM_KEYS[problem.problem] ?? 'problem.invalid';
}

/**
 * A form's problems as each input shows them: `error(field)` is the message next to that input (the first problem
 * of a field wins), and `errorText` the line at the top of the form (which says so when every problem concerns
 * something the form has no input for); `messages`, every input's message in order (for the plain-text summary).
 * `inputOf` names the input of an engine field; `keyOf` picks the message.
 */
export function formProblems<F extends string>(
  lang: Language,
  problems: readonly FieldProblem[] | undefined,
  inputs: readonly F[],
  options: {
    inputOf?: (field: string) => string;
    keyOf?: (input: F, problem: FieldProblem) => MessageKey;
  } = {},
): { error: (input: F) => string; errorText: string; messages: string[] } {
  const messages = new Map<F, string>();
  let elsewhere = false;
  for (const problem of problems ?? []) {
    const input = (options.inputOf?.(problem.field) ?? problem.field) as F;
    if (!inputs.includes(input)) {
      elsewhere = true;
      continue;
    }
    if (!messages.has(input))
      messages.set(input, t(lang, options.keyOf?.(input, problem) ?? problemKey(problem)));
  }
  const errorText =
    problems && problems.length > 0
      ? t(lang, elsewhere && messages.size === 0 ? 'request.form.problemElsewhere' : 'request.form.errors')
      : '';
  return { error: (input) => messages.get(input) ?? '', errorText, messages: [...messages.values()] };
}
