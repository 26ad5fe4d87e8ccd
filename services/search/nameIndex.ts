import MiniSearch, { type SearchResult } from 'minisearch';
import SearchableMap from 'minisearch/SearchableMap';
import { fold, normaliseKey } from '../nlu/normalise.js';

/**
 * A name index: an exact map on normalised keys first (one Map lookup: the hot path), then MiniSearch for typos,
 * missing diacritics, partial names and abbreviations. Systems and people are both found through it.
 *
 * The "one, several or none" rule, the same for everything searched:
 * 1. Exact (a name or alias equal after normalisation): one hit in the preferred organisation wins; else a single
 *    exact hit wins; else several exact hits are candidates (preferred organisation first).
 * 2. Otherwise fuzzy (items matching every word if any do, else any word): hits ranked by score, ties (across
 *    organisations, near-ties: see `ranked`) broken towards the preferred organisation. The top hit wins when it
 *    scores at least CLEAR_MARGIN times the next and matched at least half of the query's words; otherwise the
 *    best MAX_CANDIDATES are candidates.
 * 3. No hit at all: none (callers then ask `suggest`, which searches more loosely).
 */

export const MAX_CANDIDATES = 8;
export const CLEAR_MARGIN = 1.5;

export interface Hit<T> {
  item: T;
  /** MiniSearch score; exact hits carry Infinity so they sort first. */
  score: number;
  exact: boolean;
}

export type MatchResult<T> =
  | { kind: 'one'; hit: Hit<T>; hits: Hit<T>[] }
  | { kind: 'several'; hits: Hit<T>[] }
  | { kind: 'none'; hits: Hit<T>[] };

export interface SearchScope {
  /** Only items of these organisations (all when absent). */
  organisationIds?: ReadonlySet<string>;
  /** Tie-break and exact-hit preference: the asker's organisation. */
  preferOrganisationId?: string;
}

export interface NameIndexSpec<T> {
  id(item: T): string;
  organisationId(item: T): string | undefined;
  /** Strings that, normalised, name the item exactly. */
  exactKeys(item: T): readonly string[];
  /**
   * Whether searches limited to one organisation are frequent enough to keep an index per organisation (see
   * NameIndex). Absent or false: they search the global index and filter.
   */
  indexPerOrganisation?: boolean;
  /** Text fields for the fuzzy index, with their boosts. */
  fields: Record<string, { boost: number; values(item: T): readonly string[] }>;
}

/** Folds diacritics so "lifecäre", "Lifecare" and "lifecare" index and search alike; drops empty terms. */
function processTerm(term: string): string | null {
  const folded = fold(term);
  return folded.length > 0 ? folded : null;
}

/**
 * Fuzziness by word length, kept small because the cost of a fuzzy lookup grows fast with the edit distance. Words
 * with digits ("360", "p360") are identifiers: a typo there is rarer than a near neighbour ("361"), so no fuzz.
 */
function fuzziness(term: string): number {
  if (term.length < 4 || /\d/.test(term)) return 0;
  if (term.length < 9) return 1;
  return 2;
}

/** `suggest` allows one more typo in short words than `find`. */
function looseFuzziness(term: string): number {
  return term.length < 3 ? 0 : term.length < 7 ? 1 : 2;
}

/** Prefixes from four letters, or three for the last word (the one still being typed). */
function prefix(term: string, index: number, terms: string[]): boolean {
  return term.length >= 4 || (term.length === 3 && index === terms.length - 1);
}

/**
 * `find` accepts small typos and prefixes; `suggest` allows one more typo in short words. `find` first asks for
 * every word (AND: fewer, better results, and measurably cheaper on a large register), then for any word (OR).
 * A query word that is itself a word of the index ("visma", "360", "pro") is searched as it is, without typos
 * or prefixes (see `FuzzyIndex`). Every mode is searched with its own `combineWith` (the AND pass used to be
 * overridden to OR, so `find` ran the same broad search twice).
 */
