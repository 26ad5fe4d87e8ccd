import type { Organisation, OrganisationRole, Person, SystemRecord, Unit } from '../../data/model.js';
import type { SystemFocus, SystemListKind } from '../responsibility/answers.js';
import type { RegisterIndexes } from '../search/registerView.js';
import { lookupSystem } from '../search/systemLookup.js';
import {
  ABOUT_WORDS,
  ABSENCE_WORDS,
  APPROVE_WORDS,
  EQUIPMENT_WORDS,
  REGISTERED_WORDS,
  APPROVAL_WORDS,
  CARE_ASSIGN_WORDS,
  CARE_EDIT_WORDS,
  CHANGE_WORDS,
  CHECK_WORDS,
  DAY_WORDS,
  FILLER_WORDS,
  GAP_WORDS,
  gapRoleOf,
  GET_WORDS,
  GREETING_WORDS,
  HANDOVER_WORDS,
  HEAD_WORDS,
  HELP_WORDS,
  misspeltRoleCueOf,
  LIST_WORDS,
  MY_WORDS,
  NAME_GLOSSARY,
  NEED_WORDS,
  OPEN_WORDS,
  QUESTION_WORDS,
  REGISTER_WORDS,
  REQUEST_WORDS,
  roleCueOf,
  rolePhraseAt,
  ROLES_WORDS,
  SELF_WORDS,
  spaceRunTogether,
  STOP_WORDS,
  SYSTEMS_WORDS,
  TO_WORDS,
  WAITING_WORDS,
  WEEK_WORDS,
  WHO_WORDS,
  type RoleCue,
} from './cues.js';
import { languageEvidenceOf } from './language.js';
import { dateAt, understand, type Intent, type Scope, type Understanding } from './intent.js';
import { cleanUtterance, keyOfFolded, normaliseKey, spelledOut, tokenize, type Token } from './normalise.js';

/**
 * Entities first, then intent (issue 10). The grammar (intent.ts) stays the fast path: when one of its patterns
 * covers the message and what it captured as a system names one, its reading stands. Otherwise the message is
 * read for what it names, anywhere and in any order:
 *
 * 1. Entities, from the register's indexes: systems (a run of one to four words that is a name or alias exactly,
 *    after folding; the longest run wins), organisations, units, people, a date. When no run names a system
 *    exactly, the words that are no cue and no small talk are searched fuzzily as one name (typos, missing
 *    diacritics) with the same lookup rule as the answer uses (search/systemLookup.ts).
 * 2. Cues around them (cues.ts): role words in any form and language, question words, gap words ("utan",
 *    "manglar", "without"), list words, need words, "about" words.
 * 3. The intent, scored by which cues and entities were found (`decide`): a gap word with an owner or deputy word and
 *    no system is a list (with an administrator word and "systems", the whole list); a system is asked about (the roles
 *    named, or all of them), unless the message only mentions it in a sentence that asks nothing; an organisation role
 *    without a system is that role; a person with a roles word is their roles. Nothing found: the grammar's answer
 *    (help, unknown) stands.
 *
 * Costs: one pass of Map lookups over at most MAX_SCAN words (four per word), and at most one fuzzy search.
 */

/** Runs longer than this are no system name people type. */
const MAX_NAME_WORDS = 4;
/** Only the first words are read for entities: bounds the cost of a long message. */
const MAX_SCAN = 30;

interface Span {
  start: number;
  end: number;
}

interface SystemSpan extends Span {
  systems: readonly SystemRecord[];
  /** The name or alias as the register spells it, when the words typed are another form of it ("Lifeacre"). */
  spelled?: string;
}

interface Found {
  tokens: Token[];
  words: string[];
  /** Per word: the role it names (a role word, or the first word of a role phrase) and the words it covers. */
  roles: { at: number; length: number; cue: RoleCue }[];
  system?: SystemSpan;
  organisation?: Span & { organisation: Organisation };
  unit?: Span & { units: readonly Unit[] };
  person?: Span & { people: readonly Person[] };
  /** A second person named, after the first ("flytt rollene hennar over til Eirik Vatne"). */
  otherPerson?: Span & { people: readonly Person[] };
  date?: { at: number; length: number; date: string };
  question: boolean;
  gap: boolean;
  list: boolean;
  systemsWord: boolean;
  need: boolean;
  about: boolean;
  /** "om" / "about" right before the system: asks about it only when nothing else is said ("mötet om X flyttas"). */
  aboutSystem: boolean;
  stop: boolean;
  change: boolean;
  who: boolean;
  get: boolean;
  my: boolean;
  self: boolean;
  requests: boolean;
  open: boolean;
  waiting: boolean;
  approval: boolean;
  check: boolean;
  register: boolean;
  hygiene: boolean;
  /** An access review named ("granskningar", "tilgangsgjennomgangar", "access reviews"), or asked to start. */
  review: boolean;
  reviewStart: boolean;
  greeting: boolean;
  questionMark: boolean;
  /** "roller", "roles", "uppdrag": one's roles as a whole. */
  rolesWord: boolean;
  /** A number of days ("5 dagar", "en uke" = 7) anywhere in the message. */
  days?: number;
  /** The first word assigns a role ("lägg till", "gjer", "make") or edits an entry ("ändra", "edit"). */
  careAssign: boolean;
  careEdit: boolean;
  /** Where the edit word stands: first, or right after a greeting ("hi, edit Raindance"). */
  careEditAt: number;
  /** A help word ("hjälp", "hjelpe", "help"): a greeting with it is no mere greeting. */
  help: boolean;
  /**
   * Where a role holder is said to be away: after "när / når / when / while" with an absence word ("borte", "sjuk",
   * "on leave"); -1 when not. A role named there asks for whoever stands in ("kven steppar inn når
   * fagsystemansvarleg er borte"); a role asked before it does not ("kven er fagsystemansvarleg når Jorunn er borte").
   */
  awayFrom: number;
  /** Where absence words stand ("borte", "sjuk", "away"), said of a role holder or of a system. */
  absent: number[];
  /** A word that moves roles to someone ("flytt", "transfer", "ge"). */
  handover: boolean;
  /** Equipment as things held ("utrustning", "utstyr", "devices"), and "registrerad / registered". */
  equipment: boolean;
  registered: boolean;
  /** Approving as a verb ("godkänna", "approve"). */
  approve: boolean;
  /** Words that are no cue, no entity and no small talk: what is left to be a name. */
  rest: number[];
}

