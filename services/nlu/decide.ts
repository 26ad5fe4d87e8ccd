import type { OrganisationRole } from '../../data/model.js';
import type { SystemFocus, SystemListKind } from '../responsibility/answers.js';
import type { RegisterIndexes } from '../search/registerView.js';
import { kindStems } from '../search/systemCategory.js';
import { lookupSystem } from '../search/systemLookup.js';
import { NAME_GLOSSARY, SELF_WORDS, TO_WORDS } from './cues.js';
import { type Found, joinRaw, MAX_NAME_WORDS, overlaps, type Span, type SystemSpan } from './found.js';
import type { Intent, Scope } from './intent.js';
import { closeTo, holdsEveryWord } from './nameMatch.js';
import { normaliseKey } from './normalise.js';
import {
  ALL_WORDS,
  BECOME_WORDS,
  GIVE_WORDS,
  HAVE_WORDS,
  MODAL_WORDS,
  numberWord,
  ORDER_WORDS,
} from './readerWords.js';
import { respelledRun } from './systemSpelling.js';

/** Step 3 of a reading (see reader.ts): the intent the entities and cues make. */

/** What a reading knows of the asker. */
export interface ReadingContext {
  /** The asker's organisation: preferred for names several organisations share. */
  homeOrganisationId?: string;
  /** Whether some words name an item of the asker's equipment catalogue ("bärbar dator", "mouse"). */
  isEquipment?: (words: string) => boolean;
  /** The app's clock, for a month without a year ("i mars": the next March, or the last one when asked in the past). */
  now?: Date;
}

/** "Sofia Lund ska bli ersättare för X", "Kristin Sunde skal vere superbrukar": the person first, then becoming. */
export function becomes(found: Found): boolean {
  const { person, words } = found;
  if (person?.start !== 0) return false;
  const next = words[person.end] ?? '';
  return BECOME_WORDS.has(next) || (MODAL_WORDS.has(next) && BECOME_WORDS.has(words[person.end + 1] ?? ''));
}

/** "vems är Lifecare", "whose is Lifecare", "kven sitt er Gerica", "hvem sin er Gerica": the owner asked for. */
function asksWhose(found: Found): boolean {
  const { words } = found;
  return words.some(
    (w, i) =>
      w === 'vems' ||
      w === 'whose' ||
      ((w === 'kven' || w === 'hvem') && POSSESSIVE_WORDS.has(words[i + 1] ?? '')),
  );
}
const POSSESSIVE_WORDS = new Set(['sitt', 'sin', 'si', 'sine']);

/** Two system roles of different kinds side by side, joined by "och / og / and / eller / or" ("ägare och ersättare"). */
function joinedRoles(found: Found): boolean {
  const { roles, words } = found;
  for (let k = 1; k < roles.length; k += 1) {
    const [a, b] = [roles[k - 1]!, roles[k]!];
    if (a.cue.kind !== 'role' || b.cue.kind !== 'role' || a.cue.focus === b.cue.focus) continue;
    const between = b.at - (a.at + a.length);
    if (between === 1 && AND_WORDS.has(words[a.at + a.length]!)) return true;
    if (between === 2 && words[a.at + a.length] === 'and' && words[a.at + a.length + 1] === 'the')
      return true;
  }
  return false;
}
const AND_WORDS = new Set(['och', 'og', 'and', 'eller', 'or', '&', '+']);

/**
 * The system focus the role words ask for. A deputy named with another role asks for the deputy ("who stands
 * in for the administrator of X"); otherwise the first role named exactly, then a weak one ("ansvarig"), then
 * "responsible / contact" (all roles).
 */
