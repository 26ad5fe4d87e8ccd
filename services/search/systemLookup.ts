import type { SystemRecord } from '../../data/model.js';
import type { Hit, MatchResult } from './nameIndex.js';
import type { SystemIndex } from './systemIndex.js';

/**
 * Which system a question names, given who asks: the one lookup rule of the question path, exported so the
 * benchmark measures exactly what the service does.
 *
 * In order: only the named organisation, when the question names one ("… i Tanum"). Otherwise the asker's
 * organisation (an exact name, or one clear fuzzy hit); then an exact name in any organisation; then the asker's
 * own fuzzy candidates; then fuzzy hits in all organisations (the asker's first on ties). Without a known
 * organisation: everything, no preference.
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
  if (home === undefined) return index.find(query);
  const own = index.find(query, { organisationIds: new Set([home]), preferOrganisationId: home });
  if (own.kind === 'one' || (own.kind === 'several' && own.hits[0]!.exact)) return own;
  // The asker's loose candidates give way only to an exact name elsewhere: a Map lookup, not a search of all.
  if (own.kind === 'several') return index.findExact(query, { preferOrganisationId: home }) ?? own;
  return index.find(query, { preferOrganisationId: home });
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
