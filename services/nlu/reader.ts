import type { Organisation, OrganisationRole, Person, SystemRecord, Unit } from '../../data/model.js';
import type { SystemFocus, SystemListKind } from '../answers.js';
import type { RegisterIndexes } from '../search/registerView.js';
import { lookupSystem } from '../search/systemLookup.js';
import {
  ABOUT_WORDS,
  CHANGE_WORDS,
  FILLER_WORDS,
  GAP_WORDS,
  LIST_WORDS,
  NEED_WORDS,
  QUESTION_WORDS,
  roleCueOf,
  rolePhraseAt,
  STOP_WORDS,
  SYSTEMS_WORDS,
  type RoleCue,
} from './cues.js';
import { dateAt, understand, type Intent, type Scope, type Understanding } from './intent.js';
import { cleanUtterance, normaliseKey, tokenize, type Token } from './normalise.js';

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
 * 3. The intent, scored by which cues and entities were found (`decide`): a gap word with an owner or deputy word
 *    and no system is a list; a system is asked about (the roles named, or all of them), unless the message only
 *    mentions it in a sentence that asks nothing; an organisation role without a system is that role; a person
 *    with a roles word is their roles. Nothing found: the grammar's answer (help, unknown) stands.
 *
 * Costs: one pass of Map lookups over at most MAX_SCAN words (four per word), and at most one fuzzy search.
 */

/** Runs longer than this are no system name people type. */
const MAX_NAME_WORDS = 4;
/** Only the first words are read for entities: bounds the cost of a long message. */
const MAX_SCAN = 30;
/** A remark that mentions a system (no question, role or "about" word) has at least this many other words. */
const MIN_REMARK_WORDS = 3;

interface Span {
  start: number;
  end: number;
}

interface SystemSpan extends Span {
  systems: readonly SystemRecord[];
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
  date?: { at: number; length: number; date: string };
  question: boolean;
  gap: boolean;
  list: boolean;
  systemsWord: boolean;
  need: boolean;
  about: boolean;
  stop: boolean;
  change: boolean;
  /** Words that are no cue, no entity and no small talk: what is left to be a name. */
  rest: number[];
}

interface Names {
  organisations: Map<string, Organisation>;
  units: Map<string, Unit[]>;
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
    const words = organisation.name.split(/\s+/);
    organisations.set(normaliseKey(organisation.name), organisation);
    const core = words.filter((w) => !ORGANISATION_SUFFIXES.has(w.toLowerCase()));
    if (core.length > 0 && core.length < words.length) {
      const key = normaliseKey(core.join(' '));
      organisations.set(key, organisation);
      if (key.length > 3) organisations.set(`${key}s`, organisation);
    }
  }
  const units = new Map<string, Unit[]>();
  for (const unit of indexes.register.units) {
    const key = normaliseKey(unit.name);
    units.set(key, [...(units.get(key) ?? []), unit]);
  }
  names = { organisations, units };
  namesByRevision.set(indexes, names);
  return names;
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