interface Names {
  organisations: Map<string, Organisation>;
  units: Map<string, Unit[]>;
  /** Every word of the systems' names and aliases, by `normaliseKey` ("visma", "flyt", "skole"). */
  systemWords: Set<string>;
  /** Every two neighbouring words of a name or alias, joined by a space ("visma flyt", "flyt skole", "time care"). */
  systemWordPairs: Set<string>;
}

/** Organisation and unit names of a register revision, by `normaliseKey`; made on the first reading. */
const namesByRevision = new WeakMap<RegisterIndexes, Names>();
/** Words organisations' names carry that people leave out. */
const ORGANISATION_SUFFIXES = new Set(['kommune', 'kommun', 'municipality', 'fylkeskommune']);

function namesOf(indexes: RegisterIndexes): Names {
  let names = namesByRevision.get(indexes);
  if (names) return names;
  const organisations = new Map<string, Organisation>();
  for (const organisation of indexes.organisations.values()) {
    // "Nesøy" is also "Nesoy" (folded) and "Nesoey" (spelled out).
    for (const name of new Set([organisation.name, spelledOut(organisation.name)])) {
      const words = name.split(/\s+/);
      organisations.set(normaliseKey(name), organisation);
      const core = words.filter((w) => !ORGANISATION_SUFFIXES.has(w.toLowerCase()));
      if (core.length > 0 && core.length < words.length) {
        const key = normaliseKey(core.join(' '));
        organisations.set(key, organisation);
        if (key.length > 3) organisations.set(`${key}s`, organisation);
        // "Tanums kommun" is "Tanum" without the Swedish genitive.
        if (key.length > 4 && key.endsWith('s')) organisations.set(key.slice(0, -1), organisation);
      }
    }
  }
  const units = new Map<string, Unit[]>();
  for (const unit of indexes.register.units) {
    for (const key of unitKeys(unit.name)) units.set(key, [...(units.get(key) ?? []), unit]);
  }
  const systemWords = new Set<string>();
  const systemWordPairs = new Set<string>();
  for (const system of indexes.register.systems) {
    for (const name of [system.name, ...system.aliases]) {
      const keys = tokenize(name).map((token) => keyOfFolded(token.folded));
      keys.forEach((key, k) => {
        systemWords.add(key);
        if (k > 0) systemWordPairs.add(`${keys[k - 1]} ${key}`);
      });
    }
  }
  names = { organisations, units, systemWords, systemWordPairs };
  namesByRevision.set(indexes, names);
  return names;
}

/** Words units' names end with that people leave out ("barn och utbildning" for Barn- och utbildningsförvaltningen). */
const UNIT_SUFFIXES = [
  'forvaltningen',
  'forvaltning',
  'enheten',
  'avdelningen',
  'avdelinga',
  'kontoret',
  'sektorn',
  'sektoren',
  'etaten',
  'tenesta',
  'tjenesten',
];

/** A unit's name, and without a suffix people leave out (and the joining s before it), when six letters remain. */
function unitKeys(name: string): string[] {
  const key = normaliseKey(name);
  const keys = [key];
  for (const suffix of UNIT_SUFFIXES) {
    if (!key.endsWith(suffix) || key.length - suffix.length < 6) continue;
    const core = key.slice(0, -suffix.length);
    keys.push(core);
    if (core.endsWith('s') && core.length > 6) keys.push(core.slice(0, -1));
    break;
  }
  return keys;
}

function joinRaw(tokens: readonly Token[], span: Span): string {
  return tokens
    .slice(span.start, span.end)
    .map((t) => t.raw)
    .join(' ');
}

function overlaps(a: Span | undefined, at: number): boolean {
  return a !== undefined && at >= a.start && at < a.end;
}

/**
 * The key of every run of one to MAX_NAME_WORDS words, by length and start: the words' keys joined, or '' for a
 * run made only of filler or shorter than two characters. Made once per message and shared by the lookups of
 * organisations, systems, units and people (a string hashes once, however many maps it is looked up in).
 */
function runKeysOf(keys: readonly string[], words: readonly string[]): string[][] {
  const runs: string[][] = [[]];
  for (let length = 1; length <= Math.min(MAX_NAME_WORDS, keys.length); length += 1) {
    const row: string[] = [];
    for (let start = 0; start + length <= keys.length; start += 1) {
      let key = '';
      let content = false;
      for (let i = start; i < start + length; i += 1) {
        key += keys[i]!;
        if (!FILLER_WORDS.has(words[i]!)) content = true;
      }
      row.push(content && key.length >= 2 ? key : '');
    }
    runs.push(row);
  }
  return runs;
}

