import type { RegisterIndexes } from '../search/registerView.js';
import { lookupSystem } from '../search/systemLookup.js';
import { becomes, focusOf, gapListOf, type ReadingContext } from './decide.js';
import { type Found, joinRaw, type Span } from './found.js';
import type { Reading, Scope } from './intent.js';
import { closeTo, holdsEveryWord } from './nameMatch.js';
import { ORDER_WORDS } from './readerWords.js';

/**
 * The readings a message may have when none is clear (issue 10: "when two readings are close, a short 'did you
 * mean' card offers the two or three best"). Each reading comes from something recognisable the message names or
 * asks: a known person (their roles), an organisation role word, list or gap words (a list), request words (the
 * requests lists), equipment words (an order, one's equipment), a role or access word with a name the register
 * knows only loosely (that system's holders, or access to it). A sentence that merely mentions a system, or that
 * names nothing known and asks nothing this bot does, has no reading: the help card stays for it.
 *
 * Scores: 3 for a reading its own words ask for (a gap word with a role, an organisation role, a roles word with a
 * person), 2 for one that fits the message's recognisable words but not all of them. A reading scored below 2 is
 * never offered; the others are offered best first, at most three.
 */

const MAX_READINGS = 3;
const OFFERED = 2;
/** A loose system hit is offered only this close to the best one (search scores are 0..1). */
const CLOSE_SHARE = 0.85;

interface Scored {
  reading: Reading;
  score: number;
}

function scopeOf(found: Found, span: Span): Scope {
  const query = joinRaw(found.tokens, span);
  return { query, fullQuery: query };
}

/**
 * The words left over as a loosely typed system name: the last run of them side by side, at most three words, where
 * names stand ("… som ersättare för Procapitta"); the words before it ("ska bli") are left out.
 */
function looseName(found: Found): Span | undefined {
  const rest = found.rest;
  if (rest.length === 0) return undefined;
  const end = rest[rest.length - 1]! + 1;
  let start = end - 1;
  while (rest.includes(start - 1) && end - start < 3) start -= 1;
  if (rest.includes(start - 1)) return undefined;
  return { start, end };
}

/**
 * Systems a loosely typed name may mean: the best hit and those scoring close to it, each holding the words typed
 * or spelt close to them ("Procapitta").
 */
function looseSystems(found: Found, indexes: RegisterIndexes, where: ReadingContext): string[] {
  const span = looseName(found);
  if (!span) return [];
  const query = joinRaw(found.tokens, span);
  if (query.length < 4) return [];
  const home = where.homeOrganisationId === undefined ? {} : { homeOrganisationId: where.homeOrganisationId };
  const hits = lookupSystem(indexes.systems, query, home).hits;
  const best = hits[0]?.score ?? 0;
  return hits
    .filter(
      (hit) =>
        hit.score >= best * CLOSE_SHARE &&
        (hit.exact || holdsEveryWord(query, hit.item) || closeTo(query, hit.item)),
    )
    .slice(0, 2)
    .map((hit) => hit.item.name);
}

/** The words left over, when they are one or two and name an item of the asker's catalogue ("dator", "ny PC"). */
function equipmentNamed(found: Found, isEquipment: (words: string) => boolean): string | undefined {
  const span = looseName(found);
  if (!span || span.end - span.start > 2) return undefined;
  const words = joinRaw(found.tokens, span);
  if (isEquipment(words)) return words;
  const last = joinRaw(found.tokens, { start: span.end - 1, end: span.end });
  return span.end - span.start === 2 && isEquipment(last) ? last : undefined;
}

