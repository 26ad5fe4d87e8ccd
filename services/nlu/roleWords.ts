import type { OrganisationRole } from '../../data/model.js';
import { ORGANISATION_ROLE_WORDS_BY_LANGUAGE, SYSTEM_ROLE_WORDS } from '../register/vocabulary.js';
import type { SystemFocus } from '../responsibility/answers.js';
import { fold } from './normalise.js';
import {
  ORGANISATION_ROLE_NOUNS,
  ORGANISATION_ROLE_VERBS,
  PAST_ROLE_VERBS,
  ROLE_NOUNS,
  ROLE_VERBS,
} from './vocabulary.js';

/** Role words, the cue the reading leans on most (see cues.ts): the role a folded word or phrase names. */

/**
 * `weak`: "ansvarig" gives way to a role named exactly. `byVerb`: "who may order" asks for the IT orderers, "I
 * want to order" for no one.
 */
export type RoleCue =
  | { kind: 'role'; focus: SystemFocus; weak?: boolean }
  | { kind: 'organisationRole'; role: OrganisationRole; byVerb?: boolean };

/** Endings a role word takes in the four languages (definite, plural, genitive), folded. */
// prettier-ignore
const ENDINGS = [
  '', 'e', 'n', 'en', 'na', 'ne', 'a', 'ar', 'er', 'et', 'r', 's', 'es', 'ns', 'ens', 'ene', 'erne', 'erna',
  'arna', 'arne', 'ane', 'arane', 'arar', 'aren', 'are', 'aret', 'ere', 'eren', 'erar', 'ers', 'ars', 'ies',
  'y', 'ys', 'skap', 'skapet', 'ship', 'ig', 'iga', 'ige', 'leg', 'lege', 'lig', 'lige', 'or', 'oren', 'orer',
  'orerna', 'orar', 'orane', 'orene', 'ors', 'ie', 'ien', 'ier', 'ierna',
  // "superanvändarrollen", "eigarrolla", "stedfortrederrollen": the role named by a compound with "roll".
  'roll', 'rollen', 'rolle', 'rolla', 'rollene', 'rollane', 'role',
];

/** Base words of roles; the longest base found in a word wins ("systemansvarig" is no bare "ansvarig"). */
// prettier-ignore
const ROLE_BASES: (readonly [string, RoleCue])[] = [
  ...bases('owner', [
    'agar', 'systemagar', 'eigar', 'systemeigar', 'fagsystemeigar', 'eier', 'systemeier', 'fagsystemeier',
    'owner', 'systemowner', 'businessowner', 'systemag', 'eiger', 'fagsystemeiger', 'ownes', 'onwer',
    'ownership',
  ]),
  ...bases('deputy', [
    'ersattar', 'ersatar', 'ersattare', 'vikari', 'stedfortred', 'stadfortred', 'stedfortrad', 'stadfortrad',
    'stedfortreid', 'stedfotred', 'deput', 'backup', 'substitut', 'standin', 'stand-in', 'varaperson',
    'reserveansvarig', 'ersatter', 'ersatta', 'ersatts', 'vikarierar', 'vikarierer', 'covering', 'covers',
    'cover', 'reserv', 'reserve', 'reserveperson', 'reservperson',
  ]),
  ...bases('administrator', [
    'systemansvar', 'fagsystemansvar', 'systemadministrat', 'administrat', 'admin', 'sysadmin', 'forvaltar',
    'forvalter', 'systemforvaltar', 'systemforvalter', 'driftansvar', 'applikationsansvar', 'systemansvarl',
    'systemadmin', 'systemforvaltning', 'forvaltningsansvar', 'ansvarig', 'ansvarleg', 'ansvarlig', 'ansvar',
    'ansvarar', 'ansvarer',
  ]),
  ...bases('super_user', [
    'superanvandar', 'superanvandare', 'nyckelanvandar', 'superbrukar', 'superbruker', 'nokkelbrukar',
    'nokkelbruker', 'superuser', 'poweruser', 'keyuser', 'superbrukarar', 'huvudanvandar', 'expertanvandar',
    'hovudbrukar', 'hovedbruker', 'nokkelperson', 'nyckelperson',
  ]),
  ...bases('supplier', [
    'leverantor', 'leverandor', 'supplier', 'vendor', 'support', 'kundtjanst', 'brukarstotte', 'brukerstotte',
    'kundestotte', 'leverantorssupport', 'leverandorsupport', 'helpdesk', 'kundesenter', 'kundeservice',
    'levererar', 'leverer', 'leverar', 'supplies', 'delivers',
  ]),
  ...bases('access', [
    'behorighet', 'atkomst', 'tilgang', 'tilgong', 'access', 'inlogg', 'login', 'tilgjenge', 'rattighet',
    'rettighet', 'rettigheit', 'konto', 'kontot', 'account', 'rights', 'permission', 'permissions',
    'inloggning', 'brukarkonto', 'brukerkonto', 'anvandarkonto', 'tillgang', 'behorig', 'atkomsten',
  ]),
  ...bases('all', ['responsible', 'kontakt', 'contact', 'kontaktperson', 'responsibility']),
  ...organisationBases('it_coordinator', [
    'it-samordnar', 'samordnar', 'itsamordnar', 'ikt-koordinator', 'it-koordinator', 'koordinator',
    'coordinator', 'it-strateg', 'iktkoordinator', 'co-ordinator', 'coordinater',
  ]),
  ...organisationBases('it_orderer', [
    'it-bestallar', 'bestallar', 'ikt-bestillar', 'bestillar', 'ikt-bestiller', 'it-bestiller', 'orderer',
    'it-bestillar',
  ]),
  ...organisationBases('security_officer', [
    'sakerhetsansvar', 'it-sakerhetsansvar', 'informationssakerhetsansvar', 'tryggleiksansvar',
    'sikkerheitsansvar', 'sikkerhetsansvar', 'informasjonssikkerhetsansvar', 'ciso', 'sakerhetschef',
    'sikkerhetssjef', 'sikkerheitssjef', 'it-sikkerhetsansvar',
  ]),
  ...organisationBases('data_protection_officer', [
    'dataskyddsombud', 'personvernombod', 'personvernombud', 'personuppgiftsombud', 'pul-ombud', 'dpo',
    'dataskydd', 'personvern', 'gdpr-ansvar', 'gdpr', 'dataskyddsansvar', 'personvernansvar',
  ]),
  ...organisationBases('it_manager', [
    'it-chef', 'datachef', 'it-sjef', 'ikt-sjef', 'it-leiar', 'ikt-leiar', 'it-leder', 'ikt-leder', 'cio',
    'itchef', 'itsjef', 'it-direktor',
  ]),
  ...organisationBases('it_unit', [
    'it-enhet', 'it-avdelning', 'it-avdeling', 'ikt-avdeling', 'ikt-tenest', 'it-tenest', 'ikt-tjenest',
    'it-tjenest', 'dataenhet', 'it-funktion', 'itenhet',
  ]),
];

