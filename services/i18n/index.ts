import type { Language } from '../../data/model.js';
import enCare from './locales/care/en.json' with { type: 'json' };
import nbCare from './locales/care/nb.json' with { type: 'json' };
import nnCare from './locales/care/nn.json' with { type: 'json' };
import svCare from './locales/care/sv.json' with { type: 'json' };
import enDeadlines from './locales/deadlines/en.json' with { type: 'json' };
import nbDeadlines from './locales/deadlines/nb.json' with { type: 'json' };
import nnDeadlines from './locales/deadlines/nn.json' with { type: 'json' };
import svDeadlines from './locales/deadlines/sv.json' with { type: 'json' };
import enBase from './locales/en.json' with { type: 'json' };
import enEquipment from './locales/equipment/en.json' with { type: 'json' };
import nbEquipment from './locales/equipment/nb.json' with { type: 'json' };
import nnEquipment from './locales/equipment/nn.json' with { type: 'json' };
import svEquipment from './locales/equipment/sv.json' with { type: 'json' };
import enFiles from './locales/files/en.json' with { type: 'json' };
import nbFiles from './locales/files/nb.json' with { type: 'json' };
import nnFiles from './locales/files/nn.json' with { type: 'json' };
import svFiles from './locales/files/sv.json' with { type: 'json' };
import enHygiene from './locales/hygiene/en.json' with { type: 'json' };
import nbHygiene from './locales/hygiene/nb.json' with { type: 'json' };
import nnHygiene from './locales/hygiene/nn.json' with { type: 'json' };
import svHygiene from './locales/hygiene/sv.json' with { type: 'json' };
import enLists from './locales/lists/en.json' with { type: 'json' };
import nbLists from './locales/lists/nb.json' with { type: 'json' };
import nnLists from './locales/lists/nn.json' with { type: 'json' };
import svLists from './locales/lists/sv.json' with { type: 'json' };
import nbBase from './locales/nb.json' with { type: 'json' };
import enReviews from './locales/reviews/en.json' with { type: 'json' };
import nbReviews from './locales/reviews/nb.json' with { type: 'json' };
import nnReviews from './locales/reviews/nn.json' with { type: 'json' };
import svReviews from './locales/reviews/sv.json' with { type: 'json' };
import nnBase from './locales/nn.json' with { type: 'json' };
import svBase from './locales/sv.json' with { type: 'json' };

/**
 * User-facing strings in the four answer languages. English is the reference catalogue: its keys are the type of
 * every key, and each locale must hold exactly the same keys and `{param}` placeholders (test/services/i18n checks).
 * The catalogues are split by area (locales/<lang>.json for the core, locales/<area>/<lang>.json: equipment, lists,
 * care, hygiene, files, deadlines, reviews), merged here; a key belongs to exactly one area (the test checks). Role words are not here:
 * they are data (the organisation's own vocabulary) and come with each Answer.
 */
const sv = {
  ...svBase,
  ...svEquipment,
  ...svLists,
  ...svCare,
  ...svHygiene,
  ...svFiles,
  ...svDeadlines,
  ...svReviews,
};
const nn = {
  ...nnBase,
  ...nnEquipment,
  ...nnLists,
  ...nnCare,
  ...nnHygiene,
  ...nnFiles,
  ...nnDeadlines,
  ...nnReviews,
};
const nb = {
  ...nbBase,
  ...nbEquipment,
  ...nbLists,
  ...nbCare,
  ...nbHygiene,
  ...nbFiles,
  ...nbDeadlines,
  ...nbReviews,
};
const en = {
  ...enBase,
  ...enEquipment,
  ...enLists,
  ...enCare,
  ...enHygiene,
  ...enFiles,
  ...enDeadlines,
  ...enReviews,
};
export type MessageKey = keyof typeof en;
export type MessageParams = Readonly<Record<string, string | number>>;

export const catalogues: Readonly<Record<Language, Readonly<Record<MessageKey, string>>>> = {
  sv,
  nn,
  nb,
  en,
};

/** The areas the catalogues are split into (a directory of locales/ each). */
export const MESSAGE_AREAS = [
  'equipment',
  'lists',
  'care',
  'hygiene',
  'files',
  'deadlines',
  'reviews',
] as const;

const PLACEHOLDER = /\{(\w+)\}/g;

/**
 * The message `key` in `language` with each `{param}` replaced once. Parameter values are inserted verbatim and
 * never re-scanned, so a value containing `{x}` stays literal. A placeholder without a value is left as written.
 */