const SEARCH_MODES = {
  findAll: { fuzzy: fuzziness, combineWith: 'AND' },
  findAny: { fuzzy: fuzziness, combineWith: 'OR' },
  suggest: { fuzzy: looseFuzziness, combineWith: 'OR' },
} as const;
type SearchMode = keyof typeof SEARCH_MODES;
/**
 * Fuzzy results are remembered per query and scope (the index is per register revision, so nothing goes stale).
 * Small on purpose: it spares a user who repeats a question, not the cost of a new one.
 */
const FUZZY_CACHE_SIZE = 1000;
/**
 * See `TermRouter.partitionsFor`. Chosen on the benchmark register (40 organisations, 500 cross-organisation
 * queries): 8 dropped two of the five intended systems that asking all organisations suggested, 16 dropped none
 * and took that kind's p99 from 1.8 to 1.2 ms.
 */
const SUGGEST_PARTITIONS = 16;

/** Splits and folds text exactly as the MiniSearch indexes do, so vocabulary checks see the same terms. */
const tokenize = MiniSearch.getDefault('tokenize') as (text: string) => string[];
function indexTerms(text: string): string[] {
  return tokenize(text).flatMap((t) => processTerm(t) ?? []);
}

/**
 * One MiniSearch index. A query word the index holds exactly (`known`) is looked up as it is: expanding such a
 * word with typos and prefixes is what made common words ("pro" → every "Pro…", "direkt" → "direkte") score
 * thousands of documents on a 10,000-system register, and it almost never changes the answer: the exact word
 * already matches. The last query of each mode is kept: the question path asks `find` then `suggest` for the
 * same words (results run to thousands, so only the last, never a cache of them).
 */
class FuzzyIndex {
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
type NearWords = (term: string, maxDistance: number) => readonly (readonly [string, number])[] | undefined;

/** The radix tree inside a MiniSearch SearchableMap (a private field), when it is the Map this module expects. */
function radixTreeOf(map: unknown): Map<string, unknown> | undefined {
  const tree = (map as { _tree?: unknown } | undefined)?._tree;
  return tree instanceof Map ? (tree as Map<string, unknown>) : undefined;
}

/**
 * The order in which MiniSearch's fuzzy lookup (`fuzzySearch`/`recurse` in minisearch) meets the words of a radix
 * tree: depth first, each node's keys in their order, the leaf key '' marking a word.
 */
export function walkOrder(tree: Map<string, unknown>): Map<string, number> {
  const order = new Map<string, number>();
  const walk = (node: Map<string, unknown>, prefix: string) => {
    for (const [key, child] of node) {
      if (key === '') order.set(prefix, order.size);
      else walk(child as Map<string, unknown>, prefix + key);
    }
  };
  walk(tree, '');
  return order;
}

/** The distinct index terms of some documents' fields. */
function vocabularyOf(
  documents: readonly Record<string, string>[],
  fieldNames: readonly string[],
): Set<string> {
  const vocabulary = new Set<string>();
  for (const document of documents) {
    for (const name of fieldNames) for (const term of indexTerms(document[name] ?? '')) vocabulary.add(term);
  }
  return vocabulary;
}

/**
 * Words in a character trie of typed arrays, for one query: every word within an edit distance, with its
 * (Levenshtein) distance, in the order of `order` (the walk order of the radix tree they came from, so results
 * come in the order MiniSearch's `fuzzyGet` gives them). The same banded Levenshtein walk as MiniSearch's
 * `fuzzySearch` (rows added as the walk descends, a branch left once a whole row exceeds the distance), over
 * numbers instead of Maps and strings.
 */
export class WordTrie {
  private readonly words: string[];
  /** Per node: first child, next sibling, character code, the word ending here (-1: none). Node 0 is the root. */
  private readonly firstChild: Int32Array;
  private readonly nextSibling: Int32Array;
  private readonly char: Uint16Array;
  private readonly wordAt: Int32Array;