function bases(focus: SystemFocus, words: readonly string[]): [string, RoleCue][] {
  return words.map((w) => [w, { kind: 'role', focus }]);
}

function organisationBases(role: OrganisationRole, words: readonly string[]): [string, RoleCue][] {
  return words.map((w) => [w, { kind: 'organisationRole', role }]);
}

/** Multi-word role names, folded and joined by one space; the first word starts the lookup. */
const ROLE_PHRASES = new Map<string, { words: string[]; cue: RoleCue }[]>();
/** Single words that name a role exactly (from the grammar's tables), including verbs ("äger", "eig", "owns"). */
const ROLE_WORDS = new Map<string, RoleCue>();

function addWord(phrase: string, cue: RoleCue): void {
  const words = fold(phrase)
    .split(/\s+/)
    .filter((w) => w.length > 0);
  if (words.length === 1) {
    if (!ROLE_WORDS.has(words[0]!)) ROLE_WORDS.set(words[0]!, cue);
    return;
  }
  const list = ROLE_PHRASES.get(words[0]!) ?? [];
  list.push({ words, cue });
  ROLE_PHRASES.set(words[0]!, list);
}

for (const [focus, words] of Object.entries(ROLE_NOUNS) as [SystemFocus, readonly string[]][]) {
  for (const word of words) addWord(word, { kind: 'role', focus });
}
for (const [focus, words] of Object.entries(ROLE_VERBS) as [SystemFocus, readonly string[]][]) {
  for (const word of words) addWord(word, { kind: 'role', focus });
}
for (const [focus, words] of Object.entries(PAST_ROLE_VERBS) as [SystemFocus, readonly string[]][]) {
  for (const word of words) addWord(word, { kind: 'role', focus });
}
for (const [role, words] of Object.entries(ORGANISATION_ROLE_VERBS) as [OrganisationRole, string[]][]) {
  for (const word of words) addWord(word, { kind: 'organisationRole', role, byVerb: true });
}
for (const [role, words] of Object.entries(ORGANISATION_ROLE_NOUNS) as [
  OrganisationRole,
  readonly string[],
][]) {
  for (const word of words) addWord(word, { kind: 'organisationRole', role });
}
// prettier-ignore
for (const phrase of [
  'super användare', 'super brukar', 'super bruker', 'power user', 'key user', 'nyckel användare',
]) addWord(phrase, { kind: 'role', focus: 'super_user' });
for (const phrase of ['it chef', 'it sjef', 'it manager', 'head of it', 'it leiar', 'it leder', 'ikt sjef'])
  addWord(phrase, { kind: 'organisationRole', role: 'it_manager' });
