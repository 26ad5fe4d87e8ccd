import { isSystemRole, type Language, type OrganisationRole, type SystemRole } from '../../data/model.js';
import type { SystemFocus, SystemListKind } from '../responsibility/answers.js';
import type { AccessChangeWord } from './grammar.js';
import { languageEvidenceOf } from './language.js';
import { cleanUtterance, type Token, tokenize } from './normalise.js';
import { type CaptureName, match, patternsFor, phrases, startsWith } from './patternMatch.js';
import { ROLE_NOUNS, WORD_CLASSES } from './vocabulary.js';

export type { AccessChangeWord };

/**
 * What the user wants, parsed from one Teams message. The parser knows words, not the register: it offers the
 * system part of a question and a possible organisation at its end, and the search decides what they name.
 */
export type Intent = Reading | DidYouMean;

/**
 * "Did you mean": a message that names or asks something recognisable (a known person, unit or organisation;
 * request, list, gap or care words) but that no reading fits clearly. The two or three best readings, best first;
 * the help card is only for a message with nothing recognisable (issue 10).
 */
export interface DidYouMean {
  kind: 'didYouMean';
  readings: Reading[];
}

/** One reading of a message: what the user wants, when it is clear. */
export type Reading =
  | {
      kind: 'whoOwns';
      focus: SystemFocus;
      /** The system part without a trailing organisation ("Procapita" of "Procapita i Tanum"). */
      query: string;
      /** A possible organisation after the last "i / in / for / på / hos": only a hint until the service checks it. */
      organisationHint?: string;
      /** The whole system part as typed, to search when the hint names no known organisation. */
      fullQuery: string;
      /** "who owned X on 2025-03-01": the day asked about (YYYY-MM-DD); absent = now. */
      at?: string;
    }
  | {
      kind: 'organisationRole';
      role: OrganisationRole;
      /**
       * What follows "för / for / i" after the role: a unit, an organisation, or a unit and then "i <organisation>"
       * (split as for systems). Only words: the service decides what they name.
       */
      scope?: Scope;
    }
  | {
      kind: 'requestAccess';
      /** New access, a change, or a stop; from the phrasing ("I need access" is new, "stop access for" a stop). */
      change: AccessChangeWord;
      /** The system part, split as for whoOwns. */
      system: Scope;
      /** The person the request is for, as typed; absent when it is the asker ("I need", "for me"). */
      subjectQuery?: string;
    }
  | {
      kind: 'systemList';
      /** Every system, or only those with a gap (no current deputy / owner). */
      list: SystemListKind;
      /** What follows "för enhet / for eining / of unit": only words, the service decides which unit they name. */
      unit?: Scope;
    }
  | {
      kind: 'requestEquipment';
      /** The words naming the equipment as typed ("projektor", "ny PC", "a new screen"); the catalogue decides. */
      item?: string;
      /** A number typed before the item ("två skärmar", "2 screens"). */
      quantity?: number;
      /** The room or place typed after "till / for / i / in" ("konferensrummet"), as typed. */
      room?: string;
    }
  | { kind: 'inventory'; scope: 'mine' }
  | { kind: 'inventory'; scope: 'unit'; unit: Scope }
  | {
      kind: 'openRequests';
      /** "requests waiting more than 5 days": only those open longer than this many days. */
      olderThanDays?: number;
    }
  | ({ kind: 'care' } & CareAction)
  | { kind: 'myRequests' }
  | { kind: 'awaitingMe' }
  | { kind: 'hygieneCheck' }
  | { kind: 'reviews'; action: 'list' }
  | { kind: 'reviews'; action: 'start'; system: Scope }
  | { kind: 'rolesOf'; self: true }
  | { kind: 'rolesOf'; self: false; personQuery: string }
  | { kind: 'help' }
  /** `thanks`: the message only thanks ("tack!", "takk for hjelpa"), with no greeting that asks for the help. */
  | { kind: 'greeting'; thanks?: true }
  | { kind: 'unknown' };

/**
 * Register care by IT coordinators (services/care/index.ts): names as typed, the service decides what they name.
 * A person's name may carry a genitive ("Annas"); the caller tries it without.
 */
