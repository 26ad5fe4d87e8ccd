import type { Language, OrganisationRole } from '../../data/model.js';
import type { SystemFocus, SystemListKind } from '../answers.js';
import { languageEvidence } from './language.js';
import { cleanUtterance, tokenize, type Token } from './normalise.js';
import {
  ORGANISATION_ROLE_NOUNS,
  ORGANISATION_ROLE_VERBS,
  ROLE_NOUNS,
  ROLE_VERBS,
  WORD_CLASSES,
} from './vocabulary.js';

/**
 * What the user wants, parsed from one Teams message. The parser knows words, not the register: it offers the
 * system part of a question and a possible organisation at its end, and the search decides what they name.
 */
export type Intent =
  | {
      kind: 'whoOwns';
      focus: SystemFocus;
      /** The system part without a trailing organisation ("Procapita" of "Procapita i Tanum"). */
      query: string;
      /** A possible organisation after the last "i / in / for / på / hos": only a hint until the service checks it. */
      organisationHint?: string;
      /** The whole system part as typed, to search when the hint names no known organisation. */
      fullQuery: string;
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
  | { kind: 'myRequests' }
  | { kind: 'awaitingMe' }
  | { kind: 'rolesOf'; self: true }
  | { kind: 'rolesOf'; self: false; personQuery: string }
  | { kind: 'help' }
  | { kind: 'greeting' }
  | { kind: 'unknown' };

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
}

/** The kinds of access change a message can ask for; the same words as the access kind's `change` field. */
export type AccessChangeWord = 'new' | 'change' | 'stop';

type IntentKind =
  | 'whoOwns'
  | 'organisationRole'
  | 'rolesOfSelf'
  | 'rolesOfPerson'
  | 'help'
  | 'greeting'
  | 'requestAccess'
  | 'myRequests'
  | 'awaitingMe'
  | 'systemList';

/**
 * The grammar, as data. Elements: `{CLASS}` a word class from vocabulary.ts (`?` = optional), `a|b` literal words,
 * `ROLE` a role noun and `VERB` a role verb (both set the focus), `ORG_ROLE` / `ORG_VERB` the same for organisation
 * roles, `SYSTEM` / `PERSON` / `SCOPE` the captured name (one word or more). A pattern must cover the whole
 * message; the first pattern that does wins, so narrower ones come first.
 */
