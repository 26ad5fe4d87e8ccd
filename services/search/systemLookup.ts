import type { SystemRecord } from '../../data/model.js';
import { keyOfFolded, normaliseKey, tokenize } from '../nlu/normalise.js';
import { editsToName } from '../nlu/nameMatch.js';
import type { Hit, MatchResult } from './nameIndex.js';
import { findKindOfSystem, ofKind, onlySaysSystem, withinOneEdit } from './systemCategory.js';
import type { SystemIndex } from './systemIndex.js';

/**
 * Which system a question names, given who asks: the one lookup rule of the question path, exported so the
 * benchmark measures exactly what the service does.
 *
 * In order: only the named organisation, when the question names one ("… i Tanum"). Otherwise an exact name of the
 * asker's organisation (only that, for a word that only says "system": "IT-systemet"); then, for a kind of system
 * ("lönesystemet", `findKindOfSystem`), the asker's own systems of that kind (an exact name in any organisation
 * first when the kind was found only with a linking letter dropped); then the asker's one clear fuzzy hit; then an exact
 * name in any organisation; then the asker's own fuzzy candidates; then fuzzy hits in all organisations (the
 * asker's first on ties), where one loose hit in another organisation counts only when the words typed name it
 * (`namesWordForWord`). Without a known organisation: everything, no preference.
 */
export function lookupSystem(
  index: SystemIndex,
  query: string,
  where: { namedOrganisationId?: string; homeOrganisationId?: string } = {},
): MatchResult<SystemRecord> {
  if (where.namedOrganisationId !== undefined) {
    return index.find(query, { organisationIds: new Set([where.namedOrganisationId]) });
  }
  const home = where.homeOrganisationId;
  const generic = onlySaysSystem(query);
  if (home === undefined) return generic ? (index.findExact(query) ?? NONE) : index.find(query);
  const found = index.find(query, { organisationIds: new Set([home]), preferOrganisationId: home });
  if (found.kind !== 'none' && found.hits[0]!.exact) return found;
  // "IT-systemet", "fagsystemet": another organisation's alias of that word is not what the asker means.
  if (generic) return NONE;
  // A kind of system found loosely must be that kind: "vårdsystemet" is not "kartsystemet".
  const sameKind = ofKind(query);
  const loose = (result: MatchResult<SystemRecord>) => (sameKind ? keepHits(result, sameKind) : result);
  // "lönesystemet", "the map system": the asker's own system of that kind, found by the kind's stem, before loose
  // candidates ("map system" is one typo from no name, but "system" is loosely "HR-systemet").
  // Found by the kind as typed ("HR-systemet" from Fjordvik: its "Visma HRM"), the asker's own comes before an
  // exact name elsewhere (Storsjö's "HR-systemet"); found only with a linking letter dropped, it gives way to one
  // ("lønssystemet" from Storsjö, typed as the Norwegian municipalities write it, is theirs, not "Heroma lön").
  const kind = findKindOfSystem(index, query, home);
  if (kind) {
    const { asTyped, ...result } = kind;
    return asTyped ? result : (index.findExact(query, { preferOrganisationId: home }) ?? result);
  }
  const own = tiedTypos(loose(found), query);
  if (own.kind === 'one') return own;
  // The asker's loose candidates give way only to an exact name elsewhere: a Map lookup, not a search of all.
  if (own.kind === 'several') return index.findExact(query, { preferOrganisationId: home }) ?? own;
  const everywhere = tiedTypos(loose(index.find(query, { preferOrganisationId: home })), query);
  // Another organisation's system, found only loosely, is the answer only when the words typed name it: "ressurs"
  // from Nesøy is not Breidal's Visma Ressursstyring, nor "plan" Storsjö's Time Care Planering. Otherwise nothing
  // was found, and the answer says so with the closest names.
  if (everywhere.kind === 'one' && !everywhere.hit.exact && !namesWordForWord(query, everywhere.hit.item))
    return { kind: 'none', hits: [] };
  return everywhere;
}

const NONE: MatchResult<SystemRecord> = { kind: 'none', hits: [] };

/**
 * "Graoström" is one letter from both "Graström" and "Graloström": a loose hit the search ranks first is the answer
 * only when no other hit's name or alias is as few edits from what was typed. Otherwise the tied hits are a choice
 * ("did you mean"), not an owner of one of them guessed.
 */
function tiedTypos(result: MatchResult<SystemRecord>, query: string): MatchResult<SystemRecord> {
  if (result.kind !== 'one' || result.hit.exact || result.hits.length < 2) return result;
  const key = normaliseKey(query);
  const best = editsToName(key, result.hit.item);
  // Only a typo (about one edit in five letters) ties: "Visma" is a word of several names, which the choice of them
  // (systemSearch.ts) answers.
  if (best > Math.floor(key.length / 5) + 1) return result;
  const tied = result.hits.filter((hit, i) => i === 0 || editsToName(key, hit.item, best) <= best);
  return tied.length > 1 ? { kind: 'several', hits: tied } : result;
}

/**
 * Whether each word typed is a word of the system's name or an alias, or one typo from one (words of four letters
 * or more): "Acos" or "Losn" for Acos WebSak or Losen, not "ressurs" (only the beginning of Ressursstyring).
 */
function namesWordForWord(query: string, system: SystemRecord): boolean {
  const words = tokenize(query).map((t) => keyOfFolded(t.folded));
  const names = new Set(
    [system.name, ...system.aliases].flatMap((name) => tokenize(name).map((t) => keyOfFolded(t.folded))),
  );
  return (
    words.length > 0 &&
    words.every(
      (word) => names.has(word) || (word.length >= 4 && [...names].some((name) => withinOneEdit(word, name))),
    )
  );
}

/** The hits of `result` that `keep` keeps, as a result again (exact hits are always kept). */
function keepHits(
  result: MatchResult<SystemRecord>,
  keep: (system: SystemRecord) => boolean,
): MatchResult<SystemRecord> {
  const hits = result.hits.filter((hit) => hit.exact || keep(hit.item));
  if (hits.length === result.hits.length) return result;
  if (hits.length === 0) return { kind: 'none', hits };
  return hits.length === 1 ? { kind: 'one', hit: hits[0]!, hits } : { kind: 'several', hits };
}

/** The closest systems for a "no match" answer: those of `firstOrganisationId` before the others. */
export function suggestSystems(
  index: SystemIndex,
  query: string,
  firstOrganisationId: string | undefined,
  limit = 5,
): Hit<SystemRecord>[] {
  const hits = firstOrganisationId
    ? index.suggest(query, { organisationIds: new Set([firstOrganisationId]) }, limit)
    : [];
  if (hits.length < limit) {
    const seen = new Set(hits.map((h) => h.item.id));
    for (const hit of index.suggest(query, {}, limit * 2)) {
      if (hits.length >= limit) break;
      if (!seen.has(hit.item.id)) hits.push(hit);
    }
  }
  return hits;
}