export type CareAction =
  | { action: 'addSystem'; name: string }
  | { action: 'editSystem'; system: Scope }
  | { action: 'assignRole'; personQuery: string; role: SystemRole; system: Scope }
  | { action: 'assignOrganisationRole'; personQuery: string; role: OrganisationRole; units?: Scope }
  /**
   * `self`: the writer leaves the role ("jag slutar som superanvändare i X"); the reader names them (MessageReader
   * puts their e-mail in `personQuery`, which is empty until then).
   */
  | { action: 'endRole'; personQuery: string; role: SystemRole; system: Scope; self?: true }
  | { action: 'confirmSystem'; system: Scope }
  | { action: 'handover'; fromQuery: string; toQuery: string };

/** A name typed after a preposition, with a possible trailing organisation split off. */
export interface Scope {
  /** Without a trailing organisation ("Procapita" of "Procapita i Tanum"). */
  query: string;
  /** A possible organisation after the last "i / in / for / på / hos": only a hint until the service checks it. */
  organisationHint?: string;
  /** The whole name as typed, to search when the hint names no known organisation. */
  fullQuery: string;
}

export interface Understanding {
  /** The language the question is clearly written in (see `detectLanguage`). */
  language?: Language;
  /** Norwegian, but not clearly Nynorsk or Bokmål; `resolveLanguage` takes it as its fourth argument. */
  norwegian: boolean;
  intent: Intent;
  /**
   * How the intent was found: a grammar pattern, the grammar's last resort (a short message taken whole as a
   * system name), or the entity-first reading of services/nlu/reader.ts. Absent: a pattern or nothing at all.
   */
  via?: 'bare' | 'entities';
}

/** A message with no pattern is taken as a bare system name when it is this short and does not open a question. */
const MAX_BARE_NAME_WORDS = 6;
/** Longer messages are not questions to this bot; the cap also bounds the matcher's backtracking. */
const MAX_WORDS = 40;
/** Only this much of a message is read: bounds the cost of cleaning markup from a hostile 28 KB message. */
const MAX_CHARS = 1000;

const GREETINGS = phrases(WORD_CLASSES.GREETING!);
const POLITE = phrases(WORD_CLASSES.POLITE!);
/** Longest first, so "thank you" is taken whole before "thank". */
const THANKS = phrases(WORD_CLASSES.THANKS!);
const SOCIAL = [...GREETINGS, ...POLITE, ...THANKS].sort((a, b) => b.length - a.length);
/** Words that thank ("tack", "takk", "thanks", "thank" ...), wherever they stand in a polite phrase. */
const THANK_WORDS = new Set([...THANKS.filter((p) => p.length === 1).map((p) => p[0]!), 'thank']);
const GREETING_PHRASES = new Set(GREETINGS.map((p) => p.join(' ')));
const SMALL_TALK = phrases(WORD_CLASSES.SMALL_TALK!).sort((a, b) => b.length - a.length);
/** `list` grouped by first word, each group in the order of `list` (its first match is the list's first match). */
function byFirstWord(
  list: readonly (readonly string[])[],
): ReadonlyMap<string, readonly (readonly string[])[]> {
  const groups = new Map<string, (readonly string[])[]>();
  for (const phrase of list) {
    const group = groups.get(phrase[0]!);
    if (group) group.push(phrase);
    else groups.set(phrase[0]!, [phrase]);
  }
  return groups;
}
const SOCIAL_BY_FIRST = byFirstWord(SOCIAL);
const SMALL_TALK_BY_FIRST = byFirstWord(SMALL_TALK);
const ASK_OPENERS = phrases(WORD_CLASSES.ASK_OPENER!);
const OPENERS = new Set(
  [...WORD_CLASSES.WHO!, ...WORD_CLASSES.WHAT!, ...WORD_CLASSES.HOW!].flatMap((w) =>
    tokenize(w).map((t) => t.folded),
  ),
);
const SYSTEM_NOUNS = new Set(phrases(WORD_CLASSES.SYSTEM_NOUN!).map((p) => p.join(' ')));
const ARTICLES = new Set(phrases(WORD_CLASSES.ART!).map((p) => p.join(' ')));
const SELF_WORDS = new Set(phrases(WORD_CLASSES.SELF!).map((p) => p.join(' ')));
const ORG_PREPOSITIONS = new Set(phrases(WORD_CLASSES.ORG_PREP!).map((p) => p.join(' ')));
/** Words after "hos" / "hjå" / "at" that name the asker's own place rather than an organisation, folded. */
// prettier-ignore
const OUR_PLACE = new Set([
  'oss', 'us', 'our', 'var', 'vart', 'vara', 'vaare', 'vaar', 'place', 'here', 'har', 'her', 'kommun', 'kommunen',
  'kommune', 'organisation', 'organisationen', 'organisasjon', 'organisasjonen', 'municipality', 'council',
]);
const ACCESS_WORDS = new Set(phrases(ROLE_NOUNS.access).map((p) => p.join(' ')));
const HELP_WORDS = new Set(phrases(WORD_CLASSES.HELP!).flatMap((p) => (p.length === 1 ? p : [])));
const EQUIPMENT_WORDS = new Set(phrases(WORD_CLASSES.ORDER_OBJECT!).map((p) => p.join(' ')));