const PATTERNS: readonly {
  kind: IntentKind;
  pattern: string;
  focus?: SystemFocus;
  change?: AccessChangeWord;
  list?: SystemListKind;
}[] = [
  { kind: 'help', pattern: '{HELP}' },
  { kind: 'greeting', pattern: '{GREETING} ansvar|ansvarbot|bot|there|du|dere|alle|everyone|all?' },

  { kind: 'myRequests', pattern: '{SHOW}? {MY} {REQUESTS}' },
  { kind: 'myRequests', pattern: '{SHOW}? {REQUESTS} {SELF} {HAVE} {MADE}?' },
  { kind: 'awaitingMe', pattern: '{SHOW}? {WHAT}? {REQUESTS}? {BE}? {SOM}? {WAITING} {PREP} {SELF}' },
  { kind: 'awaitingMe', pattern: '{SHOW}? {WHAT}? {REQUESTS}? {SOM}? {BE}? {WAITING} {PREP} {SELF}' },

  { kind: 'requestAccess', change: 'stop', pattern: '{STOP} {ART}? {ACCESS} {PREP} PERSON {IN} SYSTEM' },
  { kind: 'requestAccess', change: 'change', pattern: '{CHANGE} {ART}? {ACCESS} {PREP} PERSON {IN} SYSTEM' },
  { kind: 'requestAccess', change: 'new', pattern: '{NEW} {ACCESS} {PREP} PERSON {IN} SYSTEM' },
  { kind: 'requestAccess', change: 'stop', pattern: '{STOP} {MY} {ACCESS} {MY}? {PREP} SYSTEM' },
  { kind: 'requestAccess', change: 'change', pattern: '{CHANGE} {MY} {ACCESS} {MY}? {PREP} SYSTEM' },
  { kind: 'requestAccess', change: 'change', pattern: '{SELF} {NEED} {CHANGED} {ACCESS} {PREP} SYSTEM' },
  { kind: 'requestAccess', change: 'new', pattern: '{SELF} {NEED} {GET}? ha|have? {ACCESS} {PREP}? SYSTEM' },
  { kind: 'requestAccess', change: 'new', pattern: '{SELF} {NEED}? {REQUEST_VERB} {ACCESS} {PREP}? SYSTEM' },
  { kind: 'requestAccess', change: 'new', pattern: '{REQUEST_VERB} {ACCESS} {PREP}? SYSTEM' },

  // Before the roles questions: "which systems have no deputy" must not read as someone's systems.
  { kind: 'systemList', list: 'noDeputy', pattern: '{SHOW}? {ALL}? {SYSTEMS} {WITHOUT} {ANY}? {DEPUTY}' },
  {
    kind: 'systemList',
    list: 'noDeputy',
    pattern: '{SHOW}? {ALL}? {SYSTEMS} {WITHOUT} {ANY}? {DEPUTY} {PREP} {UNIT_NOUN}? SCOPE',
  },
  { kind: 'systemList', list: 'noOwner', pattern: '{SHOW}? {ALL}? {SYSTEMS} {WITHOUT} {ANY}? {OWNER}' },
  {
    kind: 'systemList',
    list: 'noOwner',
    pattern: '{SHOW}? {ALL}? {SYSTEMS} {WITHOUT} {ANY}? {OWNER} {PREP} {UNIT_NOUN}? SCOPE',
  },
  { kind: 'systemList', list: 'all', pattern: '{SHOW} {ALL}? {ART}? {SYSTEMS}' },
  { kind: 'systemList', list: 'all', pattern: '{SHOW} {ALL}? {ART}? {SYSTEMS} {PREP} {UNIT_NOUN}? SCOPE' },

  { kind: 'rolesOfSelf', pattern: '{WHAT} {DO}? {SELF} {OWN}' },
  { kind: 'rolesOfSelf', pattern: '{WHAT} {OWN} {SELF}' },
  { kind: 'rolesOfSelf', pattern: '{MY} {ROLES}' },
  { kind: 'rolesOfSelf', pattern: '{WHAT} {ROLES} {HAVE} {SELF} {HAVE}?' },
  { kind: 'rolesOfSelf', pattern: '{WHAT} {BE} {SELF} {RESPONSIBLE} {PREP}?' },
  { kind: 'rolesOfSelf', pattern: '{WHAT} {RESPONSIBLE_VERB} {SELF} {PREP}?' },

  { kind: 'rolesOfPerson', pattern: '{WHAT} {DO} PERSON {OWN}' },
  { kind: 'rolesOfPerson', pattern: '{WHAT} {OWN} PERSON' },
  { kind: 'rolesOfPerson', pattern: '{WHAT} {ROLES} {HAVE} PERSON {HAVE}?' },
  { kind: 'rolesOfPerson', pattern: '{ROLE_WORD} {PREP} PERSON' },
  { kind: 'rolesOfPerson', pattern: '{WHAT} {BE} PERSON {RESPONSIBLE} {PREP}?' },
  { kind: 'rolesOfPerson', pattern: '{WHAT} {RESPONSIBLE_VERB} PERSON {PREP}?' },

  { kind: 'organisationRole', pattern: '{WHO} {BE}? {ART}? {OUR}? ORG_ROLE {OUR}? {HERE}?' },
  {
    kind: 'organisationRole',
    pattern: '{WHO} {BE}? {ART}? {OUR}? ORG_ROLE {OUR}? {PREP} {UNIT_NOUN}? SCOPE',
  },
  { kind: 'organisationRole', pattern: '{WHO} {CAN}? ORG_VERB {ORDER_OBJECT}? {HERE}?' },
  { kind: 'organisationRole', pattern: '{WHO} {CAN}? ORG_VERB {ORDER_OBJECT}? {PREP} {UNIT_NOUN}? SCOPE' },
  { kind: 'organisationRole', pattern: '{ART}? {OUR}? ORG_ROLE {OUR}? {HERE}?' },
  { kind: 'organisationRole', pattern: '{ART}? {OUR}? ORG_ROLE {OUR}? {PREP} {UNIT_NOUN}? SCOPE' },

  { kind: 'whoOwns', focus: 'access', pattern: '{WHO} {CAN} {GIVE} {SELF}? {ART}? {ACCESS} {PREP}? SYSTEM' },
  { kind: 'whoOwns', focus: 'access', pattern: '{WHO} {GIVES} {SELF}? {ART}? {ACCESS} {PREP}? SYSTEM' },
  {
    kind: 'whoOwns',
    focus: 'access',
    pattern: '{WHO} {DO}? {CAN}? {SELF} {CAN}? {CONTACT} {PREP}? {ART}? {ACCESS} {PREP}? SYSTEM',
  },
  {
    kind: 'whoOwns',
    focus: 'access',
    pattern: '{HOW} {DO}? {CAN}? {SELF} {CAN}? {GET} {ACCESS} {PREP}? SYSTEM',
  },
  { kind: 'whoOwns', focus: 'access', pattern: '{HOW} {GET} {SELF} {ACCESS} {PREP}? SYSTEM' },
  { kind: 'whoOwns', pattern: '{WHO} {BE}? {ART}? ROLE {PREP}? SYSTEM' },
  { kind: 'whoOwns', pattern: '{WHO} VERB {PREP}? {ART}? SYSTEM' },
  { kind: 'whoOwns', pattern: '{WHO} {HAVE} {RESPONSIBILITY} {PREP}? SYSTEM' },
  { kind: 'whoOwns', pattern: '{WHO} {DO}? {CAN}? {SELF} {CAN}? {CONTACT} {PREP}? SYSTEM' },
  { kind: 'whoOwns', pattern: '{WHO} {CAN} {HELP_VERB} {SELF}? {PREP} SYSTEM' },
  { kind: 'whoOwns', pattern: '{WHAT} {BE} {ART}? ROLE {PREP}? SYSTEM' },
  { kind: 'whoOwns', pattern: '{ART}? ROLE {PREP}? SYSTEM' },
];