/** The longest run of words (first on ties) whose key `lookup` knows, skipping runs with a word `taken`. */
function longestRun<T>(
  runs: readonly (readonly string[])[],
  lookup: (key: string) => T | undefined,
  taken: (at: number) => boolean,
): (Span & { value: T }) | undefined {
  for (let length = runs.length - 1; length >= 1; length -= 1) {
    const row = runs[length]!;
    for (let start = 0; start < row.length; start += 1) {
      const key = row[start]!;
      if (key === '') continue;
      let free = true;
      for (let i = start; i < start + length && free; i += 1) if (taken(i)) free = false;
      if (!free) continue;
      const value = lookup(key);
      if (value !== undefined) return { start, end: start + length, value };
    }
  }
  return undefined;
}

/** Step 1 and 2: what the message names and which cues it holds. */
function find(tokens: Token[], indexes: RegisterIndexes): Found {
  const scanned = tokens.slice(0, MAX_SCAN);
  const words = scanned.map((t) => t.folded);
  const keys = scanned.map((t) => keyOfFolded(t.folded));
  const names = namesOf(indexes);
  const found: Found = {
    tokens: scanned,
    words,
    roles: [],
    question: false,
    gap: false,
    list: false,
    systemsWord: false,
    need: false,
    about: false,
    aboutSystem: false,
    stop: false,
    change: false,
    who: false,
    get: false,
    my: false,
    self: false,
    requests: false,
    open: false,
    waiting: false,
    approval: false,
    check: false,
    register: false,
    hygiene: false,
    review: false,
    reviewStart: false,
    greeting: false,
    questionMark: false,
    rolesWord: false,
    careAssign: words.slice(0, 4).some((w) => CARE_ASSIGN_WORDS.has(w)),
    careEdit: false,
    careEditAt: -1,
    help: false,
    awayFrom: -1,
    absent: [],
    handover: false,
    equipment: false,
    registered: false,
    approve: false,
    rest: [],
  };
  let first = 0;
  while (first < words.length - 1 && GREETING_WORDS.has(words[first]!)) first += 1;
  if (CARE_EDIT_WORDS.has(words[first] ?? '')) {
    found.careEdit = true;
    found.careEditAt = first;
  }
  const runs = runKeysOf(keys, words);
  const organisation = longestRun(
    runs,
    (k) => names.organisations.get(k),
    () => false,
  );
  if (organisation) found.organisation = { ...organisation, organisation: organisation.value };
  const systems = longestRun(
    runs,
    (k) => indexes.systems.byKey(k),
    (at) => overlaps(found.organisation, at),
  );
  if (systems) {
    found.system = { start: systems.start, end: systems.end, systems: systems.value };
    const spelled = respaced(systems.value, words.slice(systems.start, systems.end));
    if (spelled !== undefined) found.system.spelled = spelled;
  } else {
    const definite = definiteSystem(keys, words, indexes, (at) => overlaps(found.organisation, at));
    if (definite) found.system = definite;
  }
  const taken = (at: number) => overlaps(found.organisation, at) || overlaps(found.system, at);
  const unit = longestRun(runs, (k) => names.units.get(k), taken);
  if (unit) found.unit = { ...unit, units: unit.value };
  const person = longestRun(
    runs,
    // "Anna Bergs roller": a name with the genitive s.
    (k) =>
      k.length > 4
        ? (indexes.people.byKey(k) ?? (k.endsWith('s') ? indexes.people.byKey(k.slice(0, -1)) : undefined))
        : undefined,
    (at) => taken(at) || overlaps(found.unit, at),
  );
  // A person is a name of two words or more ("Sofia Lund"), or an e-mail: one first name is too loose.
  const fullName = (run: Span) => run.end - run.start >= 2 || scanned[run.start]!.raw.includes('@');
  if (person && fullName(person)) {
    found.person = { ...person, people: person.value };
    const other = longestRun(
      runs,
      (k) => (k.length > 4 ? indexes.people.byKey(k) : undefined),
      (at) => taken(at) || overlaps(found.unit, at) || overlaps(found.person, at),
    );
    if (other && fullName(other) && other.value[0] !== person.value[0])
      found.otherPerson = { ...other, people: other.value };
  }
  const entity = (at: number) =>
    taken(at) ||
    overlaps(found.unit, at) ||
    overlaps(found.person, at) ||
    overlaps(found.otherPerson, at) ||
    (found.date !== undefined && at >= found.date.at && at < found.date.at + found.date.length);
  let when = -1;
  for (let i = 0; i < words.length; i += 1) {
    if (found.date === undefined) {
      const day = dateAt(scanned, i);
      if (day) found.date = { at: i, length: day.length, date: day.date };
    }
    if (entity(i)) continue;
    const word = words[i]!;
    const phrase = rolePhraseAt(words, i);
    if (phrase) {
      found.roles.push({ at: i, length: phrase.length, cue: phrase.cue });
      i += phrase.length - 1;
      continue;
    }
    const gapRole = gapRoleOf(word);
    if (gapRole) {
      found.gap = true;
      found.systemsWord ||= SYSTEMS_WORDS.has(words[i + 1] ?? '');
      found.roles.push({ at: i, length: 1, cue: { kind: 'role', focus: gapRole } });
      continue;
    }
    // "kven (som) er vara for X": after "er", "vara" is the Norwegian deputy, not the Swedish "to be".
    const cue =
      word === 'vara' && BE_WORDS.has(words[i - 1] ?? '')
        ? ({ kind: 'role', focus: 'deputy' } as const)
        : roleCueOf(word);
    if (cue) {
      found.roles.push({ at: i, length: 1, cue });
      continue;
    }
    let known = false;
    const number = numberWord(word);
    if (number !== undefined) {
      const next = words[i + 1] ?? '';
      if (DAY_WORDS.has(next)) found.days ??= number;
      else if (WEEK_WORDS.has(next)) found.days ??= number * 7;
    }
    if (WEEK_WORDS.has(word) && found.days === undefined) found.days = 7;
    if (WHO_WORDS.has(word)) found.who = known = true;
    if (GET_WORDS.has(word)) found.get = known = true;
    if (MY_WORDS.has(word)) found.my = known = true;
    if (SELF_WORDS.has(word)) found.self = known = true;
    if (REQUEST_WORDS.has(word)) found.requests = known = true;
    // "väntar" is a waiting word first: "något som väntar på mig" asks what awaits the asker, not what is open.
    if (OPEN_WORDS.has(word) && !WAITING_WORDS.has(word)) found.open = known = true;
    else if (OPEN_WORDS.has(word)) known = true;
    if (WAITING_WORDS.has(word)) found.waiting = known = true;
    if (APPROVAL_WORDS.has(word)) found.approval = known = true;
    if (CHECK_WORDS.has(word)) found.check = known = true;
    if (REGISTER_WORDS.has(word)) found.register = known = true;
    if (word.startsWith('hygien')) found.hygiene = known = true;
    if (REVIEW_NOUN.test(word)) found.review = known = true;
    if (REVIEW_START.has(word)) found.reviewStart = known = true;
    if (GREETING_WORDS.has(word)) found.greeting = known = true;
    if (HELP_WORDS.has(word)) found.help = true;
    if (WHEN_WORDS.has(word) && when < 0) when = i;
    if (ABSENCE_WORDS.has(word)) {
      known = true;
      found.absent.push(i);
      if (when >= 0 && found.awayFrom < 0) found.awayFrom = when;
    }
    if (HANDOVER_WORDS.has(word)) found.handover = true;
    if (EQUIPMENT_WORDS.has(word)) found.equipment = true;
    if (REGISTERED_WORDS.has(word)) found.registered = true;
    if (APPROVE_WORDS.has(word)) found.approve = known = true;
    if (ROLES_WORDS.has(word)) found.rolesWord = known = true;
    if (QUESTION_WORDS.has(word)) found.question = known = true;
    if (GAP_WORDS.has(word)) found.gap = known = true;
    if (LIST_WORDS.has(word)) found.list = known = true;
    if (SYSTEMS_WORDS.has(word)) found.systemsWord = known = true;
    if (NEED_WORDS.has(word)) found.need = known = true;
    // "om" / "about" only asks about a system it stands right before ("berätta om X", not "möte om budgeten").
    if (ABOUT_WORDS.has(word) && !WEAK_ABOUT.has(word)) found.about = known = true;
    else if (WEAK_ABOUT.has(word)) {
      if (found.system?.start === i + 1) found.aboutSystem = true;
      known = true;
    }
    if (STOP_WORDS.has(word)) found.stop = known = true;
    // "är inte längre", "er ikkje lenger", "is no longer": an end.
    if (LONGER_WORDS.has(word) && NOT_WORDS.has(words[i - 1] ?? '')) found.stop = known = true;
    if (CHANGE_WORDS.has(word)) found.change = known = true;
    if (known || FILLER_WORDS.has(word) || /^\d+$/.test(word)) continue;
    // "säkerhets ansvarig", "data skydds ombud", "stedfor treder": a role word typed apart.
    const apart = roleTypedApart(words, i, entity);
    if (apart) {
      found.roles.push({ at: i, length: apart.length, cue: apart.cue });
      i += apart.length - 1;
      continue;
    }
    // A role word with a typo, read only beside a system the message names ("adminstrator of Lifecare").
    const misspelt = found.system ? misspeltRoleCueOf(word) : undefined;
    if (misspelt) found.roles.push({ at: i, length: 1, cue: misspelt });
    else found.rest.push(i);
  }
  headOfIt(found);
  if (!found.system) {
    const transposed = transposedSystem(found, keys, indexes) ?? gluedSystem(found, keys, indexes);
    if (transposed) {
      found.system = transposed;
      found.rest = found.rest.filter((at) => at < transposed.start || at >= transposed.end);
    }
  }
  return found;
}

