import type { RegisterIndexes } from '../search/registerView.js';
import { onlySaysSystem } from '../search/systemCategory.js';
import { lookupSystem } from '../search/systemLookup.js';
import { ROLES_WORDS, SELF_WORDS, SYSTEMS_WORDS } from './cues.js';
import { spaceRunTogether } from './runTogether.js';
import {
  bothGaps,
  decide,
  focusOf,
  gapListOf,
  weakGapList,
  inventoryIntent,
  listIntent,
  type ReadingContext,
} from './decide.js';
import { readingsOf } from './didYouMean.js';
import { find } from './entities.js';
import { type Found, joinRaw, overlaps } from './found.js';
import { type Intent, type Scope, understandWords, type Understanding } from './intent.js';
import { languageEvidenceOf } from './language.js';
import { holdsEveryWord, namesClosely } from './nameMatch.js';
import { cleanUtterance, fold, keyOfFolded, normaliseKey, tokenize } from './normalise.js';
import { monthWithoutYear } from './numbersAndDates.js';
import { ORDER_WORDS, WE_WORDS } from './readerWords.js';
import { namesOf } from './registerNames.js';
import { respacedCapture } from './systemSpelling.js';

export type { ReadingContext };

/**
 * Entities first, then intent (issue 10). The grammar (intent.ts) stays the fast path: when one of its patterns
 * covers the message and what it captured as a system names one, its reading stands. Otherwise the message is
 * read for what it names, anywhere and in any order:
 *
 * 1. Entities, from the register's indexes: systems (a run of one to four words that is a name or alias exactly,
 *    after folding; the longest run wins), organisations, units, people, a date. When no run names a system
 *    exactly, the words that are no cue and no small talk are searched fuzzily as one name (typos, missing
 *    diacritics) with the same lookup rule as the answer uses (search/systemLookup.ts).
 * 2. Cues around them (cues.ts, roleWords.ts): role words in any form and language, question words, gap words
 *    ("utan", "manglar", "without"), list words, need words, "about" words.
 * 3. The intent, scored by which cues and entities were found (`decide`): a gap word with an owner or deputy word and
 *    no system is a list (with an administrator word and "systems", the whole list); a system is asked about (the roles
 *    named, or all of them), unless the message only mentions it in a sentence that asks nothing; an organisation role
 *    without a system is that role; a person with a roles word is their roles. Nothing found: the grammar's answer
 *    (help, unknown) stands.
 *
 * Costs: one pass of Map lookups over at most MAX_SCAN words (four per word), and at most one fuzzy search.
 */

/**
 * Whether a pattern's capture would be answered with a system it does not name: the service answers its best fuzzy
 * hit. Of more than three words ("vem sköter edlveo nu för tiden" → a system with "for" in an alias), unless some
 * of them name that system closely or share a word with its name; of two or three, unless the hit holds each word
 * ("the school transport system" is not SchoolSoft). A question back beats an owner nobody asked about.
 */
function looseCapture(
  intent: Extract<Intent, { kind: 'whoOwns' }>,
  indexes: RegisterIndexes,
  where: ReadingContext,
): boolean {
  const hinted =
    intent.organisationHint !== undefined &&
    namesOf(indexes).organisations.has(normaliseKey(intent.organisationHint));
  const query = hinted ? intent.query : intent.fullQuery;
  const words = tokenize(query).length;
  if (words < 2) return false;
  const home = where.homeOrganisationId === undefined ? {} : { homeOrganisationId: where.homeOrganisationId };
  const top = lookupSystem(indexes.systems, query, home).hits[0];
  if (top === undefined) return false;
  if (words > 3) return !namesClosely(query, top.item);
  return !top.exact && !holdsEveryWord(query, top.item);
}

/** Whether the grammar's whoOwns reading names a system exactly (its whole capture, or without the hint). */
function namesExactly(intent: Extract<Intent, { kind: 'whoOwns' }>, indexes: RegisterIndexes): boolean {
  return (
    indexes.systems.byKey(normaliseKey(intent.query)) !== undefined ||
    indexes.systems.byKey(normaliseKey(intent.fullQuery)) !== undefined
  );
}

/** Words a care message may end with that are no part of the new system's name: "... i registeret". */
const REGISTER_TAIL =
  /\s+(?:i|in|into|to|til|till)\s+(?:the\s+)?(?:registeret|registret|register|registry)$/i;