function candidates(found: Found, indexes: RegisterIndexes, where: ReadingContext): Scored[] {
  const scored: Scored[] = [];
  const add = (reading: Reading, score: number) => scored.push({ reading, score });
  const focus = focusOf(found);
  const asks = found.question || found.questionMark || found.who;
  const ordering = found.need || found.get || found.words.some((w) => ORDER_WORDS.has(w));
  const unit = found.unit ? scopeOf(found, found.unit) : undefined;

  // A role or access word with a name the register knows only loosely: that system, asked or requested.
  if (!found.system && !found.person && focus !== undefined) {
    for (const system of looseSystems(found, indexes, where)) {
      const scope = { query: system, fullQuery: system };
      if (focus === 'access' && ordering && !found.who)
        add({ kind: 'requestAccess', change: found.stop ? 'stop' : 'new', system: scope }, 3);
      else add({ kind: 'whoOwns', focus, ...scope }, 3);
    }
  }
  // A person given or relieved of a role in a system typed loosely ("lägg till Sofia Lund som ersättare för
  // Procapitta", "Sofia Lund ska bli ersättare för Procapitta"): that care action, for each system the name may mean.
  const role = focus === 'owner' || focus === 'administrator' || focus === 'deputy' || focus === 'super_user';
  if (found.person && !found.system && role && (found.careAssign || found.stop || becomes(found))) {
    const personQuery = joinRaw(found.tokens, found.person);
    for (const system of looseSystems(found, indexes, where)) {
      add(
        {
          kind: 'care',
          action: found.stop ? 'endRole' : 'assignRole',
          personQuery,
          role: focus,
          system: { query: system, fullQuery: system },
        },
        3,
      );
    }
  }
  // A known person: their roles, asked when some word asks or names roles.
  if (found.person && !found.system) {
    const personQuery = joinRaw(found.tokens, found.person);
    const named = found.rolesWord || found.roles.length > 0 || found.systemsWord;
    const alone = found.words.length === found.person.end - found.person.start;
    if (named || asks || alone) add({ kind: 'rolesOf', self: false, personQuery }, named ? 3 : 2);
  }
  // An organisation role named, even by a verb ("kven bestiller"), without a system.
  for (const { cue } of found.roles) {
    // "kan du bestille flybilletter": an ordering verb names the orderer only when someone is asked for.
    if (cue.kind !== 'organisationRole' || found.system || (cue.byVerb && !found.who)) continue;
    const span = found.unit ?? found.organisation;
    add(
      span
        ? { kind: 'organisationRole', role: cue.role, scope: scopeOf(found, span) }
        : { kind: 'organisationRole', role: cue.role },
      cue.byVerb ? 2 : 3,
    );
    break;
  }
  // Lists: a gap asked of systems, or systems listed (of a unit, when one is named).
  if (!found.system && !found.person && (found.gap || found.list || found.systemsWord)) {
    const gap = found.gap ? gapListOf(focus) : undefined;
    const list = gap ?? 'all';
    if (gap !== undefined || found.systemsWord || (found.list && unit)) {
      add(unit ? { kind: 'systemList', list, unit } : { kind: 'systemList', list }, gap ? 3 : 2);
    }
  }
  // Requests: one's own, or those waiting.
  if (found.requests) {
    add(found.my || found.self ? { kind: 'myRequests' } : { kind: 'openRequests' }, 2);
    if (found.approval || found.approve || found.waiting) add({ kind: 'awaitingMe' }, 2);
  }
  // A catalogue item named with nothing else ("dator?", "ny skjerm"): ordered, or one's own asked about.
  const item = where.isEquipment ? equipmentNamed(found, where.isEquipment) : undefined;
  if (item !== undefined && !found.system && !found.person) {
    add({ kind: 'requestEquipment', item }, 2);
    add({ kind: 'inventory', scope: 'mine' }, 2);
  }
  // Equipment: ordered, or one's own asked about.
  if (found.equipment) {
    if (ordering) add({ kind: 'requestEquipment' }, 2);
    if (asks || found.registered || found.my) {
      add(unit ? { kind: 'inventory', scope: 'unit', unit } : { kind: 'inventory', scope: 'mine' }, 2);
    }
  }
  return scored;
}

/**
 * The best readings of a message no reading fits clearly, best first and at most three, each offered only when it
 * scores at least OFFERED; none when nothing recognisable is found.
 */
export function readingsOf(found: Found, indexes: RegisterIndexes, where: ReadingContext): Reading[] {
  const offered = candidates(found, indexes, where)
    .filter(({ score }) => score >= OFFERED)
    // Stable: equal scores keep the order above, from the most specific reading to the broadest.
    .sort((a, b) => b.score - a.score);
  const seen = new Set<string>();
  const readings: Reading[] = [];
  for (const { reading } of offered) {
    const key = JSON.stringify(reading);
    if (seen.has(key)) continue;
    seen.add(key);
    readings.push(reading);
  }
  return readings.slice(0, MAX_READINGS);
}