/**
 * A word left over that is a role word or a small word run into a system's name or alias ("ägarprocapita",
 * "vem äger förprocapita", "forgerica"): the name, and the role when one was typed with it. The name must be five
 * letters or more, a proper name (not an everyday word that is an alias), and the word before it two letters or more.
 */
function gluedSystem(
  found: Found,
  keys: readonly string[],
  indexes: RegisterIndexes,
): SystemSpan | undefined {
  for (const at of found.rest) {
    const key = keys[at]!;
    for (let k = 2; k + 5 <= key.length; k += 1) {
      // The name first (a Map lookup); the role word check, which costs more, only before a name.
      const name = key.slice(k);
      const systems = indexes.systems.byKey(name);
      // A proper name only: an everyday word that is an alias ("schemat", "arkivet") ends many compounds.
      const spelled = systems ? spelling(systems, name) : undefined;
      if (!systems || spelled === undefined || !/[\p{Lu}\d]/u.test(spelled)) continue;
      const head = key.slice(0, k);
      const role = roleCueOf(head);
      if (role === undefined && !FILLER_WORDS.has(head)) continue;
      if (role) found.roles.push({ at, length: 1, cue: role });
      return { start: at, end: at + 1, systems, spelled };
    }
  }
  return undefined;
}

/**
 * A role word typed as two or three words from the unknown word at `at` ("säkerhets ansvarig" for
 * säkerhetsansvarig, "data skydds ombud"): the words joined name a role, and another one than the words after the
 * first name alone ("ansvarig" is the administrator, "säkerhetsansvarig" the security officer), so the first word is
 * part of the role word, not a name before it ("Lifecar ägare" stays a name and a role). Only for a word no cue
 * knows, so at most two more role-word checks for each such word.
 */