/** A message with no pattern is taken as a bare system name when it is this short and does not open a question. */
const MAX_BARE_NAME_WORDS = 6;
/** Longer messages are not questions to this bot; the cap also bounds the matcher's backtracking. */
const MAX_WORDS = 40;
/** Only this much of a message is read: bounds the cost of cleaning markup from a hostile 28 KB message. */
const MAX_CHARS = 1000;

type Phrase = readonly string[];
/** A word or phrase of a role table with the role (or focus) it names. */
interface Entry<K extends string> {
  phrase: Phrase;
  key: K;
}
type Element =
  | { type: 'words'; phrases: Phrase[]; optional: boolean }
  | { type: 'role'; entries: Entry<SystemFocus>[] }
  | { type: 'organisationRole'; entries: Entry<OrganisationRole>[] }
  | { type: 'capture'; name: CaptureName };

type CaptureName = 'system' | 'person' | 'scope';

interface MatchState {
  focus?: SystemFocus;
  organisationRole?: OrganisationRole;
  /** Token ranges of the captured names; a pattern names each at most once. */
  captures?: Partial<Record<CaptureName, { start: number; end: number }>>;
}

function phrases(words: readonly string[]): Phrase[] {
  const list = words.map((w) => tokenize(w).map((t) => t.folded)).filter((p) => p.length > 0);
  return list.sort((a, b) => b.length - a.length);
}