/** Kinds whose grammar reading stands as it is (a unit scope may still be narrowed to a unit named exactly). */
const GRAMMAR_KINDS = new Set<Intent['kind']>([
  'organisationRole',
  'requestAccess',
  'systemList',
  'requestEquipment',
  'inventory',
  'openRequests',
  'care',
  'myRequests',
  'awaitingMe',
  'hygieneCheck',
  'reviews',
  'rolesOf',
  'greeting',
]);

/**
 * Reads one message against a register: the grammar's reading when a pattern covers the message (and, for a
 * system question, names a system exactly), else the entity-first reading, else the grammar's.
 */
export function readMessage(
  typed: string,
  indexes: RegisterIndexes,
  where: ReadingContext = {},
): Understanding {
  const read = readWithoutClock(typed, indexes, where);
  return where.now === undefined ? read : withMonth(read, typed, where.now);
}

/**
 * "vem ägde Lifecare i mars", "who owns X in March": a month without a year is a day of the clock's calendar
 * (numbersAndDates.ts `monthWithoutYear`), not an organisation hint and no part of the name.
 */
function withMonth(read: Understanding, typed: string, now: Date): Understanding {
  const intent = read.intent;
  if (intent.kind !== 'whoOwns' || intent.at !== undefined) return read;
  const tokens = tokenize(cleanUtterance(typed.slice(0, 1000)));
  const month = monthWithoutYear(tokens, now);
  if (!month) return read;
  const word = tokens[month.at]!.folded;
  const hinted = intent.organisationHint !== undefined && fold(intent.organisationHint) === word;
  const dated: Intent = hinted
    ? { kind: 'whoOwns', focus: intent.focus, query: intent.query, fullQuery: intent.query, at: month.date }
    : { ...intent, at: month.date };
  return { ...read, intent: dated };
}

function readWithoutClock(typed: string, indexes: RegisterIndexes, where: ReadingContext): Understanding {
  const read = readOnce(typed, indexes, where);
  return onlySystemAsked(read, indexes, where) ? { ...read, intent: WHICH_SYSTEM } : read;
}

/**
 * "vem äger systemet", "vem äger IT-systemet", "kven eig fagsystemet", "who owns the business system": a system is
 * asked about, but the words name none (unless the asker's own organisation calls one so: Storsjö's Treserva is
 * "verksamhetssystemet"). Asked back, as for a bare "systemet": never "no match", never another organisation's
 * system of that alias.
 */
function onlySystemAsked(read: Understanding, indexes: RegisterIndexes, where: ReadingContext): boolean {
  const intent = read.intent;
  if (intent.kind !== 'whoOwns' || intent.organisationHint !== undefined || !onlySaysSystem(intent.query))
    return false;
  const named = indexes.systems.byKey(normaliseKey(intent.query)) ?? [];
  return !named.some((system) => system.organisationId === where.homeOrganisationId);
}

/** What a bare "systemet" gets: "did you mean" the list of systems (for a coordinator; anyone else is told who keeps it). */
const WHICH_SYSTEM: Intent = { kind: 'didYouMean', readings: [{ kind: 'systemList', list: 'all' }] };

