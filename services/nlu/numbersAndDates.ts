import { LANGUAGES } from '../../data/model.js';
import { fold, type Token } from './normalise.js';
import { NUMBER_WORDS } from './vocabulary.js';

/** Numbers in digits or words and days in the forms people type them, read from a message's words. */

const NUMBERS = new Map(Object.entries(NUMBER_WORDS).map(([word, value]) => [fold(word), value]));
/** Quantities and day counts above this are not what people type; a bigger number is read as no number. */
const MAX_NUMBER = 999;

export function numberAt(token: Token | undefined): number | undefined {
  if (!token) return undefined;
  const value = /^\d{1,3}$/.test(token.folded) ? Number(token.folded) : NUMBERS.get(token.folded);
  return value !== undefined && value > 0 && value <= MAX_NUMBER ? value : undefined;
}

/**
 * Month names in the four languages, long and short ("mars", "mar", "March"), from the platform's locale data
 * rather than a hand-kept list.
 */
const MONTHS = new Map<string, number>();
for (const language of LANGUAGES) {
  for (const style of ['long', 'short'] as const) {
    const format = new Intl.DateTimeFormat(language, { month: style, timeZone: 'UTC' });
    for (let month = 0; month < 12; month += 1) {
      const name = fold(format.format(new Date(Date.UTC(2000, month, 1)))).replace(/\.$/, '');
      if (!MONTHS.has(name)) MONTHS.set(name, month + 1);
    }
  }
}

/** YYYY-MM-DD of a real calendar day, else undefined ("2025-02-30" is no day). */
function isoDay(year: number, month: number, day: number): string | undefined {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return undefined;
  return date.toISOString().slice(0, 10);
}

const DAY_MONTH_YEAR = /^(\d{1,2})[./](\d{1,2})[./-](\d{4})$/;
const DAY_MONTH = /^(\d{1,2})[./](\d{1,2})$/;

/** Years a month without a day may name: "mars 2024"; outside this a four-digit number is no year. */
const MONTH_YEARS = { first: 1990, last: 2099 };

/**
 * A day written at `at`: "2025-03-01", "1.3.2025" or "1/3/2025" (one token), "1/3 2025" (two), "1 mars 2025", "1. mars 2025" or "March 1, 2025"
 * (three; `tokenize` has dropped the dot and the comma). A month and a year without a day ("mars 2024", "in March
 * 2024") is its first day: the register's state as the month began. The day and how many tokens it took.
 */
export function dateAt(tokens: readonly Token[], at: number): { date: string; length: number } | undefined {
  const first = tokens[at]?.folded;
  if (first === undefined) return undefined;
  // Every form below begins with a digit or a month's name: any other word (most words) begins no day.
  const lead = first.charCodeAt(0);
  if ((lead < 48 || lead > 57) && !MONTHS.has(first)) return undefined;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(first);
  // Day first, as the four languages' readers write it: "1.3.2025", "1/3/2025", "1/3-2025".
  const dotted = DAY_MONTH_YEAR.exec(first);
  const single = iso
    ? isoDay(Number(iso[1]), Number(iso[2]), Number(iso[3]))
    : dotted
      ? isoDay(Number(dotted[3]), Number(dotted[2]), Number(dotted[1]))
      : undefined;
  if (single) return { date: single, length: 1 };
  const [second, third] = [tokens[at + 1]?.folded, tokens[at + 2]?.folded];
  // "1/3 2025", "1.3 2025": day and month, then the year.
  const dayMonth = second !== undefined && /^\d{4}$/.test(second) ? DAY_MONTH.exec(first) : null;
  const split = dayMonth ? isoDay(Number(second), Number(dayMonth[2]), Number(dayMonth[1])) : undefined;
  if (split) return { date: split, length: 2 };
  const month = MONTHS.get(first);
  if (month !== undefined && second !== undefined && /^\d{4}$/.test(second)) {
    const year = Number(second);
    if (year >= MONTH_YEARS.first && year <= MONTH_YEARS.last)
      return { date: isoDay(year, month, 1)!, length: 2 };
  }
  if (second === undefined || third === undefined || !/^\d{4}$/.test(third)) return undefined;
  const dayFirst = /^\d{1,2}$/.test(first) ? MONTHS.get(second) : undefined;
  const monthFirst = /^\d{1,2}$/.test(second) ? MONTHS.get(first) : undefined;
  const date =
    dayFirst !== undefined
      ? isoDay(Number(third), dayFirst, Number(first))
      : monthFirst !== undefined
        ? isoDay(Number(third), monthFirst, Number(second))
        : undefined;
  return date ? { date, length: 3 } : undefined;
}

/** Words before a month that say "during it": "i mars", "in March", "på nyåret" is no month. */
const MONTH_PREPOSITIONS = new Set(['i', 'in', 'pa', 'under', 'during']);
/** Verbs in the past: "vem ägde X i mars" asks about the March that has been, not the next one. */
const PAST_WORDS = new Set([
  'agde',
  'owned',
  'was',
  'were',
  'var',
  'vart',
  'atte',
  'eigde',
  'aatte',
  'hade',
  'hadde',
  'had',
  'agdes',
  'forvaltade',
  'administered',
  'held',
]);

/**
 * A month without a year after "i / in / under" ("vem äger X i mars", "who owned X in March"), read with the clock:
 * the first day of that month, this year or next, the next one that has not ended (the current month is this
 * month); with a verb in the past, the last one that has begun. Long month names only: "may", "jul" and "mar" are
 * other words too. The day and where the month word stands, or undefined.
 */
export function monthWithoutYear(
  tokens: readonly Token[],
  now: Date,
): { date: string; at: number } | undefined {
  const past = tokens.some((t) => PAST_WORDS.has(t.folded.replace(/[^a-z]/g, '')));
  for (let at = 1; at < tokens.length; at += 1) {
    const month = LONG_MONTHS.get(tokens[at]!.folded);
    if (month === undefined || !MONTH_PREPOSITIONS.has(tokens[at - 1]!.folded)) continue;
    if (/^\d{4}$/.test(tokens[at + 1]?.folded ?? '')) continue;
    const thisYear = now.getUTCFullYear();
    const thisMonth = now.getUTCMonth() + 1;
    const year = past
      ? month <= thisMonth
        ? thisYear
        : thisYear - 1
      : month >= thisMonth
        ? thisYear
        : thisYear + 1;
    return { date: isoDay(year, month, 1)!, at };
  }
  return undefined;
}

/** Long month names of the four languages, folded ("mars", "march", "februar"). */
const LONG_MONTHS = new Map<string, number>();
for (const language of LANGUAGES) {
  const format = new Intl.DateTimeFormat(language, { month: 'long', timeZone: 'UTC' });
  for (let month = 0; month < 12; month += 1) {
    LONG_MONTHS.set(fold(format.format(new Date(Date.UTC(2000, month, 1)))), month + 1);
  }
}