function stripPolite(tokens: Token[]): Token[] {
  let result = tokens;
  for (let changed = true; changed && result.length > 0;) {
    changed = false;
    for (const phrase of POLITE) {
      if (result.length > phrase.length && startsWith(result, 0, phrase)) {
        result = result.slice(phrase.length);
        changed = true;
      } else if (result.length > phrase.length && startsWith(result, result.length - phrase.length, phrase)) {
        result = result.slice(0, result.length - phrase.length);
        changed = true;
      }
    }
  }
  return result;
}

/**
 * Whether the message is only thanks or greetings with words that ask nothing ("tack så mycket för hjälpen!",
 * "takk, det hjelpte", "thanks a lot"): at least one thanks or greeting, every other word small talk. 'thanks'
 * when it thanks and greets nobody ("hej, tack!" is a greeting), so the bot can answer it in kind.
 */
function smallTalk(tokens: readonly Token[]): 'thanks' | 'greeting' | undefined {
  let social = false;
  let thanked = false;
  let greeted = false;
  for (let at = 0; at < tokens.length;) {
    const head = tokens[at]!.folded;
    const found = SOCIAL_BY_FIRST.get(head)?.find((phrase) => startsWith(tokens, at, phrase));
    const other = found ?? SMALL_TALK_BY_FIRST.get(head)?.find((phrase) => startsWith(tokens, at, phrase));
    if (!other) return undefined;
    social ||= found !== undefined;
    if (found?.some((word) => THANK_WORDS.has(word))) thanked = true;
    if (found && GREETING_PHRASES.has(found.join(' '))) greeted = true;
    at += other.length;
  }
  if (!social) return undefined;
  return thanked && !greeted ? 'thanks' : 'greeting';
}

/** "kan du säga mig vem äger X" → "vem äger X": an opener asking to be told, when a question word follows it. */
function stripAskOpener(tokens: Token[]): Token[] {
  for (const opener of ASK_OPENERS) {
    const next = tokens[opener.length]?.folded;
    if (next !== undefined && OPENERS.has(next) && startsWith(tokens, 0, opener))
      return tokens.slice(opener.length);
  }
  return tokens;
}

function joinRaw(tokens: readonly Token[]): string {
  return tokens.map((t) => t.raw).join(' ');
}

/** A captured name with a trailing "i <organisation>" offered as a hint. */
function scopeOf(tokens: readonly Token[]): Scope {
  const fullQuery = joinRaw(tokens);
  for (let k = tokens.length - 2; k >= 1; k -= 1) {
    if (ORG_PREPOSITIONS.has(tokens[k]!.folded)) {
      // "hjå oss", "at our place", "i vår kommun": the asker's own organisation, which the answer prefers anyway.
      if (tokens.slice(k + 1).every((t) => OUR_PLACE.has(t.folded))) {
        const query = joinRaw(tokens.slice(0, k));
        return { query, fullQuery: query };
      }
      return {
        query: joinRaw(tokens.slice(0, k)),
        organisationHint: joinRaw(tokens.slice(k + 1)),
        fullQuery,
      };
    }
  }
  return { query: fullQuery, fullQuery };
}

