import type SearchableMap from 'minisearch/SearchableMap';
import { radixTreeOf, walkOrder, WordTrie } from './wordTrie.js';

/**
 * The words of a MiniSearch `SearchableMap` that will not change again, with their values, answering the lookups
 * the name index makes of it — `get`, `has`, `atPrefix` and `fuzzyGet` — with the same words, values and order.
 * A SearchableMap is a radix tree with a Map at every node: on a 10,000-system register some 50,000 small Maps
 * over the organisations' indexes and the TermRouter, most of what was left of their heap once the postings were
 * packed (packedPostings.ts). Here one Map (word → place), a few arrays and a `WordTrie` for typos.
 *
 * Orders, which decide how MiniSearch adds up scores and breaks ties:
 * - `fuzzyGet` gives words in the order of MiniSearch's own fuzzy lookup, the tree's walk order (`walkOrder`);
 * - `atPrefix` gives them in the tree's iteration order (a SearchableMap iterates each node's keys last first),
 *   the words under a prefix being in the same relative order as in the whole tree.
 */
export class FrozenWords<V> {
  /** Word → its place in walk order: the order of `fuzzyGet`, and the index of `values`, `words`, `rank`. */
  readonly order: Map<string, number>;
  private readonly words: string[];
  private readonly values: V[];
  /** By walk place: the place in the tree's iteration order. */
  private readonly rank: Int32Array;
  /** Walk places sorted by word (code units): the words under a prefix are one run of it. */
  private readonly sorted: Int32Array;
  private trie?: WordTrie;
  /** While a search runs (`during`): the words near some query words, known already (see FuzzyIndex). */
  private near?: NearWords;

  private constructor(
    map: SearchableMap<unknown>,
    tree: Map<string, unknown>,
    convert: (value: unknown) => V,
  ) {
    const walk = walkOrder(tree);
    this.words = new Array<string>(walk.size);
    this.values = new Array<V>(walk.size);
    this.rank = new Int32Array(walk.size);
    let iterated = 0;
    // The words as the map's iteration spells them (joined, flat strings), not as the walk does (concatenated).
    for (const [word, value] of map) {
      const place = walk.get(word)!;
      this.words[place] = word;
      this.values[place] = convert(value);
      this.rank[place] = iterated;
      iterated += 1;
    }
    this.order = new Map(this.words.map((word, place) => [word, place]));
    const words = this.words;
    this.sorted = Int32Array.from(words.keys()).sort((a, b) =>
      words[a]! < words[b]! ? -1 : words[a]! > words[b]! ? 1 : 0,
    );
  }

  /**
   * The words of `map`, each value passed through `convert`; undefined when `map` is not the radix tree this was
   * written for (another MiniSearch version), whose own lookups then stay in use.
   */
  static of<T, V = T>(
    map: SearchableMap<T>,
    convert: (value: T) => V = (value) => value as unknown as V,
  ): FrozenWords<V> | undefined {
    const tree = radixTreeOf(map);
    return tree === undefined
      ? undefined
      : new FrozenWords<V>(map as SearchableMap<unknown>, tree, convert as (value: unknown) => V);
  }

  get size(): number {
    return this.words.length;
  }

  get(word: string): V | undefined {
    const place = this.order.get(word);
    return place === undefined ? undefined : this.values[place];
  }

  has(word: string): boolean {
    return this.order.has(word);
  }

  /** [word, value] for every word that starts with `prefix` (itself too), in the tree's iteration order. */
  atPrefix(prefix: string): [string, V][] {
    const { words, sorted } = this;
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (words[sorted[middle]!]! < prefix) low = middle + 1;
      else high = middle;
    }
    const places: number[] = [];
    for (let i = low; i < sorted.length && words[sorted[i]!]!.startsWith(prefix); i += 1)
      places.push(sorted[i]!);
    places.sort((a, b) => this.rank[a]! - this.rank[b]!);
    return places.map((place) => [words[place]!, this.values[place]!]);
  }

  /**
   * What SearchableMap's `fuzzyGet(term, maxDistance)` returns: word → [value, distance] for every word within
   * `maxDistance` edits, in walk order. From the `near` words of the search running, when they reach that far;
   * else from this map's own `WordTrie` (the same banded walk, over typed arrays).
   */
  fuzzyGet(term: string, maxDistance: number): Map<string, [V, number]> {
    const known = this.near?.(term, maxDistance);
    if (known !== undefined) {
      const order = this.order;
      const found = known
        .filter(([word]) => order.has(word))
        .sort(([a], [b]) => order.get(a)! - order.get(b)!);
      return new Map(found.map(([word, distance]) => [word, [this.get(word)!, distance]]));
    }
    return new Map(this.within(term, maxDistance).map(([word, d]) => [word, [this.get(word)!, d]]));
  }

  /** [word, distance] for every word within `maxDistance` edits of `term`, in walk order. */
  within(term: string, maxDistance: number): [string, number][] {
    this.trie ??= new WordTrie(this.order);
    return this.trie.within(term, maxDistance);
  }

  /** Runs `search` with `near` answering `fuzzyGet` where it reaches (see FuzzyIndex.raw). */
  during<R>(near: NearWords | undefined, search: () => R): R {
    this.near = near;
    try {
      return search();
    } finally {
      this.near = undefined;
    }
  }
}

/**
 * For a query word and a maximal edit distance, the words within that distance in all organisations (with their
 * distance, any order), or undefined when they are not known that far.
 */
export type NearWords = (
  term: string,
  maxDistance: number,
) => readonly (readonly [string, number])[] | undefined;