export function focusOf(found: Found): SystemFocus | undefined {
  const cues = found.roles.flatMap(({ cue }) => (cue.kind === 'role' ? [cue] : []));
  if (cues.length === 0) return undefined;
  // "ägare och ersättare för X", "owner and deputy of X": both asked, so all roles.
  if (cues.length > 1 && joinedRoles(found)) return 'all';
  if (cues.length > 1 && cues.some((c) => c.focus === 'deputy')) return 'deputy';
  // "who steps in when the administrator is away": whoever stands in for a role holder.
  const away = found.awayFrom;
  const holderAway = found.roles.some(
    ({ at, cue }) =>
      away >= 0 &&
      at > away &&
      cue.kind === 'role' &&
      (cue.focus === 'administrator' || cue.focus === 'owner'),
  );
  if (holderAway) return 'deputy';
  const exact = cues.find((c) => !c.weak && c.focus !== 'all');
  return (exact ?? cues.find((c) => c.weak) ?? cues[0]!).focus;
}

function organisationRoleOf(found: Found): OrganisationRole | undefined {
  for (const { cue } of found.roles) {
    if (cue.kind === 'organisationRole' && (!cue.byVerb || found.who)) return cue.role;
  }
  return undefined;
}

/** The scope of a system named by the run `span`, with an organisation named elsewhere as the hint. */
function systemScope(found: Found, span: Span & { spelled?: string }): Scope {
  const query = span.spelled ?? joinRaw(found.tokens, span);
  if (!found.organisation) return { query, fullQuery: query };
  const organisationHint = joinRaw(found.tokens, found.organisation);
  return { query, organisationHint, fullQuery: query };
}

/**
 * The words to search as a fuzzy system name: all words left over when they are the only ones besides the cues
 * (at most three); with a role or access word, also the longest contiguous run of them ("behöver tillgång till
 * Procapitta från måndag"), since the role says a system is meant.
 */
function nameRun(found: Found, cued: boolean): Span | undefined {
  const run = restRun(found);
  if (run && found.rest.length === run.end - run.start && run.end - run.start <= 3) return run;
  if (!cued || found.rest.length === 0) return undefined;
  let best: Span | undefined;
  for (let k = 0; k < found.rest.length; k += 1) {
    let end = k;
    while (end + 1 < found.rest.length && found.rest[end + 1] === found.rest[end]! + 1) end += 1;
    const span = { start: found.rest[k]!, end: found.rest[end]! + 1 };
    if (span.end - span.start <= 3 && (!best || span.end - span.start > best.end - best.start)) best = span;
    k = end;
  }
  return best;
}

/** The words left over as one contiguous run (first to last), when they are few enough to be one name. */
function restRun(found: Found): Span | undefined {
  if (found.rest.length === 0) return undefined;
  const start = found.rest[0]!;
  const end = found.rest[found.rest.length - 1]! + 1;
  if (end - start > MAX_NAME_WORDS) return undefined;
  return { start, end };
}

/** The list that answers a gap of the role in focus: no deputy, owner, administrator or super user. */
export function gapListOf(focus: SystemFocus | undefined): SystemListKind | undefined {
  if (focus === 'deputy') return 'noDeputy';
  if (focus === 'owner') return 'noOwner';
  if (focus === 'administrator') return 'noAdministrator';
  if (focus === 'super_user') return 'noSuperUser';
  return undefined;
}

/**
 * Whether a gap list of administrators or super users is asked for: only with a systems word and no person, since
 * "ansvarig" and "superanvändare" are also said of people ("Anna är inte ansvarig längre").
 */
export function weakGapList(list: SystemListKind): boolean {
  return list === 'noAdministrator' || list === 'noSuperUser';
}

/**
 * "vilka system saknar ägare och ersättare", "systems without an owner or a deputy": both gaps asked at once, which
 * the hygiene check lists side by side (no one list holds both).
 */
export function bothGaps(found: Found, focus: SystemFocus | undefined): boolean {
  return (
    found.gap &&
    !found.system &&
    !found.person &&
    found.systemsWord &&
    focus === 'all' &&
    (['owner', 'deputy'] as const).every((role) =>
      found.roles.some(({ cue }) => cue.kind === 'role' && cue.focus === role),
    )
  );
}

