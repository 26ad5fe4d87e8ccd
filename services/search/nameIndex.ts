import type { SearchResult } from 'minisearch';
import { fold, normaliseKey } from '../nlu/normalise.js';
import { FuzzyIndex } from './fuzzyIndex.js';
import { type SearchMode, vocabularyOf } from './searchTerms.js';
import { TermRouter } from './termRouter.js';

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

/**
 * Fuzzy results are remembered per query and scope (the index is per register revision, so nothing goes stale).
 * Small on purpose: it spares a user who repeats a question, not the cost of a new one.
 */
const FUZZY_CACHE_SIZE = 1000;

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
  /**
   * Normalised key → the item it names, or the items when several do: most keys name one item, and an array for
   * each of 40,000 keys was a tenth of the system index's heap. (So T is never an array itself.)
   */
  private readonly exact = new Map<string, T | T[]>();
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
        const named = this.exact.get(key);
        if (named === undefined) this.exact.set(key, item);
        else if (Array.isArray(named)) named.push(item);
        else this.exact.set(key, [named, item]);
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
    const named = this.exact.get(key);
    if (named === undefined) return undefined;
    return Array.isArray(named) ? (named as T[]) : [named as T];
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
    const all = this.byKey(normaliseKey(query)) ?? [];
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