function roleEntries<K extends string>(table: Partial<Record<K, readonly string[]>>): Entry<K>[] {
  const entries = (Object.entries(table) as [K, readonly string[] | undefined][]).flatMap(([key, words]) =>
    phrases(words ?? []).map((phrase) => ({ phrase, key })),
  );
  return entries.sort((a, b) => b.phrase.length - a.phrase.length);
}

const CLASSES: Record<string, readonly string[]> = {
  ...WORD_CLASSES,
  ACCESS: ROLE_NOUNS.access,
  DEPUTY: ROLE_NOUNS.deputy,
  OWNER: ROLE_NOUNS.owner,
};
const NOUN_ENTRIES = roleEntries(ROLE_NOUNS);
const VERB_ENTRIES = roleEntries(ROLE_VERBS);
const ORGANISATION_NOUN_ENTRIES = roleEntries(ORGANISATION_ROLE_NOUNS);
const ORGANISATION_VERB_ENTRIES = roleEntries(ORGANISATION_ROLE_VERBS);

function compile(pattern: string): Element[] {
  return pattern.split(' ').map((part): Element => {
    const optional = part.endsWith('?');
    const body = optional ? part.slice(0, -1) : part;
    if (body === 'ROLE') return { type: 'role', entries: NOUN_ENTRIES };
    if (body === 'VERB') return { type: 'role', entries: VERB_ENTRIES };
    if (body === 'ORG_ROLE') return { type: 'organisationRole', entries: ORGANISATION_NOUN_ENTRIES };
    if (body === 'ORG_VERB') return { type: 'organisationRole', entries: ORGANISATION_VERB_ENTRIES };
    if (body === 'SYSTEM') return { type: 'capture', name: 'system' };
    if (body === 'PERSON') return { type: 'capture', name: 'person' };
    if (body === 'SCOPE') return { type: 'capture', name: 'scope' };
    const classMatch = /^\{([A-Z_]+)\}$/.exec(body);
    if (classMatch) {
      const words = CLASSES[classMatch[1]!];
      if (!words) throw new Error(`intent pattern names an unknown word class: ${body}`);
      return { type: 'words', phrases: phrases(words), optional };
    }
    return { type: 'words', phrases: phrases(body.split('|')), optional };
  });
}

const COMPILED = PATTERNS.map((p) => ({ ...p, elements: compile(p.pattern) }));
const GREETINGS = phrases(WORD_CLASSES.GREETING!);
const POLITE = phrases(WORD_CLASSES.POLITE!);
const OPENERS = new Set(
  [...WORD_CLASSES.WHO!, ...WORD_CLASSES.WHAT!, ...WORD_CLASSES.HOW!].flatMap((w) =>
    tokenize(w).map((t) => t.folded),
  ),
);
const SYSTEM_NOUNS = new Set(phrases(WORD_CLASSES.SYSTEM_NOUN!).map((p) => p.join(' ')));
const ARTICLES = new Set(phrases(WORD_CLASSES.ART!).map((p) => p.join(' ')));
const SELF_WORDS = new Set(phrases(WORD_CLASSES.SELF!).map((p) => p.join(' ')));
const ORG_PREPOSITIONS = new Set(phrases(WORD_CLASSES.ORG_PREP!).map((p) => p.join(' ')));

function startsWith(tokens: readonly Token[], at: number, phrase: Phrase): boolean {
  if (at + phrase.length > tokens.length) return false;
  return phrase.every((word, i) => tokens[at + i]!.folded === word);
}