export function listIntent(found: Found, list: SystemListKind): Intent {
  if (found.unit) {
    const query = joinRaw(found.tokens, found.unit);
    return { kind: 'systemList', list, unit: { query, fullQuery: query } };
  }
  return { kind: 'systemList', list };
}

/** What the words ask about a system, once the system is known (a run of the message, exact or fuzzy). */
function systemIntent(found: Found, scope: Scope, span: Span): Intent | undefined {
  const focus = focusOf(found);
  const person = found.person ? joinRaw(found.tokens, found.person) : undefined;
  const role = focus === 'owner' || focus === 'administrator' || focus === 'deputy' || focus === 'super_user';
  if (person !== undefined && role && (found.careAssign || found.stop || found.leave || becomes(found))) {
    const action = found.stop || found.leave ? 'endRole' : 'assignRole';
    return { kind: 'care', action, personQuery: person, role: focus, system: scope };
  }
  // "jag slutar som superanvändare i X", "skal slutte som superbrukar i X", "I'm stepping down as owner of X",
  // "ta bort mig som ersättare för X": the writer leaves the role, which is its end (register care: the coordinator
  // confirms it, anyone else is told whom to tell), not a question about who holds it. Not when asking who
  // ("vem tar över när jag slutar som ...").
  if (person === undefined && role && found.leave && !found.who) {
    return { kind: 'care', action: 'endRole', personQuery: '', self: true, role: focus, system: scope };
  }
  // "Losen er borte", "Lifecare är borta": with no role named, an absence word says the system is gone or down, a
  // remark about it like "Raindance var segt idag", not a question (with a role: "… när ägaren är borta").
  const remark = found.roles.length === 0 ? found.absent.length : 0;
  const others = found.rest.filter((at) => !overlaps(span, at)).length + remark;
  if (found.careEdit && focus === undefined && others === 0 && span.start === found.careEditAt + 1) {
    return { kind: 'care', action: 'editSystem', system: scope };
  }
  // "jag behöver hjälp med X", "I need help with X": support is asked, so whom to turn to (the roles), no access.
  const asksAccess = focus === 'access' || (focus === undefined && found.need && others === 0 && !found.help);
  // "kan du ge mig behörighet till X", "can you give me access": asked of the bot for the asker, a request; "give
  // NAME access to X" the same for a colleague.
  const givesMe = found.words.some(
    (w, i) =>
      GIVE_WORDS.has(w) && (SELF_WORDS.has(found.words[i + 1] ?? '') || found.person?.start === i + 1),
  );
  if (asksAccess && !found.who && (found.need || found.get || givesMe || found.stop || found.change)) {
    const change = found.stop ? 'stop' : found.change ? 'change' : 'new';
    const intent: Extract<Intent, { kind: 'requestAccess' }> = {
      kind: 'requestAccess',
      change,
      system: scope,
    };
    if (person !== undefined) intent.subjectQuery = person;
    return intent;
  }
  // A question mark asks only after a bare name ("Raindance?"): "Pascal ringde, kan du ringa?" asks no role. An
  // everyday word that is an alias ("journalen") is a bare name only with at most two words around it: "har du
  // sett journalen för Anna?" asks nothing about Lifecare, "journalen då?" does.
  const everyday = found.words.length > span.end - span.start + 2 && everydayAlias(found, span);
  const cued =
    focus !== undefined ||
    found.question ||
    (found.questionMark && others === 0 && !everyday) ||
    found.about ||
    (found.aboutSystem && others === 0) ||
    organisationRoleOf(found) !== undefined;
  // A sentence that mentions a system and asks nothing about it ("Raindance var segt idag") is no question.
  if (!cued && (others > 0 || everyday)) return undefined;
  const intent: Extract<Intent, { kind: 'whoOwns' }> = {
    kind: 'whoOwns',
    focus: focus ?? (asksWhose(found) ? 'owner' : 'all'),
    ...scope,
  };
  if (found.date) intent.at = found.date.date;
  return intent;
}

