import {
  LANGUAGES,
  isSystemRole,
  type Language,
  type OrganisationRole,
  type SystemRole,
} from '../../data/model.js';
import type { SystemFocus, SystemListKind } from '../responsibility/answers.js';
import { languageEvidence } from './language.js';
import { cleanUtterance, fold, tokenize, type Token } from './normalise.js';
import {
  NUMBER_WORDS,
  ORGANISATION_ROLE_NOUNS,
  ORGANISATION_ROLE_VERBS,
  PAST_ROLE_VERBS,
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
  | { action: 'endRole'; personQuery: string; role: SystemRole; system: Scope }
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
  | 'systemList'
  | 'requestEquipment'
  | 'inventoryMine'
  | 'inventoryUnit'
  | 'openRequests'
  | 'hygieneCheck'
  | 'reviewList'
  | 'reviewStart'
  | 'careAdd'
  | 'careEdit'
  | 'careAssign'
  | 'careAssignOrg'
  | 'careEnd'
  | 'careConfirm'
  | 'careHandover';

/**
 * The grammar, as data. Elements: `{CLASS}` a word class from vocabulary.ts (`?` = optional), `a|b` literal words,
 * `ROLE` a role noun and `VERB` a role verb (both set the focus), `ORG_ROLE` / `ORG_VERB` the same for organisation
 * roles, `PAST_VERB` a role verb in the past tense, `SYSTEM` / `PERSON` / `SCOPE` / `ITEM` / `ROOM` the captured
 * name (one word or more), `NUMBER` a number in digits or words, `DATE` a day ("2025-03-01", "1 mars 2025",
 * "March 1, 2025"). A pattern must cover the whole message; the first pattern that does wins, so narrower ones
 * come first.
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

  { kind: 'careHandover', pattern: '{CARE_HANDOVER} {ALL}? {ROLE_WORD} {CARE_FROM} PERSON {CARE_TO} SCOPE' },
  { kind: 'careHandover', pattern: '{CARE_HANDOVER} {ALL}? {ROLE_WORD} {CARE_TO}? PERSON {CARE_TO} SCOPE' },
  {
    kind: 'careHandover',
    pattern: '{CARE_HANDOVER} {ALL}? of? PERSON s? {CARE_POSS}? {ROLE_WORD} {CARE_TO} SCOPE',
  },
  {
    kind: 'careEnd',
    pattern: '{STOP} PERSON s? {CARE_POSS}? {ROLE_WORD}? {CARE_AS} {ART}? ROLE {PREP} SYSTEM',
  },
  { kind: 'careAssign', pattern: '{CARE_MAKE} PERSON {CARE_INTO}? {ART}? ROLE {PREP} SYSTEM' },
  {
    kind: 'careAssignOrg',
    pattern: '{CARE_MAKE} PERSON {CARE_INTO}? {ART}? ORG_ROLE {PREP} {UNIT_NOUN}? SCOPE',
  },
  { kind: 'careAssignOrg', pattern: '{CARE_MAKE} PERSON {CARE_INTO}? {ART}? ORG_ROLE' },
  { kind: 'careAdd', pattern: '{CARE_ADD} {ANY}? {NEW}? {SYSTEM_NOUN} SYSTEM' },
  { kind: 'careEdit', pattern: '{CARE_EDIT} {SYSTEM_NOUN} SYSTEM' },
  { kind: 'careConfirm', pattern: '{CARE_CONFIRM} {SYSTEM_NOUN}? SYSTEM' },

  { kind: 'myRequests', pattern: '{SHOW}? {MY} {REQUESTS}' },
  { kind: 'myRequests', pattern: '{SHOW}? {REQUESTS} {SELF} {HAVE} {MADE}?' },
  { kind: 'awaitingMe', pattern: '{SHOW}? {WHAT}? {REQUESTS}? {BE}? {SOM}? {WAITING} {PREP} {SELF}' },
  { kind: 'awaitingMe', pattern: '{SHOW}? {WHAT}? {REQUESTS}? {SOM}? {BE}? {WAITING} {PREP} {SELF}' },
  { kind: 'openRequests', pattern: '{SHOW}? {ALL}? {OPEN} {REQUESTS}' },
  {
    kind: 'openRequests',
    pattern:
      '{SHOW}? {ALL}? {OPEN}? {REQUESTS} {SOM}? {HAVE}? {BEEN}? {WAITED} {PREP}? {MORE_THAN} NUMBER {DAYS}',
  },
  { kind: 'openRequests', pattern: '{SHOW}? {ALL}? {OPEN}? {REQUESTS} {OLDER_THAN} NUMBER {DAYS}' },
  { kind: 'hygieneCheck', pattern: '{RUN}? {ART}? {HYGIENE_CHECK}' },
  { kind: 'hygieneCheck', pattern: '{CHECK_VERB} {ART}? {REGISTER_NOUN}' },
  { kind: 'reviewList', pattern: '{SHOW}? {ALL}? {REVIEWS}' },
  { kind: 'reviewStart', pattern: '{REVIEW_VERB} {ALL}? {REVIEW_OBJECT} {IN} SYSTEM' },

  { kind: 'requestAccess', change: 'stop', pattern: '{STOP} {ART}? {ACCESS} {PREP} PERSON {IN} SYSTEM' },
  { kind: 'requestAccess', change: 'change', pattern: '{CHANGE} {ART}? {ACCESS} {PREP} PERSON {IN} SYSTEM' },
  { kind: 'requestAccess', change: 'new', pattern: '{NEW} {ACCESS} {PREP} PERSON {IN} SYSTEM' },
  { kind: 'requestAccess', change: 'stop', pattern: '{STOP} {MY} {ACCESS} {MY}? {PREP} SYSTEM' },
  { kind: 'requestAccess', change: 'change', pattern: '{CHANGE} {MY} {ACCESS} {MY}? {PREP} SYSTEM' },
  { kind: 'requestAccess', change: 'change', pattern: '{SELF} {NEED} {CHANGED} {ACCESS} {PREP} SYSTEM' },
  { kind: 'requestAccess', change: 'new', pattern: '{SELF} {NEED} {GET}? ha|have? {ACCESS} {PREP}? SYSTEM' },
  { kind: 'requestAccess', change: 'new', pattern: '{SELF} {NEED}? {REQUEST_VERB} {ACCESS} {PREP}? SYSTEM' },
  { kind: 'requestAccess', change: 'new', pattern: '{REQUEST_VERB} {ACCESS} {PREP}? SYSTEM' },

  // After the access requests: "I need access to X" is access; what else one needs or orders is equipment.
  { kind: 'help', pattern: '{ASKER} {NEED} {HELP}' },
  { kind: 'requestEquipment', pattern: '{ASKER}? {NEED}? {ORDER_VERB} {ORDER_OBJECT}' },
  { kind: 'requestEquipment', pattern: '{ASKER} {NEED} {ORDER_OBJECT}' },
  {
    kind: 'requestEquipment',
    pattern: '{ASKER}? {NEED}? {ORDER_VERB} {ITEM_ART}? NUMBER? {NEW}? ITEM {ROOM_PREP} {ART}? ROOM',
  },
  { kind: 'requestEquipment', pattern: '{ASKER}? {NEED}? {ORDER_VERB} {ITEM_ART}? NUMBER? {NEW}? ITEM' },
  {
    kind: 'requestEquipment',
    pattern: '{ASKER} {NEED} {ITEM_ART}? NUMBER? {NEW}? ITEM {ROOM_PREP} {ART}? ROOM',
  },
  { kind: 'requestEquipment', pattern: '{ASKER} {NEED} {ITEM_ART}? NUMBER? {NEW}? ITEM' },

  { kind: 'inventoryMine', pattern: '{WHAT} {ORDER_OBJECT}? {BE} {REGISTERED} {PREP} {SELF}' },
  { kind: 'inventoryMine', pattern: '{WHAT} {ORDER_OBJECT} {HAVE} {SELF} {HAVE}?' },
  { kind: 'inventoryMine', pattern: '{SHOW}? {MY} {ORDER_OBJECT}' },
  { kind: 'inventoryMine', pattern: '{SHOW}? {ORDER_OBJECT} {REGISTERED}? {PREP} {SELF}' },
  { kind: 'inventoryUnit', pattern: '{WHAT} {ORDER_OBJECT} {HAVE} {UNIT_NOUN}? SCOPE {HAVE}?' },
  { kind: 'inventoryUnit', pattern: '{WHAT} {ORDER_OBJECT}? {BE} {REGISTERED} {PREP} {UNIT_NOUN}? SCOPE' },
  { kind: 'inventoryUnit', pattern: '{SHOW}? {ORDER_OBJECT} {REGISTERED}? {PREP} {UNIT_NOUN}? SCOPE' },

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
  { kind: 'whoOwns', pattern: '{WHO} PAST_VERB {PREP}? {ART}? SYSTEM {DATE_PREP}? DATE' },
  { kind: 'whoOwns', pattern: '{WHO} {BE} {ART}? ROLE {PREP}? SYSTEM {DATE_PREP}? DATE' },
  { kind: 'whoOwns', pattern: '{WHO} PAST_VERB {PREP}? {ART}? SYSTEM' },
  { kind: 'whoOwns', pattern: '{WHO} {BE}? {ART}? ROLE {PREP}? SYSTEM' },
  { kind: 'whoOwns', pattern: '{WHO} VERB {PREP}? {ART}? SYSTEM' },
  { kind: 'whoOwns', pattern: '{WHO} {HAVE} {RESPONSIBILITY} {PREP}? SYSTEM' },
  { kind: 'whoOwns', focus: 'administrator', pattern: '{WHO} {HAVE} {ANSVAR} {PREP}? SYSTEM' },
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

type ByFirstWord<T> = ReadonlyMap<string, readonly T[]>;

/** `items` grouped by the first word of their phrase, each group in the order of `items`. */
function byFirstWord<T>(items: readonly T[], phraseOf: (item: T) => Phrase): ByFirstWord<T> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const first = phraseOf(item)[0]!;
    const group = groups.get(first);
    if (group) group.push(item);
    else groups.set(first, [item]);
  }
  return groups;
}