function match(
  elements: readonly Element[],
  ei: number,
  tokens: readonly Token[],
  ti: number,
  state: MatchState,
): MatchState | undefined {
  const element = elements[ei];
  if (!element) return ti === tokens.length ? state : undefined;
  switch (element.type) {
    case 'words': {
      for (const phrase of element.phrases) {
        if (!startsWith(tokens, ti, phrase)) continue;
        const found = match(elements, ei + 1, tokens, ti + phrase.length, state);
        if (found) return found;
      }
      return element.optional ? match(elements, ei + 1, tokens, ti, state) : undefined;
    }
    case 'role': {
      for (const { phrase, key } of element.entries) {
        if (!startsWith(tokens, ti, phrase)) continue;
        const found = match(elements, ei + 1, tokens, ti + phrase.length, { ...state, focus: key });
        if (found) return found;
      }
      return undefined;
    }
    case 'organisationRole': {
      for (const { phrase, key } of element.entries) {
        if (!startsWith(tokens, ti, phrase)) continue;
        const found = match(elements, ei + 1, tokens, ti + phrase.length, {
          ...state,
          organisationRole: key,
        });
        if (found) return found;
      }
      return undefined;
    }
    case 'capture': {
      for (let end = ti + 1; end <= tokens.length; end += 1) {
        const captures = { ...state.captures, [element.name]: { start: ti, end } };
        const found = match(elements, ei + 1, tokens, end, { ...state, captures });
        if (found) return found;
      }
      return undefined;
    }
  }
}

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

function joinRaw(tokens: readonly Token[]): string {
  return tokens.map((t) => t.raw).join(' ');
}

/** A captured name with a trailing "i <organisation>" offered as a hint. */
function scopeOf(tokens: readonly Token[]): Scope {
  const fullQuery = joinRaw(tokens);
  for (let k = tokens.length - 2; k >= 1; k -= 1) {
    if (ORG_PREPOSITIONS.has(tokens[k]!.folded)) {
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
function systemIntent(focus: SystemFocus, captured: readonly Token[]): Intent {
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

function organisationRoleIntent(role: OrganisationRole, captured: readonly Token[]): Intent {
  return captured.length === 0
    ? { kind: 'organisationRole', role }
    : { kind: 'organisationRole', role, scope: scopeOf(captured) };
}

function parse(tokens: Token[]): Intent {
  if (tokens.length === 0) return { kind: 'help' };
  if (tokens.length > MAX_WORDS) return { kind: 'unknown' };
  for (const pattern of COMPILED) {
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
      case 'whoOwns':
        return systemIntent(pattern.focus ?? state.focus ?? 'all', captured);
      case 'organisationRole':
        return organisationRoleIntent(state.organisationRole!, captured);
      case 'requestAccess':
        return requestIntent(pattern.change ?? 'new', range('system'), range('person'));
      case 'myRequests':
        return { kind: 'myRequests' };
      case 'awaitingMe':
        return { kind: 'awaitingMe' };
      case 'systemList':
        return captured.length === 0
          ? { kind: 'systemList', list: pattern.list ?? 'all' }
          : { kind: 'systemList', list: pattern.list ?? 'all', unit: scopeOf(captured) };
    }
  }
  if (tokens.length <= MAX_BARE_NAME_WORDS && !OPENERS.has(tokens[0]!.folded))
    return systemIntent('all', tokens);
  return { kind: 'unknown' };
}

/**
 * Parses one message. Teams mention markup and HTML are removed first; a greeting in front of a question
 * ("hej! vem äger Procapita") is dropped and the question answered.
 */
export function understand(text: string): Understanding {
  const cleaned = cleanUtterance(text.slice(0, MAX_CHARS));
  const { language, norwegian } = languageEvidence(cleaned);
  const tokens = stripPolite(tokenize(cleaned));
  let intent = parse(tokens);
  if (intent.kind === 'whoOwns' || intent.kind === 'unknown') {
    for (const greeting of GREETINGS) {
      if (tokens.length > greeting.length && startsWith(tokens, 0, greeting)) {
        const rest = parse(tokens.slice(greeting.length));
        if (rest.kind !== 'unknown') intent = rest;
        break;
      }
    }
  }
  return language === undefined ? { norwegian, intent } : { language, norwegian, intent };
}
