import type { OrganisationRole } from '../../data/model.js';
import type { SystemFocus } from '../responsibility/answers.js';
import { PATTERNS } from './grammar.js';
import { type Token, tokenize } from './normalise.js';
import { dateAt, numberAt } from './numbersAndDates.js';
import {
  ORGANISATION_ROLE_NOUNS,
  ORGANISATION_ROLE_VERBS,
  PAST_ROLE_VERBS,
  ROLE_NOUNS,
  ROLE_VERBS,
  WORD_CLASSES,
} from './vocabulary.js';

/** The grammar's patterns compiled into elements (`COMPILED`), and matching one against a message's words. */

type Phrase = readonly string[];
/** A word or phrase of a role table with the role (or focus) it names. */
interface Entry<K extends string> {
  phrase: Phrase;
  key: K;
}

type ByFirstWord<T> = ReadonlyMap<string, readonly T[]>;

/** `items` grouped by the first word of their phrase, each group in the order of `items`. */
function byFirstWord<T>(items: readonly T[], phraseOf: (item: T) => Phrase): ByFirstWord<T> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const first = phraseOf(item)[0]!;
    const group = groups.get(first);
    if (group) group.push(item);
    else groups.set(first, [item]);
  }
  return groups;
}

const NONE: readonly never[] = [];

/** The phrases or entries of `byFirst` that may start at `token` (none past the last token). */
function startingAt<T>(byFirst: ByFirstWord<T>, token: Token | undefined): readonly T[] {
  return token === undefined ? NONE : (byFirst.get(token.folded) ?? NONE);
}

/** `byFirst`: the same phrases or entries, in the same order, by their first word (what `match` looks up). */
type Element =
  | { type: 'words'; phrases: Phrase[]; byFirst: ByFirstWord<Phrase>; optional: boolean }
  | { type: 'role'; entries: Entry<SystemFocus>[]; byFirst: ByFirstWord<Entry<SystemFocus>> }
  | {
      type: 'organisationRole';
      entries: Entry<OrganisationRole>[];
      byFirst: ByFirstWord<Entry<OrganisationRole>>;
    }
  | { type: 'capture'; name: CaptureName }
  | { type: 'number'; optional: boolean }
  | { type: 'date' };

export type CaptureName = 'system' | 'person' | 'scope' | 'item' | 'room';

interface MatchState {
  focus?: SystemFocus;
  organisationRole?: OrganisationRole;
  /** The value of a `NUMBER`. */
  number?: number;
  /** The day of a `DATE`, YYYY-MM-DD. */
  date?: string;
  /** Token ranges of the captured names; a pattern names each at most once. */
  captures?: Partial<Record<CaptureName, { start: number; end: number }>>;
}

export function phrases(words: readonly string[]): Phrase[] {
  const list = words.map((w) => tokenize(w).map((t) => t.folded)).filter((p) => p.length > 0);
  return list.sort((a, b) => b.length - a.length);
}

function roleEntries<K extends string>(table: Partial<Record<K, readonly string[]>>): Entry<K>[] {
  const entries = (Object.entries(table) as [K, readonly string[] | undefined][]).flatMap(([key, words]) =>
    phrases(words ?? []).map((phrase) => ({ phrase, key })),
  );
  return entries.sort((a, b) => b.phrase.length - a.phrase.length);
}

const CLASSES: Record<string, readonly string[]> = {
  ...WORD_CLASSES,
  ACCESS: ROLE_NOUNS.access,
  DEPUTY: ROLE_NOUNS.deputy,
  OWNER: ROLE_NOUNS.owner,
};
const NOUN_ENTRIES = roleEntries(ROLE_NOUNS);
const VERB_ENTRIES = roleEntries(ROLE_VERBS);
const PAST_VERB_ENTRIES = roleEntries(PAST_ROLE_VERBS);
const ORGANISATION_NOUN_ENTRIES = roleEntries(ORGANISATION_ROLE_NOUNS);
const ORGANISATION_VERB_ENTRIES = roleEntries(ORGANISATION_ROLE_VERBS);

function wordsElement(list: Phrase[], optional: boolean): Element {
  return { type: 'words', phrases: list, byFirst: byFirstWord(list, (p) => p), optional };
}

export const role = (entries: Entry<SystemFocus>[]): Element => ({
  type: 'role',
  entries,
  byFirst: byFirstWord(entries, (e) => e.phrase),
});

const organisationRole = (entries: Entry<OrganisationRole>[]): Element => ({
  type: 'organisationRole',
  entries,
  byFirst: byFirstWord(entries, (e) => e.phrase),
});

function compile(pattern: string): Element[] {
  return pattern.split(' ').map((part): Element => {
    const optional = part.endsWith('?');
    const body = optional ? part.slice(0, -1) : part;
    if (body === 'ROLE') return role(NOUN_ENTRIES);
    if (body === 'VERB') return role(VERB_ENTRIES);
    if (body === 'PAST_VERB') return role(PAST_VERB_ENTRIES);
    if (body === 'NUMBER') return { type: 'number', optional };
    if (body === 'DATE') return { type: 'date' };
    if (body === 'ITEM') return { type: 'capture', name: 'item' };
    if (body === 'ROOM') return { type: 'capture', name: 'room' };
    if (body === 'ORG_ROLE') return organisationRole(ORGANISATION_NOUN_ENTRIES);
    if (body === 'ORG_VERB') return organisationRole(ORGANISATION_VERB_ENTRIES);
    if (body === 'SYSTEM') return { type: 'capture', name: 'system' };
    if (body === 'PERSON') return { type: 'capture', name: 'person' };
    if (body === 'SCOPE') return { type: 'capture', name: 'scope' };
    const classMatch = /^\{([A-Z_]+)\}$/.exec(body);
    if (classMatch) {
      const words = CLASSES[classMatch[1]!];
      if (!words) throw new Error(`intent pattern names an unknown word class: ${body}`);
      return wordsElement(phrases(words), optional);
    }
    return wordsElement(phrases(body.split('|')), optional);
  });
}