/** The system part of a question: leading "the system" dropped, a trailing "i <organisation>" offered as a hint. */
function systemIntent(focus: SystemFocus, captured: readonly Token[]): Extract<Intent, { kind: 'whoOwns' }> {
  let tokens = captured;
  while (tokens.length > 1 && (ARTICLES.has(tokens[0]!.folded) || SYSTEM_NOUNS.has(tokens[0]!.folded))) {
    tokens = tokens.slice(1);
  }
  return { kind: 'whoOwns', focus, ...scopeOf(tokens) };
}

/** An access request: the system split as for whoOwns; a person who is the asker ("for me") is no subject. */
function requestIntent(change: AccessChangeWord, system: readonly Token[], person: readonly Token[]): Intent {
  const target = systemIntent('access', system);
  const scope: Scope =
    target.kind === 'whoOwns'
      ? target.organisationHint === undefined
        ? { query: target.query, fullQuery: target.fullQuery }
        : { query: target.query, organisationHint: target.organisationHint, fullQuery: target.fullQuery }
      : { query: joinRaw(system), fullQuery: joinRaw(system) };
  const intent: Extract<Intent, { kind: 'requestAccess' }> = { kind: 'requestAccess', change, system: scope };
  const self = person.length === 1 && SELF_WORDS.has(person[0]!.folded);
  if (person.length > 0 && !self) intent.subjectQuery = joinRaw(person);
  return intent;
}

/**
 * An equipment request, or undefined when the "item" is access or help ("jag behöver behörighet", "I need help
 * with X"): that is no equipment, and the parser goes on to the next pattern. A bare "equipment" names no item.
 */
function equipmentIntent(
  item: readonly Token[],
  room: readonly Token[],
  quantity?: number,
): Intent | undefined {
  if (item.some((t) => ACCESS_WORDS.has(t.folded)) || HELP_WORDS.has(item[0]?.folded ?? '')) return undefined;
  const intent: Extract<Intent, { kind: 'requestEquipment' }> = { kind: 'requestEquipment' };
  if (item.length > 0 && !EQUIPMENT_WORDS.has(item.map((t) => t.folded).join(' ')))
    intent.item = joinRaw(item);
  if (quantity !== undefined) intent.quantity = quantity;
  if (room.length > 0) intent.room = joinRaw(room);
  return intent;
}

function organisationRoleIntent(role: OrganisationRole, captured: readonly Token[]): Intent {
  return captured.length === 0
    ? { kind: 'organisationRole', role }
    : { kind: 'organisationRole', role, scope: scopeOf(captured) };
}

/** Whether `parse` ended in its last resort: the whole message taken as a bare system name. */
let lastParseWasBare = false;

