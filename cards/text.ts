import type { Language, Organisation } from '../data/model.js';
import type { Catalogue } from '../services/equipment/catalogue.js';
import { formatDate, formatList, t } from '../services/i18n/index.js';
import type { HolderView, PersonView } from '../services/responsibility/answers.js';

/**
 * The text helpers every card builder shares: the caps, clipping and the Markdown-escaped plain-text summary, people
 * (details, status, chat link), lists that count what they leave out, money and dates as the cards show them.
 */

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

/** Shown for a role nobody holds. */
export const GAP = '—';

export function clip(text: string, max: number = LIMITS.text): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * Markdown characters that can make a link, an image, HTML or emphasis out of plain text in Teams. Parentheses,
 * dots and hyphens are left alone: without `[` `]` they cannot form a link, and escaping them would clutter every
 * ordinary name ("Procapita (IFO)", "Anna-Lena").
 */
const MARKDOWN_SPECIAL = /[\\`*_[\]<>~#|]/g;

/** `text` with every Markdown control character backslash-escaped. */
export function escapeMarkdown(text: string): string {
  return text.replace(MARKDOWN_SPECIAL, (c) => `\\${c}`);
}

/**
 * The plain-text summary sent with a card (for notifications, screen readers and clients without cards): one line,
 * capped and Markdown-escaped; the caller sends it with `textFormat: 'plain'`.
 */
export function summaryOf(text: string): string {
  return escapeMarkdown(clip(text.replace(/\s+/g, ' ').trim(), LIMITS.summary));
}

/** Role labels are written in running-text case ("systemägare"); a card line starts with a capital. */
export function upperFirst(text: string): string {
  return text.charAt(0).toLocaleUpperCase() + text.slice(1);
}

/** The texts that are not empty, as card lines, each clipped. */
export function lines(...texts: string[]): { text: string }[] {
  return texts.filter((s) => s !== '').map((text) => ({ text: clip(text) }));
}

/** `shown` as a list in `language`, with "+N" for the `total - shown.length` left out. */
export function listWithMore(language: Language, shown: readonly string[], total: number): string {
  const hidden = total - shown.length;
  return formatList(language, hidden > 0 ? [...shown, `+${hidden}`] : shown);
}

/** Microsoft's deep link that opens a 1:1 chat with the person; '' (no button) without an address. */
export function chatUrl(email: string): string {
  const address = email.trim();
  if (address === '' || address.length > 254) return '';
  return `https://teams.microsoft.com/l/chat/0/0?users=${encodeURIComponent(address)}`;
}

/** "Title · department · address" of a person, as the line under their name. */
export function personDetails(person: PersonView): string {
  return clip(
    [person.title, person.department, person.email].filter((s) => s && s.trim() !== '').join(' · '),
  );
}

/** A holder's flag: '' when available, else out of office (until when), disabled or not in the directory. */
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

/** A date input's value: the ISO date as given, '' for anything else. */
export function isoDateOrEmpty(value: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : '';
}

const INTL_LOCALE: Record<Language, string> = { sv: 'sv-SE', nn: 'nn-NO', nb: 'nb-NO', en: 'en-GB' };

/**
 * The currency amounts are given in: the organisation's country's (Swedish organisations SEK, Norwegian NOK); an
 * English-speaking organisation's from its catalogue's prices, else none (the number alone).
 */
export function currencyOf(
  organisation: Organisation | undefined,
  catalogue: Catalogue | undefined,
): string | undefined {
  if (organisation?.language === 'sv') return 'SEK';
  if (organisation?.language === 'nn' || organisation?.language === 'nb') return 'NOK';
  return catalogue?.types.flatMap((type) => type.models).find((m) => m.currency !== undefined)?.currency;
}

/** An amount as people write money in `language` ("2 400,50 kr", "NOK 2,400.50"). */
export function formatMoney(language: Language, amount: number, currency: string | undefined): string {
  return new Intl.NumberFormat(INTL_LOCALE[language], {
    ...(currency ? { style: 'currency', currency } : {}),
    maximumFractionDigits: 2,
  }).format(amount);
}

export function assertNever(value: never): never {
  throw new Error(`unhandled answer variant: ${JSON.stringify(value)}`);
}