const NONE: readonly never[] = [];

/** The phrases or entries of `byFirst` that may start at `token` (none past the last token). */
function startingAt<T>(byFirst: ByFirstWord<T>, token: Token | undefined): readonly T[] {
  return token === undefined ? NONE : (byFirst.get(token.folded) ?? NONE);
}

/** `byFirst`: the same phrases or entries, in the same order, by their first word (what `match` looks up). */
type Element =
  | { type: 'words'; phrases: Phrase[]; byFirst: ByFirstWord<Phrase>; optional: boolean }
  | { type: 'role'; entries: Entry<SystemFocus>[]; byFirst: ByFirstWord<Entry<SystemFocus>> }
  | {
      type: 'organisationRole';
      entries: Entry<OrganisationRole>[];
      byFirst: ByFirstWord<Entry<OrganisationRole>>;
    }
  | { type: 'capture'; name: CaptureName }
  | { type: 'number'; optional: boolean }
  | { type: 'date' };

type CaptureName = 'system' | 'person' | 'scope' | 'item' | 'room';

interface MatchState {
  focus?: SystemFocus;
  organisationRole?: OrganisationRole;
  /** The value of a `NUMBER`. */
  number?: number;
  /** The day of a `DATE`, YYYY-MM-DD. */
  date?: string;
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
const PAST_VERB_ENTRIES = roleEntries(PAST_ROLE_VERBS);
const ORGANISATION_NOUN_ENTRIES = roleEntries(ORGANISATION_ROLE_NOUNS);
const ORGANISATION_VERB_ENTRIES = roleEntries(ORGANISATION_ROLE_VERBS);

function wordsElement(list: Phrase[], optional: boolean): Element {
  return { type: 'words', phrases: list, byFirst: byFirstWord(list, (p) => p), optional };
}

const role = (entries: Entry<SystemFocus>[]): Element => ({
  type: 'role',
  entries,
  byFirst: byFirstWord(entries, (e) => e.phrase),
});

const organisationRole = (entries: Entry<OrganisationRole>[]): Element => ({
  type: 'organisationRole',
  entries,
  byFirst: byFirstWord(entries, (e) => e.phrase),
});

function compile(pattern: string): Element[] {
  return pattern.split(' ').map((part): Element => {
    const optional = part.endsWith('?');
    const body = optional ? part.slice(0, -1) : part;
    if (body === 'ROLE') return role(NOUN_ENTRIES);
    if (body === 'VERB') return role(VERB_ENTRIES);
    if (body === 'PAST_VERB') return role(PAST_VERB_ENTRIES);
    if (body === 'NUMBER') return { type: 'number', optional };
    if (body === 'DATE') return { type: 'date' };
    if (body === 'ITEM') return { type: 'capture', name: 'item' };
    if (body === 'ROOM') return { type: 'capture', name: 'room' };
    if (body === 'ORG_ROLE') return organisationRole(ORGANISATION_NOUN_ENTRIES);
    if (body === 'ORG_VERB') return organisationRole(ORGANISATION_VERB_ENTRIES);
    if (body === 'SYSTEM') return { type: 'capture', name: 'system' };
    if (body === 'PERSON') return { type: 'capture', name: 'person' };
    if (body === 'SCOPE') return { type: 'capture', name: 'scope' };
    const classMatch = /^\{([A-Z_]+)\}$/.exec(body);
    if (classMatch) {
      const words = CLASSES[classMatch[1]!];
      if (!words) throw new Error(`intent pattern names an unknown word class: ${body}`);
      return wordsElement(phrases(words), optional);
    }
    return wordsElement(phrases(body.split('|')), optional);
  });
}

/**
 * The words a match of `elements` can begin with (folded), or undefined when it may begin with any word (a name, a
 * number, a date). A message whose first word is not among them cannot match the pattern, so `parse` skips it
 * without trying: most patterns begin with a few fixed words, and a question is tried against all of them in order.
 */
function firstWords(elements: readonly Element[]): ReadonlySet<string> | undefined {
  const words = new Set<string>();
  for (const element of elements) {
    switch (element.type) {
      case 'words':
        for (const phrase of element.phrases) words.add(phrase[0]!);
        if (element.optional) continue;
        return words;
      case 'role':
      case 'organisationRole':
        for (const { phrase } of element.entries) words.add(phrase[0]!);
        return words;
      default:
        return undefined;
    }
  }
  // Every element optional: the pattern also fits an empty message.
  return undefined;
}

const COMPILED = PATTERNS.map((p) => {
  const elements = compile(p.pattern);
  return { ...p, elements, first: firstWords(elements) };
});
const GREETINGS = phrases(WORD_CLASSES.GREETING!);
const POLITE = phrases(WORD_CLASSES.POLITE!);
/** Longest first, so "thank you" is taken whole before "thank". */
const THANKS = phrases(WORD_CLASSES.THANKS!);
const SOCIAL = [...GREETINGS, ...POLITE, ...THANKS].sort((a, b) => b.length - a.length);
/** Words that thank ("tack", "takk", "thanks", "thank" ...), wherever they stand in a polite phrase. */
const THANK_WORDS = new Set([...THANKS.filter((p) => p.length === 1).map((p) => p[0]!), 'thank']);
const GREETING_PHRASES = new Set(GREETINGS.map((p) => p.join(' ')));
const SMALL_TALK = phrases(WORD_CLASSES.SMALL_TALK!).sort((a, b) => b.length - a.length);
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

const NUMBERS = new Map(Object.entries(NUMBER_WORDS).map(([word, value]) => [fold(word), value]));
/** Quantities and day counts above this are not what people type; a bigger number is read as no number. */
const MAX_NUMBER = 999;

function numberAt(token: Token | undefined): number | undefined {
  if (!token) return undefined;
  const value = /^\d{1,3}$/.test(token.folded) ? Number(token.folded) : NUMBERS.get(token.folded);
  return value !== undefined && value > 0 && value <= MAX_NUMBER ? value : undefined;
}

/**
 * Month names in the four languages, long and short ("mars", "mar", "March"), from the platform's locale data
 * rather than a hand-kept list.
 */
const MONTHS = new Map<string, number>();
for (const language of LANGUAGES) {
  for (const style of ['long', 'short'] as const) {
    const format = new Intl.DateTimeFormat(language, { month: style, timeZone: 'UTC' });
    for (let month = 0; month < 12; month += 1) {
      const name = fold(format.format(new Date(Date.UTC(2000, month, 1)))).replace(/\.$/, '');
      if (!MONTHS.has(name)) MONTHS.set(name, month + 1);
    }
  }
}

/** YYYY-MM-DD of a real calendar day, else undefined ("2025-02-30" is no day). */
function isoDay(year: number, month: number, day: number): string | undefined {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return undefined;
  return date.toISOString().slice(0, 10);
}

const DAY_MONTH_YEAR = /^(\d{1,2})[./](\d{1,2})[./-](\d{4})$/;
const DAY_MONTH = /^(\d{1,2})[./](\d{1,2})$/;

/** Years a month without a day may name: "mars 2024"; outside this a four-digit number is no year. */
const MONTH_YEARS = { first: 1990, last: 2099 };

/**
 * A day written at `at`: "2025-03-01", "1.3.2025" or "1/3/2025" (one token), "1/3 2025" (two), "1 mars 2025", "1. mars 2025" or "March 1, 2025"
 * (three; `tokenize` has dropped the dot and the comma). A month and a year without a day ("mars 2024", "in March
 * 2024") is its first day: the register's state as the month began. The day and how many tokens it took.
 */
export function dateAt(tokens: readonly Token[], at: number): { date: string; length: number } | undefined {
  const first = tokens[at]?.folded;
  if (first === undefined) return undefined;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(first);
  // Day first, as the four languages' readers write it: "1.3.2025", "1/3/2025", "1/3-2025".
  const dotted = DAY_MONTH_YEAR.exec(first);
  const single = iso
    ? isoDay(Number(iso[1]), Number(iso[2]), Number(iso[3]))
    : dotted
      ? isoDay(Number(dotted[3]), Number(dotted[2]), Number(dotted[1]))
      : undefined;
  if (single) return { date: single, length: 1 };
  const [second, third] = [tokens[at + 1]?.folded, tokens[at + 2]?.folded];
  // "1/3 2025", "1.3 2025": day and month, then the year.
  const dayMonth = second !== undefined && /^\d{4}$/.test(second) ? DAY_MONTH.exec(first) : null;
  const split = dayMonth ? isoDay(Number(second), Number(dayMonth[2]), Number(dayMonth[1])) : undefined;
  if (split) return { date: split, length: 2 };
  const month = MONTHS.get(first);
  if (month !== undefined && second !== undefined && /^\d{4}$/.test(second)) {
    const year = Number(second);
    if (year >= MONTH_YEARS.first && year <= MONTH_YEARS.last)
      return { date: isoDay(year, month, 1)!, length: 2 };
  }
  if (second === undefined || third === undefined || !/^\d{4}$/.test(third)) return undefined;
  const dayFirst = /^\d{1,2}$/.test(first) ? MONTHS.get(second) : undefined;
  const monthFirst = /^\d{1,2}$/.test(second) ? MONTHS.get(first) : undefined;
  const date =
    dayFirst !== undefined
      ? isoDay(Number(third), dayFirst, Number(first))
      : monthFirst !== undefined
        ? isoDay(Number(third), monthFirst, Number(second))
        : undefined;
  return date ? { date, length: 3 } : undefined;
}

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
      for (const phrase of startingAt(element.byFirst, tokens[ti])) {
        if (!startsWith(tokens, ti, phrase)) continue;
        const found = match(elements, ei + 1, tokens, ti + phrase.length, state);
        if (found) return found;
      }
      return element.optional ? match(elements, ei + 1, tokens, ti, state) : undefined;
    }
    case 'role': {
      for (const { phrase, key } of startingAt(element.byFirst, tokens[ti])) {
        if (!startsWith(tokens, ti, phrase)) continue;
        const found = match(elements, ei + 1, tokens, ti + phrase.length, { ...state, focus: key });
        if (found) return found;
      }
      return undefined;
    }
    case 'organisationRole': {
      for (const { phrase, key } of startingAt(element.byFirst, tokens[ti])) {
        if (!startsWith(tokens, ti, phrase)) continue;
        const found = match(elements, ei + 1, tokens, ti + phrase.length, {
          ...state,
          organisationRole: key,
        });
        if (found) return found;
      }
      return undefined;
    }
    case 'number': {
      const value = numberAt(tokens[ti]);
      const found =
        value === undefined
          ? undefined
          : match(elements, ei + 1, tokens, ti + 1, { ...state, number: value });
      return found ?? (element.optional ? match(elements, ei + 1, tokens, ti, state) : undefined);
    }
    case 'date': {
      const day = dateAt(tokens, ti);
      return day && match(elements, ei + 1, tokens, ti + day.length, { ...state, date: day.date });
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
    const found = SOCIAL.find((phrase) => startsWith(tokens, at, phrase));
    const other = found ?? SMALL_TALK.find((phrase) => startsWith(tokens, at, phrase));
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
  for (const pattern of COMPILED) {
    if (pattern.first !== undefined && !pattern.first.has(head)) continue;
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
        return {
          kind: 'care',
          action,
          personQuery: joinRaw(range('person')),
          role,
          system: scopeOf(range('system')),
        };
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
  const cleaned = cleanUtterance(text.slice(0, MAX_CHARS));
  const { language, norwegian } = languageEvidence(cleaned);
  const words = tokenize(cleaned);
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
  return understanding;
}