function parse(tokens: Token[]): Intent {
  lastParseWasBare = false;
  if (tokens.length === 0) return { kind: 'help' };
  if (tokens.length > MAX_WORDS) return { kind: 'unknown' };
  const head = tokens[0]!.folded;
  for (const pattern of patternsFor(head)) {
    const state = match(pattern.elements, 0, tokens, 0, {});
    if (!state) continue;
    const range = (name: CaptureName) => {
      const at = state.captures?.[name];
      return at ? tokens.slice(at.start, at.end) : [];
    };
    const captured =
      range('system').length > 0
        ? range('system')
        : range('person').length > 0
          ? range('person')
          : range('scope');
    switch (pattern.kind) {
      case 'help':
        return { kind: 'help' };
      case 'greeting':
        return { kind: 'greeting' };
      case 'rolesOfSelf':
        return { kind: 'rolesOf', self: true };
      case 'rolesOfPerson':
        return { kind: 'rolesOf', self: false, personQuery: joinRaw(captured) };
      case 'whoOwns': {
        const intent = systemIntent(pattern.focus ?? state.focus ?? 'all', captured);
        return state.date === undefined ? intent : { ...intent, at: state.date };
      }
      case 'organisationRole':
        return organisationRoleIntent(state.organisationRole!, captured);
      case 'requestAccess':
        return requestIntent(pattern.change ?? 'new', range('system'), range('person'));
      case 'myRequests':
        return { kind: 'myRequests' };
      case 'awaitingMe':
        return { kind: 'awaitingMe' };
      case 'requestEquipment': {
        const intent = equipmentIntent(range('item'), range('room'), state.number);
        if (intent) return intent;
        continue;
      }
      case 'inventoryMine':
        return { kind: 'inventory', scope: 'mine' };
      case 'inventoryUnit':
        return { kind: 'inventory', scope: 'unit', unit: scopeOf(captured) };
      case 'hygieneCheck':
        return { kind: 'hygieneCheck' };
      case 'reviewList':
        return { kind: 'reviews', action: 'list' };
      case 'reviewStart':
        return { kind: 'reviews', action: 'start', system: scopeOf(captured) };
      case 'careHandover':
        return {
          kind: 'care',
          action: 'handover',
          fromQuery: joinRaw(range('person')),
          toQuery: joinRaw(range('scope')),
        };
      case 'careAdd':
        return { kind: 'care', action: 'addSystem', name: joinRaw(captured) };
      case 'careEdit':
        return { kind: 'care', action: 'editSystem', system: scopeOf(captured) };
      case 'careConfirm':
        return { kind: 'care', action: 'confirmSystem', system: scopeOf(captured) };
      case 'careAssign':
      case 'careEnd': {
        const role = state.focus;
        if (!isSystemRole(role)) continue;
        const action = pattern.kind === 'careAssign' ? 'assignRole' : 'endRole';
        const person = range('person');
        const system = scopeOf(range('system'));
        // "ta bort mig som superanvändare i X", "remove me as owner": the writer, named by the reader.
        if (action === 'endRole' && person.length === 1 && SELF_WORDS.has(person[0]!.folded))
          return { kind: 'care', action, personQuery: '', self: true, role, system };
        return { kind: 'care', action, personQuery: joinRaw(person), role, system };
      }
      case 'careAssignOrg': {
        const intent: Intent = {
          kind: 'care',
          action: 'assignOrganisationRole',
          personQuery: joinRaw(range('person')),
          role: state.organisationRole!,
        };
        return range('scope').length > 0 ? { ...intent, units: scopeOf(range('scope')) } : intent;
      }
      case 'openRequests':
        return state.number === undefined
          ? { kind: 'openRequests' }
          : { kind: 'openRequests', olderThanDays: state.number };
      case 'systemList':
        return captured.length === 0
          ? { kind: 'systemList', list: pattern.list ?? 'all' }
          : { kind: 'systemList', list: pattern.list ?? 'all', unit: scopeOf(captured) };
    }
  }
  if (tokens.length <= MAX_BARE_NAME_WORDS && !OPENERS.has(tokens[0]!.folded)) {
    lastParseWasBare = true;
    return systemIntent('all', tokens);
  }
  return { kind: 'unknown' };
}

/**
 * Parses one message. Teams mention markup and HTML are removed first; a greeting in front of a question
 * ("hej! vem äger Procapita") is dropped and the question answered. A message of thanks and small talk only
 * ("tack så mycket!") is a greeting: no pattern fits it, and taken as a system name it would name nothing.
 */
export function understand(text: string): Understanding {
  return understandWords(text).understanding;
}

/**
 * `understand`, with the words of the cleaned message (its first MAX_CHARS characters) it read: the reader reads
 * the same words for entities, and need not clean and split the message again. The words are shared: read only.
 */
export function understandWords(text: string): { understanding: Understanding; words: Token[] } {
  const cleaned = cleanUtterance(text.slice(0, MAX_CHARS));
  const words = tokenize(cleaned);
  const { language, norwegian } = languageEvidenceOf(words);
  const tokens = stripAskOpener(stripPolite(words));
  let intent = parse(tokens);
  let bare = lastParseWasBare;
  const social = intent.kind === 'unknown' || bare ? smallTalk(words) : undefined;
  if (social) {
    intent = social === 'thanks' ? { kind: 'greeting', thanks: true } : { kind: 'greeting' };
    bare = false;
  }
  if (intent.kind === 'whoOwns' || intent.kind === 'unknown') {
    for (const greeting of GREETINGS) {
      if (tokens.length > greeting.length && startsWith(tokens, 0, greeting)) {
        const rest = parse(tokens.slice(greeting.length));
        if (rest.kind !== 'unknown') {
          intent = rest;
          bare = lastParseWasBare;
        }
        break;
      }
    }
  }
  const understanding: Understanding =
    language === undefined ? { norwegian, intent } : { language, norwegian, intent };
  if (bare) understanding.via = 'bare';
  return { understanding, words };
}