/**
 * Whether the words of `span` are, for every system they name, only an alias the register writes in lower case
 * without digits ("journalen", "arkivet"): an everyday word, not a proper name such as "Lifecare" or "LC".
 */
function everydayAlias(found: Found, span: Span): boolean {
  // A run found by the fuzzy search is no alias typed exactly.
  if (found.system?.start !== span.start || found.system.end !== span.end) return false;
  const typed = normaliseKey(joinRaw(found.tokens, span));
  return found.system.systems.every(
    (system) =>
      normaliseKey(system.name) !== typed &&
      system.aliases.every((alias) => normaliseKey(alias) !== typed || /^[^\p{Lu}\d]+$/u.test(alias)),
  );
}

/**
 * "can I get a new mouse?", "trenger et nytt tastatur": a catalogue item among the words (two-word names first),
 * with a need, get or order word. The item as typed, and a number right before it as the quantity.
 */
function equipmentIntent(found: Found, isEquipment: (words: string) => boolean): Intent | undefined {
  const asks = found.need || found.get || found.words.some((w) => ORDER_WORDS.has(w));
  if (!asks || found.rest.length === 0) return undefined;
  const rest = found.rest;
  for (const length of [2, 1]) {
    for (let k = 0; k + length <= rest.length; k += 1) {
      const start = rest[k]!;
      if (length === 2 && rest[k + 1] !== start + 1) continue;
      // "tre dockningsstationer": the number is the quantity, not part of the item.
      if (length === 2 && numberWord(found.words[start]!) !== undefined) continue;
      const words = joinRaw(found.tokens, { start, end: start + length });
      if (!isEquipment(words)) continue;
      const intent: Extract<Intent, { kind: 'requestEquipment' }> = { kind: 'requestEquipment', item: words };
      const quantity = numberWord(found.words[start - 1] ?? '');
      if (quantity !== undefined && quantity > 1) intent.quantity = quantity;
      return intent;
    }
  }
  return undefined;
}

/**
 * "Sigrid Bakke sluttar, flytt alle rollene hennar over til Eirik Vatne": two people, roles and a word that moves
 * them. The one after "till / til / to" (or right after "ge / gi / give") receives; the other hands over.
 */
function handoverIntent(found: Found): Intent | undefined {
  const { person, otherPerson } = found;
  if (!person || !otherPerson || !found.handover || !(found.rolesWord || found.roles.length > 0))
    return undefined;
  const before = (span: Span) => found.words[span.start - 1] ?? '';
  // "till Eirik", and "ge Eirik alla roller som Sigrid har": the person right after "till" or "ge" receives.
  const receives = (span: Span) => TO_WORDS.has(before(span)) || GIVE_WORDS.has(before(span));
  const [from, to] =
    receives(person) && !receives(otherPerson) ? [otherPerson, person] : [person, otherPerson];
  return {
    kind: 'care',
    action: 'handover',
    fromQuery: joinRaw(found.tokens, from),
    toQuery: joinRaw(found.tokens, to),
  };
}

/**
 * "vilken utrustning står på socialförvaltningen", "kva utstyr står registrert på meg": equipment asked about, not
 * ordered. The asker's own with a self or my word; else the unit named, or the words left over as the unit.
 */
export function inventoryIntent(found: Found): Intent | undefined {
  const ordering = found.need || found.get || found.words.some((w) => ORDER_WORDS.has(w));
  if (
    !found.equipment ||
    ordering ||
    !(found.question || found.questionMark || found.list || found.registered)
  )
    return undefined;
  if ((found.self || found.my) && !found.unit) return { kind: 'inventory', scope: 'mine' };
  const span = found.unit ?? restRun(found);
  if (!span) return undefined;
  const query = joinRaw(found.tokens, span);
  return { kind: 'inventory', scope: 'unit', unit: { query, fullQuery: query } };
}