for (const phrase of [
  'it samordnare',
  'it koordinator',
  'ikt koordinator',
  'it coordinator',
  'ict coordinator',
  'it co-ordinator',
  'ict co-ordinator',
  'it co ordinator',
])
  addWord(phrase, { kind: 'organisationRole', role: 'it_coordinator' });
for (const phrase of ['it beställare', 'ikt bestillar', 'ikt bestiller', 'it bestiller', 'it orderer'])
  addWord(phrase, { kind: 'organisationRole', role: 'it_orderer' });
for (const phrase of ['security officer', 'it security', 'information security officer'])
  addWord(phrase, { kind: 'organisationRole', role: 'security_officer' });
for (const phrase of ['data protection officer', 'privacy officer', 'data protection'])
  addWord(phrase, { kind: 'organisationRole', role: 'data_protection_officer' });
for (const phrase of ['it unit', 'it department', 'ict service', 'it enheten', 'it avdelingen'])
  addWord(phrase, { kind: 'organisationRole', role: 'it_unit' });
addWord('in charge', { kind: 'role', focus: 'all' });
addWord('hand om', { kind: 'role', focus: 'administrator', weak: true });
for (const phrase of [
  'komma åt',
  'komme inn i',
  'komme inn på',
  'kome inn i',
  'logga in',
  'logge inn',
  'logge på',
  'log in',
  'log on',
  'sign in',
  'get into',
])
  addWord(phrase, { kind: 'role', focus: 'access' });
for (const phrase of [
  'tar över',
  'tar over',
  'tek over',
  'takes over',
  'take over',
  'stand in',
  'stands in',
  'steps in',
  'fill in',
  'fills in',
  'hoppar in',
  'trer inn',
  'trår til',
])
  addWord(phrase, { kind: 'role', focus: 'deputy' });
addWord('contact person', { kind: 'role', focus: 'all' });
addWord('system owner', { kind: 'role', focus: 'owner' });
addWord('business owner', { kind: 'role', focus: 'owner' });

/**
 * Every role word the register importer accepts (services/register/vocabulary.ts, one source for both), so a
 * coordinator's own word works in chat: "informationssäkerhetssamordnare", "IT-ombud", "sikkerhetsleder". Each is
 * known as written, without its hyphen and with a space for it; a word of five letters or more is also a base that
 * takes the endings ("informationssäkerhetssamordnaren"), and being longer it wins over the shorter base inside it
 * ("samordnar"). The tables above come first: a word they already name keeps their reading.
 */
function addImporterWord(word: string, cue: RoleCue): void {
  const folded = fold(word).replace(/_/g, ' ').trim();
  for (const variant of new Set([folded, folded.replace(/-/g, ''), folded.replace(/-/g, ' ')])) {
    addWord(variant, cue);
    if (variant.includes(' ') || variant.length < 5) continue;
    const base = /[ae]re$/.test(variant) ? variant.slice(0, -1) : variant;
    if (!ROLE_BASES.some(([known]) => known === base)) ROLE_BASES.push([base, cue]);
  }
}
for (const [role, byLanguage] of Object.entries(ORGANISATION_ROLE_WORDS_BY_LANGUAGE) as [
  OrganisationRole,
  Record<string, readonly string[]>,
][]) {
  for (const words of Object.values(byLanguage))
    for (const word of words) addImporterWord(word, { kind: 'organisationRole', role });
}
for (const [focus, words] of Object.entries(SYSTEM_ROLE_WORDS) as [SystemFocus, readonly string[]][]) {
  for (const word of words) addImporterWord(word, { kind: 'role', focus });
}

// Words that look like a role base but are something else ("vara" is "to be" in Swedish; "admin" stays a role).
// prettier-ignore
const NOT_ROLES = new Set([
  'vara', 'varaen', 'kontakta', 'kontakte', 'kontakter', 'kontaktar', 'contacts',
  // An office ("kontor") is no account ("konto").
  'kontor', 'kontoret', 'kontorer', 'kontora', 'kontoren', 'kontorets', 'kontors',
]);

const ENDING_SET = new Set(ENDINGS);
const MAX_ENDING = Math.max(...ENDINGS.map((e) => e.length));

/**
 * The role a single folded word names, or undefined: an exact word of the tables, else a base with an ending,
 * alone or closing a compound whose first part has at least three letters ("lagar" holds no "ägar").
 */
export function roleCueOf(word: string): RoleCue | undefined {
  const known = CUE_CACHE.get(word);
  if (known !== undefined || CUE_CACHE.has(word)) return known;
  const cue = weakened(word, baseCueOf(word));
  if (CUE_CACHE.size >= CUE_CACHE_SIZE) CUE_CACHE.delete(CUE_CACHE.keys().next().value!);
  CUE_CACHE.set(word, cue);
  return cue;
}

