import MiniSearch, { type SearchResult } from 'minisearch';
import { fold } from '../nlu/normalise.js';
import { packPostings } from './packedPostings.js';
import { prefix, processTerm, SEARCH_MODES, type SearchMode } from './searchTerms.js';
import { radixTreeOf, walkOrder, WordTrie } from './wordTrie.js';

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
  /** Each word's place in the order MiniSearch's own fuzzy lookup finds the words of this index; made on first use. */
  private order?: Map<string, number>;
  private trie?: WordTrie;

  constructor(
    documents: readonly Record<string, string>[],
    fieldNames: readonly string[],
    private readonly boosts: Record<string, number>,
    private readonly known: (term: string) => boolean,
  ) {
    this.search = new MiniSearch({ fields: [...fieldNames], processTerm, searchOptions: { processTerm } });
    this.search.addAll(documents);
    packPostings(this.search);
  }

  /**
   * MiniSearch's results for `query` in `mode`, best first. `near`, when given, names for some query words every
   * word of this index within some edit distance (from the TermRouter, which has just searched all
   * organisations' words for them): MiniSearch's fuzzy lookup of such a word in this index is then answered from
   * it instead of a walk of the index (`fuzzyFromNear`), which was most of the cost of a typo search.
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
    const results = this.withNear(near, () => this.search.search(query, options));
    this.lastRaw[mode] = { key, results };
    return results;
  }

  /**
   * Runs `search` with this index's fuzzy lookup answered from `near` where it can be, else from this index's
   * own `WordTrie` (the same words and order as MiniSearch's own lookup, at a fraction of its cost).
   */
  private withNear<R>(near: NearWords | undefined, search: () => R): R {
    const tree = (this.search as unknown as { _index?: FuzzyGettable })._index;
    // MiniSearch's internals are not what this was written for (another version): its own lookup, slower.
    if (typeof tree?.fuzzyGet !== 'function' || radixTreeOf(tree) === undefined) return search();
    const own = tree.fuzzyGet;
    tree.fuzzyGet = (term, maxDistance) =>
      (near && this.fuzzyFromNear(tree, near, term, maxDistance)) ??
      this.fuzzyFromTrie(tree, term, maxDistance);
    try {
      return search();
    } finally {
      tree.fuzzyGet = own;
    }
  }

  /** What this index's `fuzzyGet(term, maxDistance)` returns, from its `WordTrie`. */
  private fuzzyFromTrie(
    tree: FuzzyGettable,
    term: string,
    maxDistance: number,
  ): Map<string, [unknown, number]> {
    this.order ??= walkOrder(radixTreeOf(tree)!);
    this.trie ??= new WordTrie(this.order);
    return new Map(this.trie.within(term, maxDistance).map(([word, d]) => [word, [tree.get(word), d]]));
  }

  /**
   * What this index's `fuzzyGet(term, maxDistance)` returns, made from `near`: the same words, values and
   * distances, in the same order (the order of a walk of this index's tree, see `walkOrder`), so MiniSearch scores
   * and orders results exactly as it does from its own lookup. Undefined when `near` does not reach that far.
   */
  private fuzzyFromNear(
    tree: FuzzyGettable,
    near: NearWords,
    term: string,
    maxDistance: number,
  ): Map<string, [unknown, number]> | undefined {
    const words = near(term, maxDistance);
    if (words === undefined) return undefined;
    this.order ??= walkOrder(radixTreeOf(tree)!);
    const order = this.order;
    const found = words.filter(([word]) => order.has(word)).sort(([a], [b]) => order.get(a)! - order.get(b)!);
    return new Map(found.map(([word, distance]) => [word, [tree.get(word), distance]]));
  }
}

/** MiniSearch's radix tree, as FuzzyIndex uses it (the same class as SearchableMap, bundled in MiniSearch). */
interface FuzzyGettable {
  fuzzyGet(term: string, maxDistance: number): Map<string, [unknown, number]>;
  get(term: string): unknown;
}

/**
 * For a query word and a maximal edit distance, the words within that distance in all organisations (with their
 * distance, any order), or undefined when they are not known that far.
 */
export type NearWords = (
  term: string,
  maxDistance: number,
) => readonly (readonly [string, number])[] | undefined;