/** The longest run of words (first on ties) whose key `lookup` knows, skipping runs made only of filler. */
function longestRun<T>(
  keys: readonly string[],
  words: readonly string[],
  lookup: (key: string) => T | undefined,
  taken: (at: number) => boolean,
): (Span & { value: T }) | undefined {
  for (let length = Math.min(MAX_NAME_WORDS, keys.length); length >= 1; length -= 1) {
    for (let start = 0; start + length <= keys.length; start += 1) {
      let key = '';
      let content = false;
      let free = true;
      for (let i = start; i < start + length; i += 1) {
        key += keys[i]!;
        if (!FILLER_WORDS.has(words[i]!)) content = true;
        if (taken(i)) free = false;
      }
      if (!content || !free || key.length < 2) continue;
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
  const keys = scanned.map((t) => normaliseKey(t.raw));
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
    stop: false,
    change: false,
    rest: [],
  };
  const organisation = longestRun(
    keys,
    words,
    (k) => names.organisations.get(k),
    () => false,
  );
  if (organisation) found.organisation = { ...organisation, organisation: organisation.value };
  const systems = longestRun(
    keys,
    words,
    (k) => indexes.systems.byKey(k),
    (at) => overlaps(found.organisation, at),
  );
  if (systems) found.system = { start: systems.start, end: systems.end, systems: systems.value };
  const taken = (at: number) => overlaps(found.organisation, at) || overlaps(found.system, at);
  const unit = longestRun(keys, words, (k) => names.units.get(k), taken);
  if (unit) found.unit = { ...unit, units: unit.value };
  const person = longestRun(
    keys,
    words,
    (k) => (k.length > 4 ? indexes.people.byKey(k) : undefined),
    (at) => taken(at) || overlaps(found.unit, at),
  );
  // A person is a name of two words or more ("Sofia Lund"), or an e-mail: one first name is too loose.
  if (person && (person.end - person.start >= 2 || scanned[person.start]!.raw.includes('@')))
    found.person = { ...person, people: person.value };
  const entity = (at: number) =>
    taken(at) ||
    overlaps(found.unit, at) ||
    overlaps(found.person, at) ||
    (found.date !== undefined && at >= found.date.at && at < found.date.at + found.date.length);
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
    const cue = roleCueOf(word);
    if (cue) {
      found.roles.push({ at: i, length: 1, cue });
      continue;
    }
    let known = false;
    if (QUESTION_WORDS.has(word)) found.question = known = true;
    if (GAP_WORDS.has(word)) found.gap = known = true;
    if (LIST_WORDS.has(word)) found.list = known = true;
    if (SYSTEMS_WORDS.has(word)) found.systemsWord = known = true;
    if (NEED_WORDS.has(word)) found.need = known = true;
    if (ABOUT_WORDS.has(word)) found.about = known = true;
    if (STOP_WORDS.has(word)) found.stop = known = true;
    if (CHANGE_WORDS.has(word)) found.change = known = true;
    if (!known && !FILLER_WORDS.has(word) && !/^\d+$/.test(word)) found.rest.push(i);
  }
  return found;
}

/** The system focus the role words ask for: the first system role named; access and supplier as asked. */
function focusOf(found: Found): SystemFocus | undefined {
  for (const { cue } of found.roles) if (cue.kind === 'role') return cue.focus;
  return undefined;
}

function organisationRoleOf(found: Found): OrganisationRole | undefined {
  for (const { cue } of found.roles) if (cue.kind === 'organisationRole') return cue.role;
  return undefined;
}

/** The scope of a system named by the run `span`, with an organisation named elsewhere as the hint. */
function systemScope(found: Found, span: Span): Scope {
  const query = joinRaw(found.tokens, span);
  if (!found.organisation) return { query, fullQuery: query };
  const organisationHint = joinRaw(found.tokens, found.organisation);
  return { query, organisationHint, fullQuery: query };
}

/** The words left over as one contiguous run (first to last), when they are few enough to be one name. */
function restRun(found: Found): Span | undefined {
  if (found.rest.length === 0) return undefined;
  const start = found.rest[0]!;
  const end = found.rest[found.rest.length - 1]! + 1;
  if (end - start > MAX_NAME_WORDS) return undefined;
  return { start, end };
}

function listIntent(found: Found, list: SystemListKind): Intent {
  if (found.unit) {
    const query = joinRaw(found.tokens, found.unit);
    return { kind: 'systemList', list, unit: { query, fullQuery: query } };
  }
  return { kind: 'systemList', list };
}

/** What the words ask about a system, once the system is known (a run of the message, exact or fuzzy). */
function systemIntent(found: Found, scope: Scope): Intent | undefined {
  const focus = focusOf(found);
  if (focus === 'access' && found.need && !found.question) {
    const change = found.stop ? 'stop' : found.change ? 'change' : 'new';
    return { kind: 'requestAccess', change, system: scope };
  }
  const cued =
    focus !== undefined || found.question || found.about || organisationRoleOf(found) !== undefined;
  const remark = found.rest.filter((at) => !overlaps(found.system, at)).length;
  if (!cued && remark >= MIN_REMARK_WORDS) return undefined;
  const intent: Extract<Intent, { kind: 'whoOwns' }> = { kind: 'whoOwns', focus: focus ?? 'all', ...scope };
  if (found.date) intent.at = found.date.date;
  return intent;
}

