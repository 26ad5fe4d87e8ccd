import SearchableMap from 'minisearch/SearchableMap';
import { fold } from '../nlu/normalise.js';
import { FrozenWords, type NearWords } from './frozenWords.js';
import { indexTerms, looseFuzziness, prefix, SEARCH_MODES, type SearchMode } from './searchTerms.js';

/**
 * See `TermRouter.partitionsFor`. Chosen on the benchmark register (40 organisations, 500 cross-organisation
 * queries): 8 dropped two of the five intended systems that asking all organisations suggested, 16 dropped none
 * and took that kind's p99 from 1.8 to 1.2 ms.
 */
const SUGGEST_PARTITIONS = 16;

/**
 * Where the words of a partitioned NameIndex are: each index term → the partitions (organisations) holding it,
 * in MiniSearch's own radix tree (`SearchableMap`), whose `fuzzyGet` and `atPrefix` expand a query word exactly as
 * a MiniSearch search does. A search of all organisations asks only the partitions where every word (AND) or
 * some word (OR) can match: a name of one organisation costs one small search, not forty, and a query that
 * matches nothing anywhere (the costly kind before) costs only the expansion.
 */
interface Expansion {
  term: string;
  exact: readonly number[] | undefined;
  prefixed: readonly (readonly number[])[];
  /** The words within `reach` edits (`looseFuzziness`), with their partitions and distance. */
  near: readonly (readonly [string, readonly number[], number])[];
  reach: number;
}

export class TermRouter {
  /** Each index term → the partitions holding it, while terms are added. */
  private building?: SearchableMap<number[]> = new SearchableMap<number[]>();
  /** The same, frozen at the first lookup (a fraction of the radix tree's memory; see FrozenWords). */
  private frozen?: FrozenWords<number[]>;
  private lastExpansion?: { key: string; expansions: Expansion[] };

  add(term: string, partition: number): void {
    if (this.building === undefined) throw new Error('TermRouter: a term added after the first lookup');
    const partitions = this.building.get(term);
    if (partitions === undefined) this.building.set(term, [partition]);
    else if (partitions[partitions.length - 1] !== partition) partitions.push(partition);
  }

  has(term: string, partition: number): boolean {
    return this.terms().get(term)?.includes(partition) ?? false;
  }

  /**
   * The terms and their partitions, frozen on first use; the radix tree itself when it cannot be (another
   * MiniSearch version than this was written for), whose lookups give the same answers, slower.
   */
  private terms(): FrozenWords<number[]> | SearchableMap<number[]> {
    if (this.frozen === undefined && this.building !== undefined) {
      this.frozen = FrozenWords.of(this.building);
      if (this.frozen !== undefined) this.building = undefined;
    }
    return (this.frozen ?? this.building)!;
  }

  /**
   * Each query word's neighbours in the vocabulary: itself, the words it starts (when `prefix` allows) and the
   * words within `suggest`'s edit distance, which is at least `find`'s for every length, so one expansion serves
   * every mode (`partitionsFor` keeps the distances a mode allows). Kept for the last query: a question that
   * matches nothing asks `find` and then `suggest` for the same words, and the expansion is most of their cost.
   */
  private expand(query: string): Expansion[] {
    const key = fold(query).trim();
    if (this.lastExpansion?.key === key) return this.lastExpansion.expansions;
    const terms = indexTerms(query);
    const expansions = terms.map((term, i): Expansion => {
      const distance = looseFuzziness(term);
      return {
        term,
        exact: this.terms().get(term),
        prefixed: prefix(term, i, terms)
          ? [...this.terms().atPrefix(term)].map(([, partitions]) => partitions)
          : [],
        near: distance > 0 ? this.near(term, distance) : [],
        reach: distance,
      };
    });
    this.lastExpansion = { key, expansions };
    return expansions;
  }

  /**
   * The radix tree's `fuzzyGet(term, distance)` as [word, partitions, distance], in the same order, from the frozen
   * terms' `WordTrie`: the search of all organisations' words for a word two edits away was the largest single
   * cost of a question that names no system exactly.
   */
  private near(term: string, distance: number): (readonly [string, readonly number[], number])[] {
    const terms = this.terms();
    if (terms instanceof FrozenWords) {
      return terms.within(term, distance).map(([word, d]) => [word, terms.get(word)!, d] as const);
    }
    return [...terms.fuzzyGet(term, distance)].map(
      ([word, [partitions, d]]) => [word, partitions, d] as const,
    );
  }

  /**
   * The words near each word of `query` as `FuzzyIndex.raw` takes them, when `query` is the query expanded last
   * (else undefined: expanding costs more than one partition's own lookup). A word expanded to a smaller distance
   * than asked for, or not expanded, is left to the partition's own lookup.
   */
  nearWords(query: string): NearWords | undefined {
    const expansions =
      this.lastExpansion?.key === fold(query).trim() ? this.lastExpansion.expansions : undefined;
    if (expansions === undefined) return undefined;
    return (term, maxDistance) => {
      const expansion = expansions.find((e) => e.term === term);
      if (expansion === undefined || expansion.reach < maxDistance) return undefined;
      return expansion.near.flatMap(([word, , d]) => (d <= maxDistance ? [[word, d] as const] : []));
    };
  }

  /**
   * The partitions a `mode` search for `query` can find anything in: a superset, never one too few, except that
   * `suggest` asks at most SUGGEST_PARTITIONS, those holding the closest words (the word itself, then a longer
   * word it starts, then by edit distance). A "did you mean" lists five names; a mistyped word that is near
   * common syllables is near words in every organisation, and asking all forty was the slowest kind of query.
   */
  partitionsFor(mode: SearchMode, query: string): number[] {
    const { fuzzy, combineWith } = SEARCH_MODES[mode];
    let result: Map<number, number> | undefined;
    for (const { term, exact, prefixed, near } of this.expand(query)) {
      /** Partition → how far its closest word is: 0 the word itself, 1 a prefix, 1 + edit distance. */
      const found = new Map<number, number>();
      const add = (partitions: readonly number[] | undefined, distance: number) =>
        partitions?.forEach((p) => found.set(p, Math.min(found.get(p) ?? distance, distance)));
      add(exact, 0);
      for (const partitions of prefixed) add(partitions, 1);
      // A partition that holds the word searches it as it is (`FuzzyIndex`); the others may expand it.
      const allowed = fuzzy(term);
      for (const [, partitions, d] of near) if (d <= allowed) add(partitions, 1 + d);
      if (result === undefined) result = found;
      else if (combineWith === 'AND') {
        for (const [p, d] of result) {
          const other = found.get(p);
          if (other === undefined) result.delete(p);
          else result.set(p, Math.max(d, other));
        }
      } else for (const [p, d] of found) result.set(p, Math.min(result.get(p) ?? d, d));
    }
    if (result === undefined) return [];
    const partitions = [...result.keys()];
    if (mode !== 'suggest' || partitions.length <= SUGGEST_PARTITIONS) return partitions;
    return partitions.sort((a, b) => result!.get(a)! - result!.get(b)!).slice(0, SUGGEST_PARTITIONS);
  }
}