/**
 * The words a match of `elements` can begin with (folded), or undefined when it may begin with any word (a name, a
 * number, a date). A message whose first word is not among them cannot match the pattern, so `parse` skips it
 * without trying: most patterns begin with a few fixed words, and a question is tried against all of them in order.
 */
function firstWords(elements: readonly Element[]): ReadonlySet<string> | undefined {
  const words = new Set<string>();
  for (const element of elements) {
    switch (element.type) {
      case 'words':
        for (const phrase of element.phrases) words.add(phrase[0]!);
        if (element.optional) continue;
        return words;
      case 'role':
      case 'organisationRole':
        for (const { phrase } of element.entries) words.add(phrase[0]!);
        return words;
      default:
        return undefined;
    }
  }
  // Every element optional: the pattern also fits an empty message.
  return undefined;
}

export const COMPILED = PATTERNS.map((p) => {
  const elements = compile(p.pattern);
  return { ...p, elements, first: firstWords(elements) };
});

type Compiled = (typeof COMPILED)[number];
/** Patterns that may begin with any word (their `first` is undefined), in grammar order. */
const ANY_FIRST: readonly Compiled[] = COMPILED.filter((p) => p.first === undefined);
/** For each word some pattern begins with: the patterns a message beginning with it may match, in grammar order. */
const BY_FIRST: ReadonlyMap<string, readonly Compiled[]> = new Map(
  [...new Set(COMPILED.flatMap((p) => [...(p.first ?? [])]))].map((word) => [
    word,
    COMPILED.filter((p) => p.first === undefined || p.first.has(word)),
  ]),
);

/**
 * The patterns, in grammar order, that a message beginning with `head` (folded) may match: the same as `COMPILED`
 * without those whose `first` lacks it, looked up once instead of tested pattern by pattern.
 */
export function patternsFor(head: string): readonly Compiled[] {
  return BY_FIRST.get(head) ?? ANY_FIRST;
}

export function startsWith(tokens: readonly Token[], at: number, phrase: Phrase): boolean {
  if (at + phrase.length > tokens.length) return false;
  return phrase.every((word, i) => tokens[at + i]!.folded === word);
}

/**
 * False when `element` cannot match from `ti` on, whatever follows: the pattern's end before the last word, or fixed
 * words, a role or an organisation role that no phrase of begins with the word at `ti`. Lets a capture skip the
 * ends `match` would reject anyway, without making their states.
 */
function mayStartAt(element: Element | undefined, tokens: readonly Token[], ti: number): boolean {
  if (element === undefined) return ti === tokens.length;
  switch (element.type) {
    case 'words':
      return element.optional || startingAt(element.byFirst, tokens[ti]).length > 0;
    case 'role':
      return startingAt(element.byFirst, tokens[ti]).length > 0;
    case 'organisationRole':
      return startingAt(element.byFirst, tokens[ti]).length > 0;
    default:
      return true;
  }
}

export function match(
  elements: readonly Element[],
  ei: number,
  tokens: readonly Token[],
  ti: number,
  state: MatchState,
): MatchState | undefined {
  const element = elements[ei];
  if (!element) return ti === tokens.length ? state : undefined;
  switch (element.type) {
    case 'words': {
      for (const phrase of startingAt(element.byFirst, tokens[ti])) {
        if (!startsWith(tokens, ti, phrase)) continue;
        const found = match(elements, ei + 1, tokens, ti + phrase.length, state);
        if (found) return found;
      }
      return element.optional ? match(elements, ei + 1, tokens, ti, state) : undefined;
    }
    case 'role': {
      for (const { phrase, key } of startingAt(element.byFirst, tokens[ti])) {
        if (!startsWith(tokens, ti, phrase)) continue;
        const found = match(elements, ei + 1, tokens, ti + phrase.length, { ...state, focus: key });
        if (found) return found;
      }
      return undefined;
    }
    case 'organisationRole': {
      for (const { phrase, key } of startingAt(element.byFirst, tokens[ti])) {
        if (!startsWith(tokens, ti, phrase)) continue;
        const found = match(elements, ei + 1, tokens, ti + phrase.length, {
          ...state,
          organisationRole: key,
        });
        if (found) return found;
      }
      return undefined;
    }
    case 'number': {
      const value = numberAt(tokens[ti]);
      const found =
        value === undefined
          ? undefined
          : match(elements, ei + 1, tokens, ti + 1, { ...state, number: value });
      return found ?? (element.optional ? match(elements, ei + 1, tokens, ti, state) : undefined);
    }
    case 'date': {
      const day = dateAt(tokens, ti);
      return day && match(elements, ei + 1, tokens, ti + day.length, { ...state, date: day.date });
    }
    case 'capture': {
      const next = elements[ei + 1];
      for (let end = ti + 1; end <= tokens.length; end += 1) {
        if (!mayStartAt(next, tokens, end)) continue;
        const captures = { ...state.captures, [element.name]: { start: ti, end } };
        const found = match(elements, ei + 1, tokens, end, { ...state, captures });
        if (found) return found;
      }
      return undefined;
    }
  }
}