/** Step 3: the intent the entities and cues make, or undefined when they make none. */
function decide(found: Found, indexes: RegisterIndexes, homeOrganisationId?: string): Intent | undefined {
  const focus = focusOf(found);
  const gapRole =
    found.gap && (focus === 'deputy' || focus === 'owner') && (!found.system || found.systemsWord);
  if (gapRole) return listIntent(found, focus === 'deputy' ? 'noDeputy' : 'noOwner');
  if (found.system) return systemIntent(found, systemScope(found, found.system));
  const organisationRole = organisationRoleOf(found);
  if (organisationRole && focus === undefined) {
    const scopeSpan = found.unit ?? found.organisation;
    if (!scopeSpan) return { kind: 'organisationRole', role: organisationRole };
    const query = joinRaw(found.tokens, scopeSpan);
    return { kind: 'organisationRole', role: organisationRole, scope: { query, fullQuery: query } };
  }
  if (found.person && focus === undefined && (found.question || found.list || found.systemsWord)) {
    return { kind: 'rolesOf', self: false, personQuery: joinRaw(found.tokens, found.person) };
  }
  if (found.list && found.systemsWord && focus === undefined && found.rest.length === 0) {
    return listIntent(found, 'all');
  }
  const run = restRun(found);
  if (!run) return undefined;
  const query = joinRaw(found.tokens, run);
  const lookup = lookupSystem(indexes.systems, query, { homeOrganisationId });
  if (lookup.kind === 'none') {
    // A role asked about something the register does not know: say so, with suggestions, not the help card.
    if (focus !== undefined && focus !== 'access' && found.question) {
      return { kind: 'whoOwns', focus, query, fullQuery: query };
    }
    return undefined;
  }
  return systemIntent({ ...found, system: { ...run, systems: [] } }, systemScope(found, run));
}

/** Whether the grammar's whoOwns reading names a system exactly (its whole capture, or without the hint). */
function namesExactly(intent: Extract<Intent, { kind: 'whoOwns' }>, indexes: RegisterIndexes): boolean {
  return (
    indexes.systems.byKey(normaliseKey(intent.query)) !== undefined ||
    indexes.systems.byKey(normaliseKey(intent.fullQuery)) !== undefined
  );
}

/**
 * Reads one message against a register: the grammar's reading when a pattern covers the message (and, for a
 * system question, names a system exactly), else the entity-first reading, else the grammar's.
 */
export function readMessage(
  text: string,
  indexes: RegisterIndexes,
  where: { homeOrganisationId?: string } = {},
): Understanding {
  const grammar = understand(text);
  const intent = grammar.intent;
  const patterned = grammar.via === undefined;
  // "which systems have no deputy" fits the pattern of "which roles does NAME have": a gap is read first.
  const personGuess = patterned && intent.kind === 'rolesOf' && !intent.self;
  if (
    patterned &&
    !personGuess &&
    intent.kind !== 'whoOwns' &&
    intent.kind !== 'unknown' &&
    intent.kind !== 'help'
  )
    return grammar;
  if (intent.kind === 'whoOwns' && namesExactly(intent, indexes) && (patterned || intent.query.length > 0))
    return grammar;
  if (intent.kind === 'help' && patterned && text.trim().length > 0 && isShortHelp(text)) return grammar;
  const tokens = tokenize(cleanUtterance(text.slice(0, 1000)));
  const found = find(tokens, indexes);
  const read = decide(found, indexes, where.homeOrganisationId);
  if (personGuess && read?.kind !== 'systemList') return grammar;
  if (read === undefined) {
    // A grammar pattern asking about a name it could not find exactly still gets its fuzzy search and "did you
    // mean"; the bare-name guess for a message that names nothing is no question.
    if (intent.kind === 'whoOwns' && !patterned) return { ...grammar, intent: { kind: 'unknown' } };
    return grammar;
  }
  const understanding: Understanding = { ...grammar, intent: read, via: 'entities' };
  return understanding;
}

/** "hjälp", "help me", "what can you do": a help request the grammar read whole. */
function isShortHelp(text: string): boolean {
  return tokenize(text).length <= 5;
}