/** Lists of requests and the hygiene check, told by their words when no system is named. */
function requestListIntent(found: Found): Intent | undefined {
  if (found.hygiene || (found.check && found.register)) return { kind: 'hygieneCheck' };
  if (found.waiting && (found.approval || found.self || (found.my && !found.requests)) && !found.open)
    return { kind: 'awaitingMe' };
  if (found.approval && found.my && !found.requests) return { kind: 'awaitingMe' };
  // "er det noko eg må godkjenne", "anything I need to approve": not "who approves".
  if (found.approve && (found.self || found.my) && !found.who) return { kind: 'awaitingMe' };
  if (found.requests && (found.open || found.waiting || found.days !== undefined) && !found.my) {
    return found.days === undefined
      ? { kind: 'openRequests' }
      : { kind: 'openRequests', olderThanDays: found.days };
  }
  if (found.requests && found.my) return { kind: 'myRequests' };
  return undefined;
}

/**
 * "Infracontol Vådok", "Tieot Mafelön Go": a name typed with a typo in one word, whose other word is itself a name
 * ("Vådok", "Go"), must not be answered as that other system. When words no cue knows stand right beside the run
 * found exactly, the run with them is searched once; a system it names closely (`closeTo`: about one typo in five
 * letters) is the one meant.
 */
function widenedSystem(
  found: Found,
  indexes: RegisterIndexes,
  where: ReadingContext,
): SystemSpan | undefined {
  const span = found.system!;
  const beside = (at: number) => found.rest.includes(at) || numberAt(found, at);
  let start = span.start;
  let end = span.end;
  while (beside(start - 1) && end - start < MAX_NAME_WORDS) start -= 1;
  while (beside(end) && end - start < MAX_NAME_WORDS) end += 1;
  if (!found.rest.some((at) => at >= start && at < end)) return undefined;
  const query = joinRaw(found.tokens, { start, end });
  const home = where.homeOrganisationId === undefined ? {} : { homeOrganisationId: where.homeOrganisationId };
  // The search ranks the exact word ("Daron" of "Tieot Daron") high; the first of its hits named closely counts.
  const hits = lookupSystem(indexes.systems, query, home).hits.slice(0, 5);
  const close = hits.find((hit) => closeTo(query, hit.item));
  if (close === undefined || span.systems.includes(close.item)) return undefined;
  return { start, end, systems: [close.item], spelled: close.item.name };
}

/**
 * A number typed as part of a name ("Arfix 360", "Public 360"), which is no leftover word: right beside the name's
 * words, and no count of days or weeks, nor part of a date.
 */
function numberAt(found: Found, at: number): boolean {
  const word = found.words[at];
  if (word === undefined || !/^\d+$/.test(word)) return false;
  if (found.date !== undefined && at >= found.date.at && at < found.date.at + found.date.length) return false;
  return !DAY_OR_WEEK.test(found.words[at + 1] ?? '');
}
const DAY_OR_WEEK =
  /^(dag|dagar|dagen|dager|dagane|dagene|days?|veck|veke|veker|uke|uker|weeks?|timmar|timar|timer|hours?)/;

/** The run with the numbers right beside it ("Afix" of "Afix 360"). */
function withNumbers(found: Found, run: Span): Span {
  let { start, end } = run;
  while (numberAt(found, start - 1) && end - start < MAX_NAME_WORDS) start -= 1;
  while (numberAt(found, end) && end - start < MAX_NAME_WORDS) end += 1;
  return { start, end };
}