function roleTypedApart(
  words: readonly string[],
  at: number,
  entity: (at: number) => boolean,
): { cue: RoleCue; length: number } | undefined {
  for (const length of [2, 3]) {
    if (at + length > words.length || entity(at + length - 1)) return undefined;
    const parts = words.slice(at, at + length).map(keyOfFolded);
    const cue = roleCueOf(parts.join(''));
    if (cue === undefined) continue;
    const rest = roleCueOf(parts.slice(1).join(''));
    if (!sameRole(cue, rest)) return { cue, length };
  }
  return undefined;
}

function sameRole(a: RoleCue, b: RoleCue | undefined): boolean {
  if (b === undefined || a.kind !== b.kind) return false;
  return a.kind === 'role' ? a.focus === (b as typeof a).focus : a.role === (b as typeof a).role;
}

const OF_WORDS = new Set(['for', 'of', 'pa', 'i', 'over', 'til', 'till']);
const IT_WORDS = new Set(['it', 'ikt', 'ict', 'data']);

/**
 * "chef för IT-enheten", "leiar for IKT-tenesta": the head of the IT unit is the IT manager. The IT unit is named by
 * its role word, by a unit of the register called IT-, IKT- or Data-something, or as IT itself ("chef för IT").
 */

function headOfIt(found: Found): void {
  const { words } = found;
  for (let i = 0; i < words.length; i += 1) {
    if (!HEAD_WORDS.has(words[i]!)) continue;
    let j = i + 1;
    while (j < words.length && j <= i + 2 && FILLER_WORDS.has(words[j]!)) j += 1;
    const unitRole = found.roles.findIndex(
      (r) => r.at === j && r.cue.kind === 'organisationRole' && r.cue.role === 'it_unit',
    );
    const unitNamed =
      found.unit?.start === j && found.unit.units.every((u) => /^(it|ikt|data)/.test(normaliseKey(u.name)));
    // "leiar for IKT", "chef för IT", "head of ICT": IT itself named after the head.
    const itNamed =
      OF_WORDS.has(words[i + 1] ?? '') &&
      IT_WORDS.has(words[i + 2] ?? '') &&
      words.slice(i + 3).every((w) => FILLER_WORDS.has(w));
    if (unitRole < 0 && !unitNamed && !itNamed) continue;
    found.roles = found.roles.filter((r, k) => k !== unitRole && r.at !== i);
    if (unitNamed) delete found.unit;
    found.roles.unshift({ at: i, length: 1, cue: { kind: 'organisationRole', role: 'it_manager' } });
    return;
  }
}

/** Definite and plural endings a system's name or alias takes in a sentence ("trygghetslarmen", "Lifecaren"). */
const DEFINITE_ENDINGS = [
  'arna',
  'erna',
  'arne',
  'erne',
  'ane',
  'ene',
  'ens',
  'ets',
  'en',
  'et',
  'ns',
  'n',
  't',
  'a',
  's',
];

/** One word that is a system's name or alias with a definite or plural ending, when five letters remain. */
function definiteSystem(
  keys: readonly string[],
  words: readonly string[],
  indexes: RegisterIndexes,
  taken: (at: number) => boolean,
): SystemSpan | undefined {
  for (let at = 0; at < keys.length; at += 1) {
    const key = keys[at]!;
    if (key.length < 6 || taken(at) || FILLER_WORDS.has(words[at]!) || roleCueOf(words[at]!)) continue;
    for (const ending of DEFINITE_ENDINGS) {
      if (!key.endsWith(ending) || key.length - ending.length < 5) continue;
      const systems = indexes.systems.byKey(key.slice(0, -ending.length));
      if (systems)
        return { start: at, end: at + 1, systems, spelled: spelling(systems, key.slice(0, -ending.length)) };
    }
  }
  return undefined;
}

/** The name or alias of `systems` whose key is `key`, as the register spells it. */
function spelling(systems: readonly SystemRecord[], key: string): string | undefined {
  for (const system of systems) {
    for (const name of [system.name, ...system.aliases]) if (normaliseKey(name) === key) return name;
  }
  return undefined;
}

/**
 * The register's spelling of a name or alias typed with its words run together or split otherwise ("timecare" or
 * "time care" for "Time Care", "vismaflyt skole" for "Visma Flyt Skole"); undefined when typed word for word. The
 * answer then treats the name as it treats the spaced form: "Time Care", an alias of one system that another's name
 * holds too, is a choice of both, whether it was typed "Time Care" or "timecare".
 */
function respaced(systems: readonly SystemRecord[], typed: readonly string[]): string | undefined {
  const key = keyOfFolded(typed.join(''));
  const spelled = spelling(systems, key);
  if (spelled === undefined) return undefined;
  const words = tokenize(spelled).map((t) => keyOfFolded(t.folded));
  const same = words.length === typed.length && words.every((word, i) => word === keyOfFolded(typed[i]!));
  return same ? undefined : spelled;
}

