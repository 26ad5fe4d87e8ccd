import MiniSearch from 'minisearch';
import { fold } from '../nlu/normalise.js';

/**
 * How the name indexes fold, split and expand the words of names and queries: shared by NameIndex, its
 * MiniSearch partitions (FuzzyIndex) and the TermRouter that picks partitions.
 */

/** Folds diacritics so "lifecäre", "Lifecare" and "lifecare" index and search alike; drops empty terms. */
export function processTerm(term: string): string | null {
  const folded = fold(term);
  return folded.length > 0 ? folded : null;
}

/**
 * Fuzziness by word length, kept small because the cost of a fuzzy lookup grows fast with the edit distance. Words
 * with digits ("360", "p360") are identifiers: a typo there is rarer than a near neighbour ("361"), so no fuzz.
 */
export function fuzziness(term: string): number {
  if (term.length < 4 || /\d/.test(term)) return 0;
  if (term.length < 9) return 1;
  return 2;
}

/** `suggest` allows one more typo in short words than `find`. */
export function looseFuzziness(term: string): number {
  return term.length < 3 ? 0 : term.length < 7 ? 1 : 2;
}

/** Prefixes from four letters, or three for the last word (the one still being typed). */
export function prefix(term: string, index: number, terms: string[]): boolean {
  return term.length >= 4 || (term.length === 3 && index === terms.length - 1);
}

/**
 * `find` accepts small typos and prefixes; `suggest` allows one more typo in short words. `find` first asks for
 * every word (AND: fewer, better results, and measurably cheaper on a large register), then for any word (OR).
 * A query word that is itself a word of the index ("visma", "360", "pro") is searched as it is, without typos
 * or prefixes (see `FuzzyIndex`). Every mode is searched with its own `combineWith` (the AND pass used to be
 * overridden to OR, so `find` ran the same broad search twice).
 */
export const SEARCH_MODES = {
  findAll: { fuzzy: fuzziness, combineWith: 'AND' },
  findAny: { fuzzy: fuzziness, combineWith: 'OR' },
  suggest: { fuzzy: looseFuzziness, combineWith: 'OR' },
} as const;
export type SearchMode = keyof typeof SEARCH_MODES;

/** Splits and folds text exactly as the MiniSearch indexes do, so vocabulary checks see the same terms. */
const tokenize = MiniSearch.getDefault('tokenize') as (text: string) => string[];
export function indexTerms(text: string): string[] {
  return tokenize(text).flatMap((t) => processTerm(t) ?? []);
}

/** The distinct index terms of some documents' fields. */
export function vocabularyOf(
  documents: readonly Record<string, string>[],
  fieldNames: readonly string[],
): Set<string> {
  const vocabulary = new Set<string>();
  for (const document of documents) {
    for (const name of fieldNames) for (const term of indexTerms(document[name] ?? '')) vocabulary.add(term);
  }
  return vocabulary;
}
