import MiniSearch, { type SearchResult } from 'minisearch';
import { fold } from '../nlu/normalise.js';
import { packPostings } from './packedPostings.js';
import { prefix, processTerm, SEARCH_MODES, type SearchMode } from './searchTerms.js';
import type { FrozenWords, NearWords } from './frozenWords.js';

/**
 * One MiniSearch index. A query word the index holds exactly (`known`) is looked up as it is: expanding such a
 * word with typos and prefixes is what made common words ("pro" → every "Pro…", "direkt" → "direkte") score
 * thousands of documents on a 10,000-system register, and it almost never changes the answer: the exact word
 * already matches. The last query of each mode is kept: the question path asks `find` then `suggest` for the
 * same words (results run to thousands, so only the last, never a cache of them).
 */
export class FuzzyIndex {
  private readonly search: MiniSearch;
  private readonly lastRaw: Partial<Record<SearchMode, { key: string; results: SearchResult[] }>> = {};
  /** The index's words once packed (packedPostings.ts), answering MiniSearch's lookups; undefined if it could not be. */
  private readonly words?: FrozenWords<unknown>;

  constructor(
    documents: readonly Record<string, string>[],
    fieldNames: readonly string[],
    private readonly boosts: Record<string, number>,
    private readonly known: (term: string) => boolean,
  ) {
    this.search = new MiniSearch({ fields: [...fieldNames], processTerm, searchOptions: { processTerm } });
    this.search.addAll(documents);
    this.words = packPostings(this.search);
  }

  /**
   * MiniSearch's results for `query` in `mode`, best first. `near`, when given, names for some query words every
   * word of this index within some edit distance (from the TermRouter, which has just searched all
   * organisations' words for them): MiniSearch's fuzzy lookup of such a word in this index is then answered from
   * it instead of a walk of the index's words (`FrozenWords.fuzzyGet`), which was most of the cost of a typo search.
   */
  raw(mode: SearchMode, query: string, near?: NearWords): SearchResult[] {
    const key = fold(query).trim();
    const last = this.lastRaw[mode];
    if (last?.key === key) return last.results;
    const { fuzzy, combineWith } = SEARCH_MODES[mode];
    const options = {
      fuzzy: (term: string) => (this.known(term) ? 0 : fuzzy(term)),
      prefix: (term: string, i: number, all: string[]) => !this.known(term) && prefix(term, i, all),
      combineWith,
      boost: this.boosts,
    };
    const search = () => this.search.search(query, options);
    // MiniSearch's internals are not what this was written for (another version): its own lookups, slower.
    const results = this.words ? this.words.during(near, search) : search();
    this.lastRaw[mode] = { key, results };
    return results;
  }
}