  constructor(order: ReadonlyMap<string, number>) {
    this.words = [...order.keys()];
    let capacity = 1;
    for (const word of this.words) capacity += word.length;
    const firstChild = new Int32Array(capacity).fill(-1);
    const nextSibling = new Int32Array(capacity).fill(-1);
    const lastChild = new Int32Array(capacity).fill(-1);
    const char = new Uint16Array(capacity);
    const wordAt = new Int32Array(capacity).fill(-1);
    let nodes = 1;
    this.words.forEach((word, index) => {
      let node = 0;
      for (let i = 0; i < word.length; i += 1) {
        const code = word.charCodeAt(i);
        let child = firstChild[node]!;
        while (child !== -1 && char[child] !== code) child = nextSibling[child]!;
        if (child === -1) {
          child = nodes;
          nodes += 1;
          char[child] = code;
          if (lastChild[node] === -1) firstChild[node] = child;
          else nextSibling[lastChild[node]!] = child;
          lastChild[node] = child;
        }
        node = child;
      }
      wordAt[node] = index;
    });
    this.firstChild = firstChild.slice(0, nodes);
    this.nextSibling = nextSibling.slice(0, nodes);
    this.char = char.slice(0, nodes);
    this.wordAt = wordAt.slice(0, nodes);
  }

  /** [word, distance] for every word at most `maxDistance` edits from `query`, in `order`. */
  within(query: string, maxDistance: number): [string, number][] {
    const n = query.length + 1;
    const rows = n + maxDistance;
    const codes = new Uint16Array(query.length);
    for (let j = 0; j < query.length; j += 1) codes[j] = query.charCodeAt(j);
    // Row i: the distances between the first i characters of the trie path and each prefix of the query.
    const matrix = new Uint8Array(rows * n).fill(maxDistance + 1);
    for (let j = 0; j < n; j += 1) matrix[j] = j;
    for (let i = 1; i < rows; i += 1) matrix[i * n] = i;
    const found: number[] = [];
    const distances: number[] = [];
    const { firstChild, nextSibling, char, wordAt } = this;
    const visit = (node: number, i: number): void => {
      // Deeper than the longest word within reach: nothing below can match.
      if (i >= rows) return;
      for (let child = firstChild[node]!; child !== -1; child = nextSibling[child]!) {
        const code = char[child]!;
        const row = n * i;
        const previous = row - n;
        let minDistance = matrix[row]!;
        const jmin = Math.max(0, i - maxDistance - 1);
        const jmax = Math.min(n - 1, i + maxDistance);
        for (let j = jmin; j < jmax; j += 1) {
          const replace = matrix[previous + j]! + (code === codes[j] ? 0 : 1);
          const remove = matrix[previous + j + 1]! + 1;
          const insert = matrix[row + j]! + 1;
          const distance = Math.min(replace, remove, insert);
          matrix[row + j + 1] = distance;
          if (distance < minDistance) minDistance = distance;
        }
        if (minDistance > maxDistance) continue;
        const word = wordAt[child]!;
        if (word !== -1 && matrix[row + n - 1]! <= maxDistance) {
          found.push(word);
          distances.push(matrix[row + n - 1]!);
        }
        visit(child, i + 1);
      }
    };
    visit(0, 1);
    const byOrder = found.map((_, k) => k).sort((a, b) => found[a]! - found[b]!);
    return byOrder.map((k) => [this.words[found[k]!]!, distances[k]!]);
  }
}

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

class TermRouter {
  private readonly partitionsByTerm = new SearchableMap<number[]>();
  /** The same words for fuzzy lookups (`near`), built on first use once every word is added. */
  private words?: WordTrie;
  private lastExpansion?: { key: string; expansions: Expansion[] };

  add(term: string, partition: number): void {
    this.words = undefined;
    const partitions = this.partitionsByTerm.get(term);
    if (partitions === undefined) this.partitionsByTerm.set(term, [partition]);
    else if (partitions[partitions.length - 1] !== partition) partitions.push(partition);
  }

