import { isSystemRole } from '../../data/model.js';
import type { RegisterIndexes } from '../search/registerView.js';
import {
  ABOUT_WORDS,
  ABSENCE_WORDS,
  APPROVAL_WORDS,
  APPROVE_WORDS,
  CARE_ASSIGN_WORDS,
  CARE_EDIT_WORDS,
  CHANGE_WORDS,
  CHECK_WORDS,
  DAY_WORDS,
  EQUIPMENT_WORDS,
  FILLER_WORDS,
  GAP_WORDS,
  GET_WORDS,
  GREETING_WORDS,
  HANDOVER_WORDS,
  HEAD_WORDS,
  HELP_WORDS,
  AS_WORDS,
  LEAVE_FIRST,
  LEAVE_SECOND,
  LEAVE_WORDS,
  LIST_WORDS,
  MY_WORDS,
  NEED_WORDS,
  OPEN_WORDS,
  QUESTION_WORDS,
  REGISTER_WORDS,
  REGISTERED_WORDS,
  REQUEST_WORDS,
  ROLES_WORDS,
  SELF_WORDS,
  STOP_WORDS,
  SYSTEMS_WORDS,
  WAITING_WORDS,
  WEEK_WORDS,
  WHO_WORDS,
} from './cues.js';
import { gapRoleOf, misspeltRoleCueOf, type RoleCue, roleCueOf, rolePhraseAt } from './roleWords.js';
import { type Found, MAX_NAME_WORDS, overlaps, type Span } from './found.js';
import { dateAt } from './numbersAndDates.js';
import { keyOfFolded, normaliseKey, type Token } from './normalise.js';
import {
  BE_WORDS,
  LONGER_WORDS,
  NOT_WORDS,
  numberWord,
  REVIEW_NOUN,
  REVIEW_START,
  WEAK_ABOUT,
  WHEN_WORDS,
} from './readerWords.js';
import { namesOf } from './registerNames.js';
import { definiteSystem, gluedSystem, respaced, transposedSystem } from './systemSpelling.js';

/** Steps 1 and 2 of a reading (see reader.ts): the entities a message names and the cues around them. */

/** Only the first words are read for entities: bounds the cost of a long message. */
const MAX_SCAN = 30;

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
export function find(tokens: Token[], indexes: RegisterIndexes): Found {
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
    leave: false,
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
  // "Time Care Poolens ägare": a name ("Time Care") whose next word ends a longer name in its definite form.
  const longer =
    systems && systems.end < words.length
      ? definiteSystem(keys, words, indexes, (at) => at < systems.start || at > systems.end)
      : undefined;
  if (longer && systems && longer.end > systems.end) {
    found.system = longer;
  } else if (systems) {
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
    // "kven (som) er vara for X", "spørsmål: vara for X?": after "er", a gap word or "har", or before "for / til / i /
    // av" and not after a verb that takes the Swedish infinitive ("ska vara", "att vara"), "vara" is the Norwegian
    // deputy.
    const vara =
      word === 'vara' &&
      (BE_WORDS.has(words[i - 1] ?? '') ||
        // "manglar vara", "utan vara", "ikkje har vara": a gap of deputies ("utan att vara" keeps its "att").
        GAP_WORDS.has(words[i - 1] ?? '') ||
        HAS_WORDS.has(words[i - 1] ?? '') ||
        (VARA_BEFORE.has(words[i + 1] ?? '') && !INFINITIVE_BEFORE.has(words[i - 1] ?? '')));
    const cue = vara ? ({ kind: 'role', focus: 'deputy' } as const) : roleCueOf(word);
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
    // "I'd like", "I would like": wanting, as "I want".
    if (word === 'like' && (words[i - 1] === 'd' || words[i - 1] === 'would')) found.need = known = true;
    // "om" / "about" only asks about a system it stands right before ("berätta om X", not "möte om budgeten").
    if (ABOUT_WORDS.has(word) && !WEAK_ABOUT.has(word)) found.about = known = true;
    else if (WEAK_ABOUT.has(word)) {
      if (found.system?.start === i + 1) found.aboutSystem = true;
      known = true;
    }
    if (STOP_WORDS.has(word)) found.stop = known = true;
    if (LEAVE_WORDS.has(word)) known = true;
    if (LEAVE_FIRST.has(word) && LEAVE_SECOND.has(words[i + 1] ?? '')) {
      known = true;
      // "step down", "gå av": the second word is part of the phrase, no name.
      if (!entity(i + 1)) i += 1;
    }
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
  found.leave = leavesRole(found);
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
 * Whether the message leaves a role of a system: a leaving word ("slutar", "leaving", "step down") or a stop word
 * ("ta bort mig", "remove me") before a system role named right after "som / as / vara / vere / be" (an article
 * between allowed: "as the owner"). "ägaren har slutat" (the role before the leaving word) says someone else left.
 */
function leavesRole(found: Found): boolean {
  const { words } = found;
  const leaving = words.findIndex(
    (w, i) => LEAVE_WORDS.has(w) || (LEAVE_FIRST.has(w) && LEAVE_SECOND.has(words[i + 1] ?? '')),
  );
  const stopping = found.stop ? words.findIndex((w) => STOP_WORDS.has(w)) : -1;
  const from = leaving >= 0 ? leaving : stopping;
  if (from < 0) return false;
  return found.roles.some(({ at, cue }) => {
    if (at <= from || cue.kind !== 'role' || !isSystemRole(cue.focus)) return false;
    const before = ARTICLE_WORDS.has(words[at - 1] ?? '') ? at - 2 : at - 1;
    return AS_WORDS.has(words[before] ?? '');
  });
}
/** "har / hev vara": has a deputy (Swedish says "ha" before "vara" only as "ha varit"). */
const HAS_WORDS = new Set(['har', 'hev', 'hadde']);
/** After "vara" the deputy: "vara for X", "vara til X". */
const VARA_BEFORE = new Set(['for', 'til', 'i', 'av', 'pa']);
/** Before "vara" the Swedish "to be": "ska vara", "att vara", "kan vara för". */
// prettier-ignore
const INFINITIVE_BEFORE = new Set([
  'att', 'ska', 'skall', 'kan', 'vill', 'maste', 'bor', 'far', 'skulle', 'kunna', 'kommer', 'borde', 'brukar',
  'verkar', 'tycks', 'sluta', 'slutar', 'ma',
]);
const ARTICLE_WORDS = new Set(['the', 'a', 'an', 'en', 'ett', 'ein', 'eit', 'ei']);

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
