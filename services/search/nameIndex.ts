import MiniSearch, { type SearchResult } from 'minisearch';
import { fold, normaliseKey } from '../nlu/normalise.js';

/**
 * A name index: an exact map on normalised keys first (one Map lookup: the hot path), then MiniSearch for typos,
 * missing diacritics, partial names and abbreviations. Systems and people are both found through it.
 *
 * The "one, several or none" rule, the same for everything searched:
 * 1. Exact (a name or alias equal after normalisation): one hit in the preferred organisation wins; else a single
 *    exact hit wins; else several exact hits are candidates (preferred organisation first).
 * 2. Otherwise fuzzy (items matching every word if any do, else any word): hits ranked by score, ties broken
 *    towards the preferred organisation. The top hit wins when it scores at least CLEAR_MARGIN times the next and
 *    matched at least half of the query's words; otherwise the best MAX_CANDIDATES are candidates.
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

const ORG_FIELD = '__org';

/** Prefixes from four letters, or three for the last word (the one still being typed). */
function prefix(term: string, index: number, terms: string[]): boolean {
  return term.length >= 4 || (term.length === 3 && index === terms.length - 1);
}

/**
 * `find` accepts small typos and prefixes; `suggest` allows one more typo in short words. `find` first asks for
 * every word (AND: fewer, better results, and measurably cheaper on a large register), then for any word (OR).
 */
const SEARCH_MODES = {
  findAll: { fuzzy: fuzziness, prefix, combineWith: 'AND' },
  findAny: { fuzzy: fuzziness, prefix, combineWith: 'OR' },
  suggest: {
    fuzzy: (term: string) => (term.length < 3 ? 0 : term.length < 7 ? 1 : 2),
    prefix,
    maxFuzzy: 2,
    combineWith: 'OR',
  },
} as const;
type SearchMode = keyof typeof SEARCH_MODES;
/**
 * Fuzzy results are remembered per query and scope (the index is per register revision, so nothing goes stale):
 * exact hits cost a Map lookup, but a fuzzy search over 10,000 systems with common words costs milliseconds.
 */
const FUZZY_CACHE_SIZE = 1000;

export class NameIndex<T> {
  private readonly exact = new Map<string, T[]>();
  private readonly byId = new Map<string, T>();
  private readonly search: MiniSearch;
  private readonly spec: NameIndexSpec<T>;
  private readonly cache = new Map<string, MatchResult<T>>();
  private readonly lastRaw: Partial<Record<SearchMode, { key: string; results: SearchResult[] }>> = {};

  constructor(items: readonly T[], spec: NameIndexSpec<T>) {
    this.spec = spec;
    const fieldNames = Object.keys(spec.fields);
    this.search = new MiniSearch({
      fields: fieldNames,
      storeFields: [ORG_FIELD],
      processTerm,
      searchOptions: { processTerm },
    });
    const documents: Record<string, string>[] = [];
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
      const document: Record<string, string> = { id, [ORG_FIELD]: spec.organisationId(item) ?? '' };
      for (const name of fieldNames) document[name] = spec.fields[name]!.values(item).join(' \n ');
      documents.push(document);
    }
    this.search.addAll(documents);
    this.boosts = Object.fromEntries(fieldNames.map((name) => [name, spec.fields[name]!.boost]));
  }

  private readonly boosts: Record<string, number>;

  get size(): number {
    return this.byId.size;
  }

  get(id: string): T | undefined {
    return this.byId.get(id);
  }

  /** Finds what `query` names, by the rule in this module's comment. Results are shared: do not mutate them. */
  find(query: string, scope: SearchScope = {}): MatchResult<T> {
    const exact = this.exactHits(query, scope);
    if (exact.length > 0) {
      const preferred = exact.filter((item) => this.inPreferred(item, scope));
      if (preferred.length === 1) return this.one(preferred[0]!, exact);
      if (exact.length === 1) return this.one(exact[0]!, exact);
      const ordered = [...preferred, ...exact.filter((item) => !this.inPreferred(item, scope))];
      return { kind: 'several', hits: ordered.slice(0, MAX_CANDIDATES).map((item) => exactHit(item)) };
    }
    const key = cacheKey(query, scope);
    const cached = this.cache.get(key);
    if (cached) return cached;
    const result = this.findFuzzy(query, scope);
    if (this.cache.size >= FUZZY_CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, result);
    return result;
  }

  private findFuzzy(query: string, scope: SearchScope): MatchResult<T> {
    const terms = queryTermCount(query);
    if (terms === 0) return { kind: 'none', hits: [] };
    const all = this.ranked(this.raw('findAll', query), scope, MAX_CANDIDATES);
    const ranked = all.length > 0 ? all : this.ranked(this.raw('findAny', query), scope, MAX_CANDIDATES);
    if (ranked.length === 0) return { kind: 'none', hits: [] };
    const hits = ranked.map((r) => this.hit(r));
    const [top, next] = ranked as [SearchResult, SearchResult | undefined];
    const clear =
      (next === undefined || top.score >= CLEAR_MARGIN * next.score) && top.queryTerms.length * 2 >= terms;
    return clear ? { kind: 'one', hit: hits[0]!, hits } : { kind: 'several', hits };
  }

  /** The closest items for a "did you mean": looser than `find` (more typos allowed in short words). */
  suggest(query: string, scope: SearchScope = {}, limit = 5): Hit<T>[] {
    if (queryTermCount(query) === 0) return [];
    return this.ranked(this.raw('suggest', query), scope, limit).map((r) => this.hit(r));
  }

  private exactHits(query: string, scope: SearchScope): T[] {
    const all = this.exact.get(normaliseKey(query)) ?? [];
    const scoped = scope.organisationIds ? all.filter((item) => this.inScope(item, scope)) : all;
    return [...new Set(scoped)];
  }

  /**
   * MiniSearch's results for a query over all organisations, best first. The last query of each mode is kept:
   * the question path asks for the same words in the asker's organisation and then in all, and one search
   * serves both (results of common words run to thousands, so only one is kept, never a cache of them).
   */
  private raw(mode: SearchMode, query: string): SearchResult[] {
    const key = fold(query).trim();
    const last = this.lastRaw[mode];
    if (last?.key === key) return last.results;
    const results = this.search.search(query, {
      ...SEARCH_MODES[mode],
      boost: this.boosts,
      combineWith: 'OR',
    });
    this.lastRaw[mode] = { key, results };
    return results;
  }

  /**
   * The best `limit` results within the scope, ties broken towards the preferred organisation. Walks the
   * score-ordered results only as far as needed (up to `limit` and anything tied with the last one kept).
   */
  private ranked(results: readonly SearchResult[], scope: SearchScope, limit: number): SearchResult[] {
    const organisations = scope.organisationIds;
    const kept: SearchResult[] = [];
    for (const result of results) {
      if (organisations && !organisations.has(result[ORG_FIELD] as string)) continue;
      if (kept.length >= limit && result.score < kept[kept.length - 1]!.score) break;
      kept.push(result);
    }
    const preferred = scope.preferOrganisationId;
    if (preferred !== undefined) {
      kept.sort(
        (a, b) =>
          b.score - a.score || Number(b[ORG_FIELD] === preferred) - Number(a[ORG_FIELD] === preferred),
      );
    }
    return kept.slice(0, limit);
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