  has(term: string, partition: number): boolean {
    return this.partitionsByTerm.get(term)?.includes(partition) ?? false;
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
        exact: this.partitionsByTerm.get(term),
        prefixed: prefix(term, i, terms) ? [...this.partitionsByTerm.atPrefix(term).values()] : [],
        near: distance > 0 ? this.near(term, distance) : [],
        reach: distance,
      };
    });
    this.lastExpansion = { key, expansions };
    return expansions;
  }

  /**
   * `partitionsByTerm.fuzzyGet(term, distance)` as [word, partitions, distance], in the same order, from a
   * `WordTrie` of the same words: the search of all organisations' words for a word two edits away was the
   * largest single cost of a question that names no system exactly.
   */
  private near(term: string, distance: number): (readonly [string, readonly number[], number])[] {
    const tree = radixTreeOf(this.partitionsByTerm);
    if (tree === undefined) {
      // Another MiniSearch than this was written for: its own lookup (same words, slower).
      return [...this.partitionsByTerm.fuzzyGet(term, distance)].map(
        ([word, [partitions, d]]) => [word, partitions, d] as const,
      );
    }
    this.words ??= new WordTrie(walkOrder(tree));
    return this.words
      .within(term, distance)
      .map(([word, d]) => [word, this.partitionsByTerm.get(word)!, d] as const);
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

/**
 * With `indexPerOrganisation`, one MiniSearch index per organisation and none over all: the question path searches
 * the asker's organisation first (a few hundred systems), and MiniSearch cannot limit a search to some documents
 * before scoring them, so a scoped search of one global index scored every organisation's matches and threw most
 * away (measured on 10,000 systems / 40 organisations: p99 1.9 ms with a global index, 0.7 ms per organisation).
 * A search of all organisations asks the partitions a `TermRouter` names and merges their results by score.
 * Scores come from each organisation's own word statistics: comparable across organisations of similar size,
 * not identical to one global ranking. Not a global index as well: the two together took ~30 MB more heap than
 * one, and pushed the server over its memory target.
 */
export class NameIndex<T> {
  private readonly exact = new Map<string, T[]>();
  private readonly byId = new Map<string, T>();
  /** Partition 0 holds everything unless `indexPerOrganisation`; then one per organisation (and one for none). */
  private readonly partitions: FuzzyIndex[] = [];
  private readonly partitionOf = new Map<string, number>();
  private readonly router?: TermRouter;
  private readonly lastRouted: Partial<Record<SearchMode, { key: string; results: SearchResult[] }>> = {};
  private readonly spec: NameIndexSpec<T>;
  private readonly cache = new Map<string, MatchResult<T>>();

  constructor(items: readonly T[], spec: NameIndexSpec<T>) {
    this.spec = spec;
    const fieldNames = Object.keys(spec.fields);
    const boosts = Object.fromEntries(fieldNames.map((name) => [name, spec.fields[name]!.boost]));
    const documentsByPartition = new Map<string, Record<string, string>[]>();
    for (const item of items) {
      const id = spec.id(item);
      this.byId.set(id, item);
      const keys = new Set(
        spec
          .exactKeys(item)
          .map(normaliseKey)
          .filter((k) => k.length > 0),
      );
      for (const key of keys) {
        const list = this.exact.get(key);
        if (list) list.push(item);
        else this.exact.set(key, [item]);
      }
      const document: Record<string, string> = { id };
      for (const name of fieldNames) document[name] = spec.fields[name]!.values(item).join(' \n ');
      const partition = spec.indexPerOrganisation ? (spec.organisationId(item) ?? '') : '';
      const list = documentsByPartition.get(partition);
      if (list) list.push(document);
      else documentsByPartition.set(partition, [document]);
    }
    if (!spec.indexPerOrganisation) {
      const vocabulary = vocabularyOf(documentsByPartition.get('') ?? [], fieldNames);
      this.partitions.push(
        new FuzzyIndex(documentsByPartition.get('') ?? [], fieldNames, boosts, (t) => vocabulary.has(t)),
      );
      return;
    }
    const router = new TermRouter();
    this.router = router;
    for (const [organisationId, documents] of documentsByPartition) {
      const partition = this.partitions.length;
      for (const term of vocabularyOf(documents, fieldNames)) router.add(term, partition);
      this.partitionOf.set(organisationId, partition);
      this.partitions.push(new FuzzyIndex(documents, fieldNames, boosts, (t) => router.has(t, partition)));
    }
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: string): T | undefined {
    return this.byId.get(id);
  }

  /** The items a key already normalised with `normaliseKey` names exactly, in any organisation: one Map lookup. */
  byKey(key: string): readonly T[] | undefined {
    return this.exact.get(key);
  }

  /** Finds what `query` names, by the rule in this module's comment. Results are shared: do not mutate them. */
  find(query: string, scope: SearchScope = {}): MatchResult<T> {
    const exact = this.findExact(query, scope);
    if (exact) return exact;
    const key = cacheKey(query, scope);
    const cached = this.cache.get(key);
    if (cached) return cached;
    const result = this.findFuzzy(query, scope);
    if (this.cache.size >= FUZZY_CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, result);
    return result;
  }

  /**
   * Step 1 of the rule alone: what `find` answers when `query` is exactly a name or alias in the scope, else
   * undefined. A Map lookup, for callers that only need to know whether a name exists exactly.
   */
  findExact(query: string, scope: SearchScope = {}): MatchResult<T> | undefined {
    const exact = this.exactHits(query, scope);
    if (exact.length === 0) return undefined;
    const preferred = exact.filter((item) => this.inPreferred(item, scope));
    if (preferred.length === 1) return this.one(preferred[0]!, exact);
    if (exact.length === 1) return this.one(exact[0]!, exact);
    const ordered = [...preferred, ...exact.filter((item) => !this.inPreferred(item, scope))];
    return { kind: 'several', hits: ordered.slice(0, MAX_CANDIDATES).map((item) => exactHit(item)) };
  }

  private findFuzzy(query: string, scope: SearchScope): MatchResult<T> {
    const terms = queryTermCount(query);
    if (terms === 0) return { kind: 'none', hits: [] };
    const all = this.ranked(this.raw('findAll', query, scope), scope, MAX_CANDIDATES);
    const ranked =
      all.length > 0 || !this.mayMatchAnyWord(query, scope, terms)
        ? all
        : this.ranked(this.raw('findAny', query, scope), scope, MAX_CANDIDATES);
    if (ranked.length === 0) return { kind: 'none', hits: [] };
    const hits = ranked.map((r) => this.hit(r));
    const [top, next] = ranked as [SearchResult, SearchResult | undefined];
    const clear =
      (next === undefined || top.score >= CLEAR_MARGIN * next.score) && top.queryTerms.length * 2 >= terms;
    return clear ? { kind: 'one', hit: hits[0]!, hits } : { kind: 'several', hits };
  }

  /**
   * Whether the "any word" search can find anything once "every word" found nothing. Not with one word (then they
   * are the same search). Otherwise asks `suggest`'s search, which finds a superset (at least as many typos per
   * word, the same prefixes, any word): when it is empty, so is the other. Measured worth it on the register
   * benchmark: a query that matches nothing (mistyped beyond recognition, or not a system at all) is the costly
   * kind, and its "no match" answer asks for exactly that search next, so it is kept and not repeated.
   */
  private mayMatchAnyWord(query: string, scope: SearchScope, terms: number): boolean {
    return terms > 1 && this.ranked(this.raw('suggest', query, scope), scope, 1).length > 0;
  }

  /** The closest items for a "did you mean": looser than `find` (more typos allowed in short words). */
  suggest(query: string, scope: SearchScope = {}, limit = 5): Hit<T>[] {
    if (queryTermCount(query) === 0) return [];
    return this.ranked(this.raw('suggest', query, scope), scope, limit).map((r) => this.hit(r));
  }

  private exactHits(query: string, scope: SearchScope): T[] {
    const all = this.exact.get(normaliseKey(query)) ?? [];
    const scoped = scope.organisationIds ? all.filter((item) => this.inScope(item, scope)) : all;
    return [...new Set(scoped)];
  }

  /**
   * MiniSearch's results for `query`, best first, from the smallest index that holds the whole scope: one
   * organisation's when the scope is one organisation; else all (`ranked` then filters).
   */
  private raw(mode: SearchMode, query: string, scope: SearchScope): SearchResult[] {
    if (this.router === undefined) return this.partitions[0]?.raw(mode, query) ?? [];
    const organisations = scope.organisationIds;
    if (organisations?.size === 1) {
      const [organisationId] = organisations;
      const partition = this.partitionOf.get(organisationId!);
      return partition === undefined
        ? []
        : this.partitions[partition]!.raw(mode, query, this.router.nearWords(query));
    }
    const key = fold(query).trim();
    const last = this.lastRouted[mode];
    if (last?.key === key) return last.results;
    const router = this.router;
    const partitions = router.partitionsFor(mode, query);
    const near = router.nearWords(query);
    const results = partitions
      .flatMap((partition) => this.partitions[partition]!.raw(mode, query, near))
      .sort((a, b) => b.score - a.score);
    this.lastRouted[mode] = { key, results };
    return results;
  }

  /**
   * The best `limit` results within the scope, ties broken towards the preferred organisation. Walks the
   * score-ordered results only as far as needed (up to `limit` and anything that could tie with the last kept).
   * With an index per organisation, the same name scores differently in two organisations (each has its own word
   * statistics), so there a preferred organisation's hit ties with any other that does not beat it clearly, by
   * CLEAR_MARGIN; `findFuzzy` then never calls it "one" over a close rival.
   */
  private ranked(results: readonly SearchResult[], scope: SearchScope, limit: number): SearchResult[] {
    const organisations = scope.organisationIds;
    const preferred = scope.preferOrganisationId;
    const slack = this.router !== undefined && preferred !== undefined ? CLEAR_MARGIN : 1;
    const isPreferred = (r: SearchResult) => preferred !== undefined && this.organisationOf(r) === preferred;
    const rank = (r: SearchResult) =>
      isPreferred(r) ? Math.min(r.score * slack, results[0]!.score) : r.score;
    const kept: SearchResult[] = [];
    for (const result of results) {
      if (organisations && !organisations.has(this.organisationOf(result) ?? '')) continue;
      if (kept.length >= limit && result.score * slack < kept[kept.length - 1]!.score) break;
      kept.push(result);
    }
    if (preferred !== undefined) {
      kept.sort((a, b) => rank(b) - rank(a) || Number(isPreferred(b)) - Number(isPreferred(a)));
    }
    return kept.slice(0, limit);
  }

  /** Read from the item, not stored in MiniSearch: a stored field costs a copy per document in every index. */
  private organisationOf(result: SearchResult): string | undefined {
    return this.spec.organisationId(this.byId.get(result.id as string)!);
  }

  private hit(result: SearchResult): Hit<T> {
    return { item: this.byId.get(result.id as string)!, score: result.score, exact: false };
  }

  private one(item: T, exact: readonly T[]): MatchResult<T> {
    const hit = exactHit(item);
    return { kind: 'one', hit, hits: [hit, ...exact.filter((i) => i !== item).map((i) => exactHit(i))] };
  }

  private inScope(item: T, scope: SearchScope): boolean {
    const organisationId = this.spec.organisationId(item);
    return (
      scope.organisationIds === undefined ||
      (organisationId !== undefined && scope.organisationIds.has(organisationId))
    );
  }

  private inPreferred(item: T, scope: SearchScope): boolean {
    return (
      scope.preferOrganisationId !== undefined &&
      this.spec.organisationId(item) === scope.preferOrganisationId
    );
  }
}

function exactHit<T>(item: T): Hit<T> {
  return { item, score: Number.POSITIVE_INFINITY, exact: true };
}

function cacheKey(query: string, scope: SearchScope): string {
  const organisations = scope.organisationIds ? [...scope.organisationIds].sort().join(',') : '*';
  return `${fold(query).trim()}\u0000${organisations}\u0000${scope.preferOrganisationId ?? ''}`;
}

function queryTermCount(query: string): number {
  return fold(query)
    .split(/[\s\p{P}]+/u)
    .filter((t) => t.length > 0).length;
}