/** Step 3: the intent the entities and cues make, or undefined when they make none. */
export function decide(found: Found, indexes: RegisterIndexes, where: ReadingContext): Intent | undefined {
  const { homeOrganisationId } = where;
  const focus = focusOf(found);
  const gapList = gapListOf(focus);
  const gapRole =
    found.gap &&
    gapList !== undefined &&
    (!found.system || found.systemsWord) &&
    (!weakGapList(gapList) || (found.systemsWord && !found.person));
  if (gapRole) return listIntent(found, gapList);
  if (bothGaps(found, focus)) return { kind: 'hygieneCheck' };
  // "har alla system en ägare?", "do all systems have an owner?": a yes/no question whose answer is the gap list.
  const everyHas =
    (focus === 'deputy' || focus === 'owner') &&
    !found.system &&
    found.systemsWord &&
    found.words.some((w) => ALL_WORDS.has(w)) &&
    HAVE_WORDS.has(found.words[0] ?? '');
  if (everyHas) return listIntent(found, focus === 'deputy' ? 'noDeputy' : 'noOwner');
  // "starta granskning av Lifecare", "review access in Gerica"; "vilka granskningar pågår", "which access reviews
  // are open": the access reviews, started for a system or listed.
  if (found.review && found.system && found.reviewStart && focusOf(found) !== 'owner')
    return { kind: 'reviews', action: 'start', system: systemScope(found, found.system) };
  const reviewFocus = found.review ? focusOf(found) : undefined;
  if (
    found.review &&
    !found.system &&
    !found.person &&
    (reviewFocus === undefined || reviewFocus === 'access')
  )
    return { kind: 'reviews', action: 'list' };
  if (found.system) {
    const wider = widenedSystem(found, indexes, where);
    if (wider) {
      found.system = wider;
      found.rest = found.rest.filter((at) => !overlaps(wider, at));
    }
    return systemIntent(found, systemScope(found, found.system), found.system);
  }
  const lists = requestListIntent(found);
  if (lists) return lists;
  const inventory = inventoryIntent(found);
  if (inventory) return inventory;
  const equipment = where.isEquipment && !found.who ? equipmentIntent(found, where.isEquipment) : undefined;
  if (equipment) return equipment;
  const organisationRole = organisationRoleOf(found);
  // "kven får bestille brukartilgangar": what an IT orderer orders may be access, and it names no system.
  if (organisationRole && (focus === undefined || focus === 'access')) {
    const scopeSpan = found.unit ?? found.organisation;
    if (!scopeSpan) return { kind: 'organisationRole', role: organisationRole };
    const query = joinRaw(found.tokens, scopeSpan);
    return { kind: 'organisationRole', role: organisationRole, scope: { query, fullQuery: query } };
  }
  const handover = handoverIntent(found);
  if (handover) return handover;
  const rolesWord = found.roles.length > 0 || found.systemsWord || found.rolesWord;
  const broad = focus === undefined || focus === 'all' || focus === 'administrator' || focus === 'owner';
  if (found.person && (found.question || found.list || rolesWord) && broad) {
    return { kind: 'rolesOf', self: false, personQuery: joinRaw(found.tokens, found.person) };
  }
  // "kva er eg ansvarleg for", "mina roller", "what systems do I own": the asker's own roles.
  const mine = found.self || found.my;
  const ownRoles =
    found.rolesWord ||
    (found.systemsWord && found.roles.length > 0) ||
    (found.question && found.roles.length > 0);
  if (mine && ownRoles && broad && !found.person && found.rest.length === 0 && !found.need && !found.get) {
    return { kind: 'rolesOf', self: true };
  }
  if (found.list && (found.systemsWord || found.register) && focus === undefined && found.rest.length === 0) {
    return listIntent(found, 'all');
  }
  if (
    found.greeting &&
    !found.help &&
    found.rest.length === 0 &&
    found.roles.length === 0 &&
    !found.question
  ) {
    return { kind: 'greeting' };
  }
  if (found.list && found.systemsWord && focus === undefined && !found.person) {
    // "vis alle systemer i helse": the words left are the unit, found fuzzily by the list itself.
    const words = restRun(found);
    if (words) {
      const query = joinRaw(found.tokens, words);
      return { kind: 'systemList', list: 'all', unit: { query, fullQuery: query } };
    }
  }
  const whole = restRun(found);
  if (whole && (found.rolesWord || (found.question && found.roles.length > 0)) && focus !== 'access') {
    // "kva har trond ansvar for": a person named loosely, when the message asks for roles and names no system.
    const query = joinRaw(found.tokens, whole);
    const person = indexes.people.find(
      query,
      homeOrganisationId === undefined ? {} : { preferOrganisationId: homeOrganisationId },
    );
    if (person.kind === 'one' && whole.end - whole.start <= 3 && (found.rolesWord || broad)) {
      const system = lookupSystem(
        indexes.systems,
        query,
        homeOrganisationId === undefined ? {} : { homeOrganisationId },
      );
      if (system.kind === 'none') return { kind: 'rolesOf', self: false, personQuery: query };
    }
  }
  const named = nameRun(found, focus !== undefined);
  if (!named) return undefined;
  const run = withNumbers(found, named);
  let query = joinRaw(found.tokens, run);
  const where_ = homeOrganisationId === undefined ? {} : { homeOrganisationId };
  let lookup = lookupSystem(indexes.systems, query, where_);
  // "the library system", "the intranet": an English kind of system, searched as the register's own words (a
  // compound such as "lönesystemet" is the lookup's own: see findKindOfSystem).
  const single = run.end - run.start === 1 ? found.words[run.start]! : '';
  const stems = NAME_GLOSSARY.get(single) ?? [];
  // "Visma Fylt", "vismaflyt": a word of the run found only loosely has two neighbouring letters swapped, or is
  // words of a name typed together, where that makes words of some system's name and the word as typed is none;
  // searched once more with the words put right, and kept when that finds a name holding each of them.
  const loose = lookup.kind === 'none' || !lookup.hits[0]!.exact;
  // Words are split only when nothing was found at all: a loose hit is already some name.
  const respelled = loose ? respelledRun(found, run, indexes, lookup.kind === 'none') : undefined;
  if (respelled !== undefined) {
    const again = lookupSystem(indexes.systems, respelled, where_);
    const holds =
      again.kind !== 'none' && (again.hits[0]!.exact || holdsEveryWord(respelled, again.hits[0]!.item));
    if (holds && (lookup.kind === 'none' || again.hits[0]!.score >= lookup.hits[0]!.score)) {
      lookup = again;
      query = respelled;
    }
  }
  for (const stem of lookup.kind === 'none' ? stems : []) {
    const translated = lookupSystem(indexes.systems, stem, where_);
    if (translated.kind !== 'none') {
      lookup = translated;
      query = stem;
      break;
    }
  }
  // A short word that only resembles a name ("står" and "Stratsys") names nothing; a kind ("HR" of "the HR
  // system": the asker's own HR system) is no likeness.
  if (
    lookup.kind === 'one' &&
    !lookup.hit.exact &&
    normaliseKey(query).length <= 4 &&
    !closeTo(query, lookup.hit.item) &&
    kindStems(query).length === 0
  )
    return undefined;
  // A run picked out of a longer sentence must name one system clearly: a loose hit there would name an owner
  // nobody asked about.
  const picked = found.rest.some((at) => !overlaps(run, at));
  if (picked && (lookup.kind !== 'one' || !closeTo(query, lookup.hit.item))) return undefined;
  // "the school transport system" is not SchoolSoft: a fuzzy hit for several words must hold each of them.
  if (lookup.kind === 'one' && !lookup.hit.exact && !holdsEveryWord(query, lookup.hit.item)) return undefined;
  if (lookup.kind === 'none') {
    // A role asked about something the register does not know: say so, with suggestions, not the help card.
    if (focus !== undefined && focus !== 'access' && (found.question || found.questionMark)) {
      return { kind: 'whoOwns', focus, query, fullQuery: query };
    }
    return undefined;
  }
  if (query !== joinRaw(found.tokens, run)) {
    return systemIntent(found, { query, fullQuery: query }, run);
  }
  return systemIntent(found, systemScope(found, run), run);
}