function readOnce(typed: string, indexes: RegisterIndexes, where: ReadingContext): Understanding {
  // "vemäger X", "whoowns X": a question word run into its verb is read as the two words it is.
  const text = spaceRunTogether(typed);
  // The grammar's words are the entities' words too (the same first 1,000 characters, cleaned): split once.
  const { understanding: grammar, words } = understandWords(text);
  const intent = grammar.intent;
  const patterned = grammar.via === undefined;
  // The grammar's bare guess (the whole message as a name) stands only when the whole message is a name: "schemat
  // för nästa vecka är klart" names a system in passing.
  const exact = patterned
    ? intent.kind === 'whoOwns' && namesExactly(intent, indexes)
    : intent.kind === 'whoOwns' && indexes.systems.byKey(normaliseKey(intent.fullQuery)) !== undefined;
  if (exact)
    return intent.kind === 'whoOwns' ? { ...grammar, intent: respacedCapture(intent, indexes) } : grammar;
  if (intent.kind === 'help' && patterned && isShortHelp(text)) return grammar;
  if (patterned && intent.kind === 'care' && intent.action === 'addSystem') {
    return { ...grammar, intent: { ...intent, name: intent.name.replace(REGISTER_TAIL, '') } };
  }
  const found = find(words, indexes);
  found.questionMark = text.includes('?');
  // "have a nice weekend", "vi treng meir framsikt": the equipment pattern without any equipment is no order.
  const noItem =
    intent.kind === 'requestEquipment' &&
    intent.item !== undefined &&
    where.isEquipment !== undefined &&
    !where.isEquipment(intent.item) &&
    !ORDER_WORDS.has(found.words[0] ?? '');
  // "behöver få tag på superanvändaren i Procapita", "behöver komma åt Procapita": a system and a role or access
  // word of it named is a person sought or access asked for, no equipment order.
  const seeksHolder =
    intent.kind === 'requestEquipment' &&
    found.system !== undefined &&
    found.roles.some(({ cue }) => cue.kind === 'role');
  // "vilka har ansvar för X", "hvilke har ansvaret for X": the roles pattern took the system for a person; a system
  // named exactly and no person is a question about the system.
  const systemForPerson =
    intent.kind === 'rolesOf' && !intent.self && found.system !== undefined && !found.person;
  if (patterned && GRAMMAR_KINDS.has(intent.kind) && !noItem && !seeksHolder && !systemForPerson)
    return refined(grammar, found);
  const read = decide(found, indexes, where) ?? (noItem ? { kind: 'unknown' as const } : undefined);
  if (read === undefined) {
    // A grammar pattern asking about a name it could not find exactly still gets its fuzzy search and "did you
    // mean"; the bare-name guess for a message that names nothing is no question.
    const unknown: Understanding = { ...grammar, intent: { kind: 'unknown' } };
    if (intent.kind === 'whoOwns' && !patterned) return unclear(grammar, unknown, found, indexes, where);
    if (intent.kind === 'whoOwns' && looseCapture(intent, indexes, where))
      return unclear(grammar, unknown, found, indexes, where);
    return intent.kind === 'help' || intent.kind === 'unknown'
      ? unclear(grammar, grammar, found, indexes, where)
      : grammar;
  }
  if (read.kind === 'unknown')
    return unclear(
      grammar,
      { ...languageOutside(found, grammar), intent: read, via: 'entities' },
      found,
      indexes,
      where,
    );
  return { ...languageOutside(found, grammar), intent: read, via: 'entities' };
}

/**
 * A message no reading fits: "did you mean" with its best readings when it names or asks something recognisable
 * (didYouMean.ts), else unknown, which gets the help card.
 */
function unclear(
  grammar: Understanding,
  fallback: Understanding,
  found: Found,
  indexes: RegisterIndexes,
  where: ReadingContext,
): Understanding {
  const readings = readingsOf(found, indexes, where);
  if (readings.length === 0) return fallback;
  return { ...languageOutside(found, grammar), intent: { kind: 'didYouMean', readings } };
}

/**
 * A grammar reading with what the entities add: a unit or person named exactly replaces the words the pattern
 * captured around it ("who can order for Socialförvaltningen? who is the IT orderer"), and "which systems have no
 * deputy", which fits the pattern of "which roles does NAME have", is the list.
 */