/**
 * The system role a word names with one typo (two in words of ten letters or more; a swap of neighbours counts as
 * one): "adminstrator", "systemförvltare", "deptuy", "fagsystemiegar". Only words of five letters or more, against
 * the role words of the tables with the same first letter; "ansvarig" and organisation roles are left out (too
 * many everyday words lie near them). Remembered per word like `roleCueOf`.
 */
export function misspeltRoleCueOf(word: string): RoleCue | undefined {
  if (word.length < 5) return undefined;
  const known = TYPO_CACHE.get(word);
  if (known !== undefined || TYPO_CACHE.has(word)) return known;
  const limit = word.length >= 10 ? 2 : 1;
  // A short word one letter longer or shorter than a role word is as often another word ("vilkår" and "vikar"):
  // below seven letters only a letter changed or two swapped count as a typo.
  const lengthLimit = word.length < 7 ? 0 : limit;
  let cue: RoleCue | undefined;
  for (const [candidate, candidateCue] of TYPO_CANDIDATES.get(word[0]!) ?? []) {
    if (Math.abs(candidate.length - word.length) > lengthLimit) continue;
    if (editDistance(word, candidate, limit) <= limit) {
      cue = candidateCue;
      break;
    }
  }
  if (TYPO_CACHE.size >= CUE_CACHE_SIZE) TYPO_CACHE.delete(TYPO_CACHE.keys().next().value!);
  TYPO_CACHE.set(word, cue);
  return cue;
}

const TYPO_CACHE = new Map<string, RoleCue | undefined>();
/** Role words of the tables by first letter, for `misspeltRoleCueOf`. */
const TYPO_CANDIDATES = new Map<string, [string, RoleCue][]>();
for (const [word, cue] of ROLE_WORDS) {
  if (cue.kind !== 'role' || cue.focus === 'all' || word.length < 5 || /^ansvar/.test(word)) continue;
  const list = TYPO_CANDIDATES.get(word[0]!) ?? [];
  list.push([word, cue]);
  TYPO_CANDIDATES.set(word[0]!, list);
}

/** Optimal string alignment distance (a swap of neighbours is one edit), or `limit + 1` once it must exceed it. */
function editDistance(a: string, b: string, limit: number): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i += 1) {
    const row: number[] = [i];
    let best = i;
    for (let j = 1; j <= b.length; j += 1) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      row.push(d);
      best = Math.min(best, d);
    }
    if (i > 0 && best > limit) return limit + 1;
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

/**
 * Words already read (most words of most messages are the same few hundred): the base scan below costs tens of
 * microseconds a word, a Map lookup nothing. Bounded, oldest first out.
 */
const CUE_CACHE = new Map<string, RoleCue | undefined>();
const CUE_CACHE_SIZE = 20_000;

function weakened(word: string, cue: RoleCue | undefined): RoleCue | undefined {
  // "ansvarig" alone asks for the administrator, but gives way to any role named more exactly.
  return cue?.kind === 'role' && /^(ansvar|webbansvar)/.test(word) ? { ...cue, weak: true } : cue;
}

function baseCueOf(word: string): RoleCue | undefined {
  if (NOT_ROLES.has(word)) return undefined;
  const exact = ROLE_WORDS.get(word);
  if (exact) return exact;
  let best: { length: number; cue: RoleCue } | undefined;
  for (const [base, cue] of ROLE_BASES) {
    if (base.length <= (best?.length ?? 0) || word.length < base.length) continue;
    const at = word.indexOf(base, Math.max(0, word.length - base.length - MAX_ENDING));
    if (at < 0 || (at > 0 && at < 3)) continue;
    if (!ENDING_SET.has(word.slice(at + base.length))) continue;
    // Three-letter bases ("cio", "dpo") only as whole words.
    if (base.length < 4 && word !== base) continue;
    best = { length: base.length, cue };
  }
  return best?.cue;
}

/** A multi-word role name starting at `at` in the folded words, with how many words it takes. */
export function rolePhraseAt(
  words: readonly string[],
  at: number,
): { cue: RoleCue; length: number } | undefined {
  for (const { words: phrase, cue } of ROLE_PHRASES.get(words[at] ?? '') ?? []) {
    if (phrase.every((w, i) => words[at + i] === w)) return { cue, length: phrase.length };
  }
  return undefined;
}

/** "ägarlösa system", "eigarlause", "ownerless": a gap of that role in one word. */
export function gapRoleOf(word: string): 'owner' | 'deputy' | undefined {
  if (/(agar|eigar|eier|owner)(los|laus|less)/.test(word)) return 'owner';
  if (/(ersattar|stedfortred|stadfortred|deputy|vikarie)\w*(los|laus|less)/.test(word)) return 'deputy';
  return undefined;
}