export function t(language: Language, key: MessageKey, params: MessageParams = {}): string {
  const raw = catalogues[language][key];
  // Most messages have no placeholder: the same string, without a regular-expression pass per message.
  if (!raw.includes('{')) return raw;
  if (raw.includes('|'))
    return plurals(language, raw, params).replace(PLACEHOLDER, (whole, name: string) =>
      Object.hasOwn(params, name) ? String(params[name]) : whole,
    );
  let parts = splitMessages.get(raw);
  if (parts === undefined) {
    parts = raw.split(PLACEHOLDER);
    splitMessages.set(raw, parts);
  }
  // parts: text, name, text, name, ..., text (split keeps the captured names at the odd positions).
  let text = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i]!;
    text += (Object.hasOwn(params, name) ? String(params[name]) : `{${name}}`) + parts[i + 1]!;
  }
  return text;
}

/**
 * Each catalogue message with placeholders (and no plural forms), split once at its placeholders: filling it is then
 * a few concatenations instead of a regular-expression pass with a callback per call. Keyed by the message text, so
 * bounded by the catalogues.
 */
const splitMessages = new Map<string, string[]>();

/** `{count|roll|roller}`: the first form when `count` is one in the language's plural rules, else the second. */
const PLURAL = /\{(\w+)\|([^|{}]*)\|([^|{}]*)\}/g;
const pluralRules = new Map<Language, Intl.PluralRules>();

/**
 * Plural forms chosen with Intl.PluralRules (CLDR: "1 roll", "2 roller", "0 roller"; "1 role", "2 roles"), before
 * the placeholders are filled. A form whose number is not given is left as written.
 */
function plurals(language: Language, text: string, params: MessageParams): string {
  let rules = pluralRules.get(language);
  if (!rules) {
    rules = new Intl.PluralRules(INTL_LOCALE[language]);
    pluralRules.set(language, rules);
  }
  const select = rules;
  return text.replace(PLURAL, (whole, name: string, one: string, other: string) => {
    if (!Object.hasOwn(params, name)) return whole;
    return select.select(Number(params[name])) === 'one' ? one : other;
  });
}

/** The `{param}` names a message uses, sorted; for the catalogue consistency test. */
export function placeholdersOf(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '').sort();
}

const INTL_LOCALE: Record<Language, string> = { sv: 'sv-SE', nn: 'nn-NO', nb: 'nb-NO', en: 'en-GB' };

/** Swedish and Norwegian municipalities share one civil time zone, so dates are shown in it. */
const TIME_ZONE = 'Europe/Stockholm';

/**
 * One formatter of each kind per language, made on first use: constructing an Intl formatter costs tens of
 * microseconds (locale negotiation), far more than formatting with it, and both are used on every answer.
 */
const dateFormats = new Map<Language, Intl.DateTimeFormat>();
const listFormats = new Map<Language, Intl.ListFormat>();

function dateFormat(language: Language): Intl.DateTimeFormat {
  let format = dateFormats.get(language);
  if (!format) {
    format = new Intl.DateTimeFormat(INTL_LOCALE[language], { dateStyle: 'long', timeZone: TIME_ZONE });
    dateFormats.set(language, format);
  }
  return format;
}

function listFormat(language: Language): Intl.ListFormat {
  let format = listFormats.get(language);
  if (!format) {
    format = new Intl.ListFormat(INTL_LOCALE[language], { type: 'conjunction' });
    listFormats.set(language, format);
  }
  return format;
}

/** A date (no time) as people write it in `language`; the input unchanged when it is not a valid date. */
export function formatDate(language: Language, iso: string): string {
  const key = `${language} ${iso}`;
  const known = formattedDates.get(key);
  if (known !== undefined) return known;
  const date = new Date(iso);
  const formatted = Number.isNaN(date.getTime()) ? iso : dateFormat(language).format(date);
  // Bounded: a full map is emptied rather than grown (the dates in use are few: absences, history days).
  if (formattedDates.size >= FORMATTED_DATES_LIMIT) formattedDates.clear();
  formattedDates.set(key, formatted);
  return formatted;
}

/**
 * Dates already formatted, by language and input: parsing and formatting one costs a few microseconds, and the same
 * absence dates are shown on every answer about their holders' systems. The result depends only on the key.
 */
const formattedDates = new Map<string, string>();
const FORMATTED_DATES_LIMIT = 2_000;

/** "A, B and C" in `language`. */
export function formatList(language: Language, items: readonly string[]): string {
  // A list of one is that item in every locale (CLDR has no pattern for one); most role groups have one holder.
  if (items.length === 1) return items[0]!;
  return listFormat(language).format(items);
}

const dateTimeFormats = new Map<Language, Intl.DateTimeFormat>();

/** A moment (decisions, cancellations) as date and time in `language`; the input unchanged when not a date. */
export function formatDateTime(language: Language, iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  let format = dateTimeFormats.get(language);
  if (!format) {
    format = new Intl.DateTimeFormat(INTL_LOCALE[language], {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: TIME_ZONE,
    });
    dateTimeFormats.set(language, format);
  }
  return format.format(date);
}