/** A grammar reading of a name typed exactly but spaced otherwise, with the register's spelling (see `respaced`). */
function respacedCapture(intent: Extract<Intent, { kind: 'whoOwns' }>, indexes: RegisterIndexes): Intent {
  const respell = (query: string) => {
    const systems = indexes.systems.byKey(normaliseKey(query));
    return systems
      ? (respaced(
          systems,
          tokenize(query).map((t) => t.folded),
        ) ?? query)
      : query;
  };
  const query = respell(intent.query);
  const fullQuery = intent.fullQuery === intent.query ? query : respell(intent.fullQuery);
  return query === intent.query && fullQuery === intent.fullQuery ? intent : { ...intent, query, fullQuery };
}

/**
 * A word left over that is a system's one-word name or alias with two neighbouring letters swapped ("Lifeacre",
 * "Gercia", "Intnue"): the commonest typo, and two edits for the fuzzy search, which allows one in short words.
 */
function transposedSystem(
  found: Found,
  keys: readonly string[],
  indexes: RegisterIndexes,
): SystemSpan | undefined {
  const { rest } = found;
  // Longest runs of neighbouring leftover words first: "Tiem Care", "Visma Fylt Skole" (one word of the run
  // swapped, of three letters or more); a single word only of five letters or more.
  for (let length = Math.min(MAX_NAME_WORDS, rest.length); length >= 1; length -= 1) {
    for (let r = 0; r + length <= rest.length; r += 1) {
      const start = rest[r]!;
      if (rest[r + length - 1] !== start + length - 1) continue;
      for (let at = start; at < start + length; at += 1) {
        const key = keys[at]!;
        if (key.length < (length === 1 ? 5 : 3)) continue;
        const before = keys.slice(start, at).join('');
        const after = keys.slice(at + 1, start + length).join('');
        for (let k = 0; k + 1 < key.length; k += 1) {
          if (key[k] === key[k + 1]) continue;
          const swapped = before + key.slice(0, k) + key[k + 1] + key[k] + key.slice(k + 2) + after;
          const systems = indexes.systems.byKey(swapped);
          if (systems) return { start, end: start + length, systems, spelled: spelling(systems, swapped) };
        }
      }
    }
  }
  return undefined;
}

/**
 * The run with each word that is no word of a system's name put right where it becomes such words: with two
 * neighbouring letters swapped ("Fylt" → "Flyt", in a run of two words or more: a single word is `transposedSystem`'s),
 * or split where the words of a name were typed together ("vismaflyt" → "visma flyt").
 */
function respelledRun(found: Found, run: Span, indexes: RegisterIndexes, split: boolean): string | undefined {
  const { systemWords, systemWordPairs } = namesOf(indexes);
  let changed = false;
  const words: string[] = [];
  for (let at = run.start; at < run.end; at += 1) {
    const key = keyOfFolded(found.words[at]!);
    let word = found.tokens[at]!.raw;
    if (key.length >= 3 && !systemWords.has(key)) {
      const put = (right: string) => {
        // Keep a capital as typed: "Fylt" → "Flyt".
        word = /^\p{Lu}/u.test(word) ? right[0]!.toUpperCase() + right.slice(1) : right;
        changed = true;
      };
      for (let k = 0; run.end - run.start > 1 && k + 1 < key.length; k += 1) {
        if (key[k] === key[k + 1]) continue;
        const swapped = key.slice(0, k) + key[k + 1] + key[k] + key.slice(k + 2);
        if (systemWords.has(swapped)) {
          put(swapped);
          break;
        }
      }
      const parts =
        split && word === found.tokens[at]!.raw ? splitIntoWords(key, systemWordPairs) : undefined;
      if (parts) put(parts.join(' '));
    }
    words.push(word);
  }
  return changed ? words.join(' ') : undefined;
}

/** Longest word `splitIntoWords` tries: a bound on its cost (a word of n letters has n² ways into three). */
const MAX_SPLIT_LENGTH = 30;

/**
 * `key` as two neighbouring words of a system's name or alias run together (each of two letters or more), else three
 * (each of three or more), the split with the longest first word first: "vismaflyt" → ["visma", "flyt"]. Only words
 * that stand side by side in some name, so a word is not cut into two unrelated words of a large register.
 */
function splitIntoWords(key: string, pairs: ReadonlySet<string>): string[] | undefined {
  if (key.length < 5 || key.length > MAX_SPLIT_LENGTH) return undefined;
  for (let i = key.length - 2; i >= 2; i -= 1) {
    if (pairs.has(`${key.slice(0, i)} ${key.slice(i)}`)) return [key.slice(0, i), key.slice(i)];
  }
  for (let i = key.length - 6; i >= 3; i -= 1) {
    for (let j = key.length - 3; j >= i + 3; j -= 1) {
      const [a, b, c] = [key.slice(0, i), key.slice(i, j), key.slice(j)];
      if (pairs.has(`${a} ${b}`) && pairs.has(`${b} ${c}`)) return [a, b, c];
    }
  }
  return undefined;
}

