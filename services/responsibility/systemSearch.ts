import type { Language, Organisation, SystemRecord } from '../../data/model.js';
import type { Scope } from '../nlu/intent.js';
import { fold, normaliseKey } from '../nlu/normalise.js';
import type { Hit, MatchResult } from '../search/nameIndex.js';
import type { RegisterIndexes } from '../search/registerView.js';
import { lookupSystem, suggestSystems } from '../search/systemLookup.js';
import type { Answer } from './answers.js';
import { organisationNamed, registerKeepers, systemRef } from './registerReading.js';

/**
 * Which system a typed name means: the asker's organisation first and all organisations only when it has nothing
 * by that name (`lookupSystem`), a trailing organisation as a hint, typos and aliases; a choice when several fit,
 * "no match" with suggestions and the register's keepers when none does.
 */

/** The answers a system search gives when it does not find exactly one system. */
export type ChooseOrNoMatch = Extract<Answer, { kind: 'choose' | 'noMatch' }>;

export const SUGGESTION_LIMIT = 5;

export function findSystemIn(
  indexes: RegisterIndexes,
  home: Organisation | undefined,
  scope: Scope,
  language: Language,
  now: Date,
): { kind: 'one'; system: SystemRecord } | ChooseOrNoMatch {
  const hinted = scope.organisationHint ? organisationNamed(indexes, scope.organisationHint) : undefined;
  const query = hinted ? scope.query : scope.fullQuery;
  const found = lookupSystem(indexes.systems, query, {
    namedOrganisationId: hinted?.id,
    homeOrganisationId: home?.id,
  });
  let result = !hinted && home ? servingHome(indexes, found, home) : found;
  // The asker's own organisation named without the system ("Teams hjå oss i Fjordvik"): the one an organisation
  // of the asker's country (the inter-municipal IT service) runs, found by its exact name.
  if (result.kind === 'none' && hinted && home && hinted.id === home.id) {
    const serving = servingHome(indexes, lookupSystem(indexes.systems, query), home);
    const near = (h: Hit<SystemRecord>) => {
      const organisation = indexes.organisations.get(h.item.organisationId);
      return h.exact && organisation !== undefined && sameCountry(organisation, home);
    };
    if (serving.kind !== 'none' && serving.hits.every(near)) result = serving;
  }
  const shared =
    result.kind !== 'one'
      ? []
      : result.hit.exact
        ? aliasNamesakes(indexes, result.hit.item, query)
        : sharedWordHits(result.hits, query);
  if (shared.length > 1) {
    return {
      kind: 'choose',
      language,
      query,
      candidates: shared.map((h) => systemRef(indexes, h.item)),
    };
  }
  if (result.kind === 'one') return { kind: 'one', system: result.hit.item };
  if (result.kind === 'several') {
    // A word every hit holds whole ("Online"): all of them, also those found by an alias and scored lower ("Omgo
    // Online" of Omgo), which the score share below would drop.
    const holders = result.hits[0]!.exact ? [] : sharedWordHits(result.hits, query);
    if (holders.length > 1) {
      const candidates = holders.map((h) => systemRef(indexes, h.item));
      return { kind: 'choose', language, query, candidates };
    }
    const hits = closeChoices(result.hits, query);
    if (hits.length === 1) return { kind: 'one', system: hits[0]!.item };
    const shared = hits[0]!.exact ? hits : sharedWordHits(hits, query);
    if (shared.length > 1) {
      const candidates = shared.map((h) => systemRef(indexes, h.item));
      return { kind: 'choose', language, query, candidates };
    }
    // No name holds the typed words as they are: a typo, so the closest two or three as "did you mean".
    const candidates = hits.slice(0, DID_YOU_MEAN_LIMIT).map((h) => systemRef(indexes, h.item));
    return { kind: 'choose', language, query, candidates, didYouMean: true };
  }
  const suggestions = suggestSystems(indexes.systems, query, (hinted ?? home)?.id, SUGGESTION_LIMIT).map(
    (h) => systemRef(indexes, h.item),
  );
  const keepers = home ? registerKeepers(indexes, home, now) : [];
  const answer: ChooseOrNoMatch = { kind: 'noMatch', language, query, suggestions, registerKeepers: keepers };
  if (home) answer.organisation = home;
  return answer;
}

/**
 * "Time Care" is an alias of Time Care Planering, and Time Care Pool's name holds it too: a name typed exactly as
 * an alias (not the system's own name) that other systems of the same organisation carry as whole words in
 * their names is a choice of them all. Empty when the query is the system's name or nobody shares it.
 */
function aliasNamesakes(indexes: RegisterIndexes, system: SystemRecord, query: string): Hit<SystemRecord>[] {
  if (normaliseKey(system.name) === normaliseKey(query)) return [];
  const scope = { organisationIds: new Set([system.organisationId]) };
  const others = sharedWordHits(
    [{ item: system, score: 1, exact: false }, ...indexes.systems.suggest(query, scope, 8)],
    query,
    true,
  );
  const unique = [...new Map(others.map((h) => [h.item.id, h])).values()];
  return unique.length > 1 ? unique : [];
}