function refined(grammar: Understanding, found: Found): Understanding {
  const respelled = respelledSystem(grammar.intent, found);
  if (respelled) return { ...grammar, intent: respelled };
  // "hvilket utstyr har jeg registrert?": a pattern took "jeg registrert" for a unit or a person.
  const kind = grammar.intent.kind;
  if (kind === 'inventory' || kind === 'rolesOf') {
    const inventory = inventoryIntent(found);
    if (inventory?.kind === 'inventory' && inventory.scope === 'mine')
      return { ...grammar, intent: inventory };
  }
  const intent = grammar.intent;
  const unit = found.unit ? joinRaw(found.tokens, found.unit) : undefined;
  const unitScope: Scope | undefined = unit === undefined ? undefined : { query: unit, fullQuery: unit };
  switch (intent.kind) {
    case 'rolesOf': {
      if (intent.self) return grammar;
      const focus = focusOf(found);
      const gapList = gapListOf(focus);
      if (found.gap && gapList !== undefined && !found.person && (!weakGapList(gapList) || found.systemsWord))
        return { ...grammar, intent: listIntent(found, gapList) };
      if (bothGaps(found, focus)) return { ...grammar, intent: { kind: 'hygieneCheck' } };
      // "vilka system har socialförvaltningen", "kva system har vi", "which systems does Oppvekst use": systems of
      // a unit or of the asker's own organisation, not a person's roles.
      if (found.systemsWord && !found.person && focus === undefined) {
        if (found.unit) return { ...grammar, intent: listIntent(found, 'all') };
        if (tokenize(intent.personQuery).every((t) => WE_WORDS.has(t.folded)))
          return { ...grammar, intent: { kind: 'systemList', list: 'all' } };
      }
      if (found.person)
        return { ...grammar, intent: { ...intent, personQuery: joinRaw(found.tokens, found.person) } };
      // "vad har jag för roller", "kva har eg for system", "vad har Anna Berg för uppdrag": the person is the words
      // before "för / for" and the roles word, and "jag / eg / jeg" the asker.
      const person = beforeRolesTail(intent.personQuery);
      if (person === undefined) return grammar;
      if (tokenize(person).every((t) => SELF_WORDS.has(t.folded)))
        return { ...grammar, intent: { kind: 'rolesOf', self: true } };
      return { ...grammar, intent: { ...intent, personQuery: person } };
    }
    case 'organisationRole':
      if (intent.scope && unitScope && intent.scope.fullQuery !== unit && !found.organisation)
        return { ...grammar, intent: { ...intent, scope: unitScope } };
      return grammar;
    case 'systemList': {
      // "list systems with no administrator", "show me all systems with no super user": the pattern took the gap for
      // a unit; a gap word with a role is that gap's list.
      const gapList = intent.list === 'all' && found.gap ? gapListOf(focusOf(found)) : undefined;
      if (gapList !== undefined) return { ...grammar, intent: listIntent(found, gapList) };
      if (intent.unit && unitScope && intent.unit.fullQuery !== unit)
        return { ...grammar, intent: { ...intent, unit: unitScope } };
      return grammar;
    }
    case 'inventory':
      if (intent.scope === 'unit' && unitScope && intent.unit.fullQuery !== unit)
        return { ...grammar, intent: { ...intent, unit: unitScope } };
      return grammar;
    default:
      return grammar;
  }
}

/** The words of a person captured with "för roller / for systema / för ansvar" after them, without those; else undefined. */
function beforeRolesTail(query: string): string | undefined {
  const tokens = tokenize(query);
  const at = tokens.findIndex(
    (t, k) =>
      k > 0 &&
      (t.folded === 'for' || t.folded === 'of') &&
      [ROLES_WORDS, SYSTEMS_WORDS, ANSVAR_WORDS].some((words) => words.has(tokens[k + 1]?.folded ?? '')),
  );
  return at > 0
    ? tokens
        .slice(0, at)
        .map((t) => t.raw)
        .join(' ')
    : undefined;
}
const ANSVAR_WORDS = new Set(['ansvar', 'ansvaret']);

/**
 * A request or care command whose system the grammar captured as typed, when the entities found it in another form
 * ("fjern tilgangen i Proifl", "confirm the entry for Rainadnce"): the register's spelling, so the service does not
 * search the typo again.
 */
function respelledSystem(intent: Intent, found: Found): Intent | undefined {
  const span = found.system;
  if (span?.spelled === undefined || !('system' in intent) || typeof intent.system !== 'object')
    return undefined;
  const typed = keyOfFolded(found.words.slice(span.start, span.end).join(''));
  const captured = normaliseKey(intent.system.fullQuery);
  if (!captured.endsWith(typed)) return undefined;
  return { ...intent, system: { query: span.spelled, fullQuery: span.spelled } } as Intent;
}

/** The language of the words around the entities: a system called "Flyt Skole" says nothing of the asker's. */
function languageOutside(found: Found, grammar: Understanding): Understanding {
  const inEntity = (at: number) =>
    overlaps(found.system, at) ||
    overlaps(found.organisation, at) ||
    overlaps(found.unit, at) ||
    overlaps(found.person, at);
  const words = found.tokens.filter((_, at) => !inEntity(at));
  if (words.length === found.tokens.length) return grammar;
  const { language, norwegian } = languageEvidenceOf(words);
  const read: Understanding = { norwegian, intent: grammar.intent };
  if (language !== undefined) read.language = language;
  if (grammar.via !== undefined) read.via = grammar.via;
  return read;
}

/** "hjälp", "help me", "what can you do": a help request the grammar read whole. */
function isShortHelp(text: string): boolean {
  return tokenize(text).length <= 5;
}