/** "(kva system har) vi", "(what systems do) we use": the asker's own organisation, with the verbs a pattern takes along. */
const WE_WORDS = new Set([
  'vi',
  'we',
  'oss',
  'us',
  'have',
  'use',
  'har',
  'anvander',
  'bruker',
  'brukar',
  'nytter',
]);
const LONGER_WORDS = new Set(['langre', 'lenger', 'lengre', 'longer']);
const NOT_WORDS = new Set(['inte', 'ej', 'ikkje', 'ikke', 'no', 'not']);
const MODAL_WORDS = new Set(['ska', 'skall', 'skal', 'will', 'shall', 'should', 'bor', 'kan', 'can']);
const BECOME_WORDS = new Set([
  'bli',
  'blir',
  'vere',
  'vera',
  'verte',
  'vert',
  'vaere',
  'become',
  'becomes',
  'be',
]);

/** "Sofia Lund ska bli ersättare för X", "Kristin Sunde skal vere superbrukar": the person first, then becoming. */
function becomes(found: Found): boolean {
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

const ALL_WORDS = new Set(['alla', 'alle', 'all', 'every', 'varje', 'kvart', 'hvert']);
const HAVE_WORDS = new Set(['har', 'have', 'has', 'do', 'does']);
/** Access review nouns, folded: "granskning(ar)", "behörighetsgranskningen", "(tilgangs)gjennomgang(ar)", "review(s)". */
const REVIEW_NOUN =
  /^(behorighets|tilgangs|tilgongs|access|brukartilgangs|brukertilgangs)?(granskning|gjennomgang|review)/;
const REVIEW_START = new Set(['starta', 'start', 'starte', 'begin', 'borja', 'granska', 'review']);
const WEAK_ABOUT = new Set(['om', 'about']);
/** "när / når / when": a clause that may say who is away. */
const BE_WORDS = new Set(['er', 'ar', 'blir', 'vert', 'is']);
const GIVE_WORDS = new Set([
  'ge',
  'gi',
  'give',
  'gje',
  'gjev',
  'giv',
  'grant',
  'bevilja',
  'tildel',
  'tildele',
]);
const WHEN_WORDS = new Set(['nar', 'when', 'while', 'medan', 'mens', 'whilst']);

// prettier-ignore
const NUMBER_WORDS = new Map<string, number>([
  ['en', 1], ['ett', 1], ['ein', 1], ['eit', 1], ['one', 1], ['a', 1], ['två', 2], ['tva', 2], ['to', 2],
  ['two', 2], ['tre', 3], ['three', 3], ['fyra', 4], ['fire', 4], ['four', 4], ['fem', 5], ['five', 5],
  ['sex', 6], ['seks', 6], ['six', 6], ['sju', 7], ['seven', 7], ['åtta', 8], ['atta', 8], ['åtte', 8],
  ['atte', 8], ['eight', 8], ['nio', 9], ['ni', 9], ['nine', 9], ['tio', 10], ['ti', 10], ['ten', 10],
  ['fjorton', 14], ['fjorten', 14], ['fourteen', 14],
]);

function numberWord(word: string): number | undefined {
  if (/^\d{1,3}$/.test(word)) return Number(word);
  return NUMBER_WORDS.get(word);
}

/**
 * The system focus the role words ask for. A deputy named with another role asks for the deputy ("who stands
 * in for the administrator of X"); otherwise the first role named exactly, then a weak one ("ansvarig"), then
 * "responsible / contact" (all roles).
 */
function focusOf(found: Found): SystemFocus | undefined {
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

/** Whether the typed words are the system's name or an alias with at most one typo in five letters. */
function closeTo(query: string, system: SystemRecord): boolean {
  const key = normaliseKey(query);
  return [system.name, ...system.aliases].some((name) => {
    const other = normaliseKey(name);
    return levenshtein(key, other) <= Math.floor(Math.max(key.length, other.length) / 5);
  });
}

function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current.push(
        Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The words left over as one contiguous run (first to last), when they are few enough to be one name. */
function restRun(found: Found): Span | undefined {
  if (found.rest.length === 0) return undefined;
  const start = found.rest[0]!;
  const end = found.rest[found.rest.length - 1]! + 1;
  if (end - start > MAX_NAME_WORDS) return undefined;
  return { start, end };
}

/**
 * The list that answers a gap of the role in focus: no deputy, no owner. The lists keep no gap of administrators or
 * super users, so "which systems have no administrator / super user" gets every system (with its administrators),
 * never a person's roles or the help card; a list of those gaps needs a list kind of its own.
 */
function gapListOf(focus: SystemFocus | undefined): SystemListKind | undefined {
  if (focus === 'deputy') return 'noDeputy';
  if (focus === 'owner') return 'noOwner';
  if (focus === 'administrator' || focus === 'super_user') return 'all';
  return undefined;
}

/**
 * "vilka system saknar ägare och ersättare", "systems without an owner or a deputy": both gaps asked at once, which
 * the hygiene check lists side by side (no one list holds both).
 */
function bothGaps(found: Found, focus: SystemFocus | undefined): boolean {
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

function listIntent(found: Found, list: SystemListKind): Intent {
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
  if (person !== undefined && role && (found.careAssign || found.stop || becomes(found))) {
    const action = found.stop ? 'endRole' : 'assignRole';
    return { kind: 'care', action, personQuery: person, role: focus, system: scope };
  }
  // "Losen er borte", "Lifecare är borta": with no role named, an absence word says the system is gone or down, a
  // remark about it like "Raindance var segt idag", not a question (with a role: "… när ägaren är borta").
  const remark = found.roles.length === 0 ? found.absent.length : 0;
  const others = found.rest.filter((at) => !overlaps(span, at)).length + remark;
  if (found.careEdit && focus === undefined && others === 0 && span.start === found.careEditAt + 1) {
    return { kind: 'care', action: 'editSystem', system: scope };
  }
  const asksAccess = focus === 'access' || (focus === undefined && found.need && others === 0);
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

/** Verbs that order: "beställ", "bestill", "tinge", "order". */
const ORDER_WORDS = new Set([
  'order',
  'bestall',
  'bestalla',
  'bestill',
  'bestille',
  'tinge',
  'ting',
  'tinga',
]);

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
function inventoryIntent(found: Found): Intent | undefined {
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

/** Step 3: the intent the entities and cues make, or undefined when they make none. */
function decide(found: Found, indexes: RegisterIndexes, where: ReadingContext): Intent | undefined {
  const { homeOrganisationId } = where;
  const focus = focusOf(found);
  const gapList = gapListOf(focus);
  const gapRole =
    found.gap &&
    gapList !== undefined &&
    (!found.system || found.systemsWord) &&
    (gapList !== 'all' || (found.systemsWord && !found.person));
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
  if (found.system) return systemIntent(found, systemScope(found, found.system), found.system);
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
  const run = nameRun(found, focus !== undefined);
  if (!run) return undefined;
  let query = joinRaw(found.tokens, run);
  const where_ = homeOrganisationId === undefined ? {} : { homeOrganisationId };
  let lookup = lookupSystem(indexes.systems, query, where_);
  // "the library system", "the intranet": an English kind of system, searched as the register's own words;
  // "lönesystemet": a kind of system named by a compound, searched by its first part.
  const single = run.end - run.start === 1 ? found.words[run.start]! : '';
  const compound = /^(\p{L}{3,}?)-?(?:systemet|systemer|systema|systemene|systemen|system|programmet)$/u.exec(
    single,
  );
  const stems = [...(NAME_GLOSSARY.get(single) ?? []), ...(compound ? [compound[1]!] : [])];
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
  // A short word that only resembles a name ("står" and "Stratsys") names nothing.
  if (
    lookup.kind === 'one' &&
    !lookup.hit.exact &&
    normaliseKey(query).length <= 4 &&
    !closeTo(query, lookup.hit.item)
  )
    return undefined;
  // A run picked out of a longer sentence must name one system clearly: a loose hit there would name an owner
  // nobody asked about.
  const picked = found.rest.length !== run.end - run.start;
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

/**
 * Whether each word of `query` (filler aside) is a word of the system's name or aliases, a beginning of one, or one
 * typo away from one ("procapitta hsl" for Procapita HSL; not "school transport" for SchoolSoft).
 */
function holdsEveryWord(query: string, system: SystemRecord): boolean {
  const words = tokenize(query)
    .map((t) => t.folded)
    .filter((w) => !FILLER_WORDS.has(w));
  if (words.length < 2) return true;
  const names = [system.name, ...system.aliases].flatMap((name) => tokenize(name).map((t) => t.folded));
  return words.every((word) =>
    names.some(
      (name) =>
        name.startsWith(word) ||
        (word.length >= 4 && word.startsWith(name) && name.length >= 4) ||
        (word.length >= 4 && levenshtein(word, name) <= 1),
    ),
  );
}

/** Whether some words of `query` share a word with the system's name or an alias, or name it closely. */
function namesClosely(query: string, system: SystemRecord): boolean {
  const words = tokenize(query)
    .map((t) => t.folded)
    .filter((w) => !FILLER_WORDS.has(w));
  const names = new Set(
    [system.name, ...system.aliases].flatMap((name) => tokenize(name).map((t) => t.folded)),
  );
  if (words.some((w) => names.has(w))) return true;
  for (let start = 0; start < words.length; start += 1) {
    for (let end = start + 1; end <= Math.min(words.length, start + MAX_NAME_WORDS); end += 1) {
      if (closeTo(words.slice(start, end).join(' '), system)) return true;
    }
  }
  return false;
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
export interface ReadingContext {
  /** The asker's organisation: preferred for names several organisations share. */
  homeOrganisationId?: string;
  /** Whether some words name an item of the asker's equipment catalogue ("bärbar dator", "mouse"). */
  isEquipment?: (words: string) => boolean;
}

export function readMessage(
  typed: string,
  indexes: RegisterIndexes,
  where: ReadingContext = {},
): Understanding {
  // "vemäger X", "whoowns X": a question word run into its verb is read as the two words it is.
  const text = spaceRunTogether(typed);
  const grammar = understand(text);
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
  const tokens = tokenize(cleanUtterance(text.slice(0, 1000)));
  const found = find(tokens, indexes);
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
  if (patterned && GRAMMAR_KINDS.has(intent.kind) && !noItem && !seeksHolder) return refined(grammar, found);
  const read = decide(found, indexes, where) ?? (noItem ? { kind: 'unknown' as const } : undefined);
  if (read === undefined) {
    // A grammar pattern asking about a name it could not find exactly still gets its fuzzy search and "did you
    // mean"; the bare-name guess for a message that names nothing is no question.
    if (intent.kind === 'whoOwns' && !patterned) return { ...grammar, intent: { kind: 'unknown' } };
    if (intent.kind === 'whoOwns' && looseCapture(intent, indexes, where))
      return { ...grammar, intent: { kind: 'unknown' } };
    return grammar;
  }
  return { ...languageOutside(found, grammar), intent: read, via: 'entities' };
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
      if (found.gap && gapList !== undefined && !found.person && (gapList !== 'all' || found.systemsWord))
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
    case 'systemList':
      if (intent.unit && unitScope && intent.unit.fullQuery !== unit)
        return { ...grammar, intent: { ...intent, unit: unitScope } };
      return grammar;
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