/** Words of a typed system name that say only "system" ("LSS-systemet", "the HR system"). */
const GENERIC_NAME_WORDS = new Set([
  'system',
  'systemet',
  'systems',
  'systemer',
  'systema',
  'systemen',
  'fagsystem',
  'fagsystemet',
  'programmet',
  'program',
  'appen',
  'app',
  'the',
]);

/** How many close readings a "did you mean" offers. */
const DID_YOU_MEAN_LIMIT = 3;

const NORWEGIAN: ReadonlySet<Language> = new Set(['nn', 'nb']);

/** Whether two organisations are in one country (an IT service serves municipalities of its own country). */
function sameCountry(a: Organisation, b: Organisation): boolean {
  return a.language === b.language || (NORWEGIAN.has(a.language) && NORWEGIAN.has(b.language));
}

/**
 * A name several organisations' systems carry exactly, none of them the asker's, when the message names no
 * organisation ("kven eig Microsoft 365 hjå oss" from Fjordvik): the asker means the one that serves them, so the
 * systems of organisations in the asker's own country (the inter-municipal IT service, IKT Vestfjord, not Storsjö).
 * One left is the answer, several a choice of those; none left keeps the result as it was.
 */
function servingHome(
  indexes: RegisterIndexes,
  result: MatchResult<SystemRecord>,
  home: Organisation,
): MatchResult<SystemRecord> {
  if (result.kind !== 'several' || !result.hits[0]!.exact) return result;
  const exact = result.hits.filter((h) => h.exact);
  if (exact.some((h) => h.item.organisationId === home.id)) return result;
  const near = exact.filter((h) => {
    const organisation = indexes.organisations.get(h.item.organisationId);
    return organisation !== undefined && sameCountry(organisation, home);
  });
  if (near.length === 0 || near.length === exact.length) return result;
  return near.length === 1 ? { kind: 'one', hit: near[0]!, hits: near } : { kind: 'several', hits: near };
}

/** A choice never lists a system scoring below this share of the best one (issue 10, item 3). */
const CHOICE_SCORE_SHARE = 0.5;

/**
 * The candidates worth offering for a fuzzy "several": those scoring at least CHOICE_SCORE_SHARE of the best,
 * and only the one system when its name or an alias is a close misspelling of the query (at most one edit in
 * five letters) and no other candidate's is. Exact hits (a name several systems share) are kept as they are.
 */
export function closeChoices<T extends { name: string; aliases: readonly string[] }>(
  hits: readonly Hit<T>[],
  query: string,
): Hit<T>[] {
  if (hits.length === 0 || hits[0]!.exact) return [...hits];
  const best = hits[0]!.score;
  const scored = hits.filter((h) => h.score >= best * CHOICE_SCORE_SHARE);
  // "LSS-systemet": a hit that matched only the generic word ("HR-systemet") is no candidate when others
  // matched the distinctive one.
  const distinctive = fold(query)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 1 && !GENERIC_NAME_WORDS.has(w));
  const holds = (h: Hit<T>) =>
    [h.item.name, ...h.item.aliases].some((name) =>
      fold(name)
        .split(/[^\p{L}\p{N}]+/u)
        .some((w) => distinctive.some((d) => w.startsWith(d))),
    );
  const specific = distinctive.length > 0 ? scored.filter(holds) : [];
  const kept = specific.length > 0 ? specific : scored;
  const key = normaliseKey(query);
  const near = kept.filter((h) =>
    [h.item.name, ...h.item.aliases].some((name) => {
      const other = normaliseKey(name);
      return editDistanceWithin(key, other, Math.floor(Math.max(key.length, other.length) / 5));
    }),
  );
  return near.length === 1 ? near : kept;
}

/**
 * The fuzzy hits whose name or an alias holds every word of the query as a whole word: "Visma" names Visma Flyt
 * Skole, Visma Flyt Barnehage and Visma Enterprise alike, so the answer is a choice of them, not the best scorer.
 * None for an exact hit (the query is a name) or a query no hit holds whole (a misspelling).
 */
export function sharedWordHits<T extends { name: string; aliases: readonly string[] }>(
  hits: readonly Hit<T>[],
  query: string,
  namesOnly = false,
): Hit<T>[] {
  if (hits.length < 2 || hits[0]!.exact) return [];
  const words = fold(query)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
  if (words.length === 0) return [];
  return hits.filter((h, i) =>
    (namesOnly && i > 0 ? [h.item.name] : [h.item.name, ...h.item.aliases]).some((name) => {
      const own = new Set(fold(name).split(/[^\p{L}\p{N}]+/u));
      return words.every((w) => own.has(w));
    }),
  );
}

/** Whether two strings are at most `limit` edits apart (Levenshtein), without computing more than that band. */
function editDistanceWithin(a: string, b: string, limit: number): boolean {
  if (Math.abs(a.length - b.length) > limit) return false;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j += 1) {
      const value = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      current.push(value);
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > limit) return false;
    previous = current;
  }
  return previous[b.length]! <= limit;
}
