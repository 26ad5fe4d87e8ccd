import type { OrganisationRole } from '../../data/model.js';
import type { SystemFocus } from '../responsibility/answers.js';
import { ORGANISATION_ROLE_WORDS_BY_LANGUAGE, SYSTEM_ROLE_WORDS } from '../register/vocabulary.js';
import { fold } from './normalise.js';
import {
  ORGANISATION_ROLE_NOUNS,
  ORGANISATION_ROLE_VERBS,
  PAST_ROLE_VERBS,
  ROLE_NOUNS,
  ROLE_VERBS,
  WORD_CLASSES,
} from './vocabulary.js';

/**
 * The cue words of the entity-first reading (reader.ts), by what they signal. Role words are recognised in every
 * form: a base ("ägar", "stedfortred") followed by any ending people inflect it with ("-e", "-en", "-arna",
 * "-arane", "-erne", "-s"), alone or at the end of a compound ("it-systemägaren", "verksamhetssystemägare").
 * All words here are folded (fold()): "ersättare", "ersattare" and "ERSÄTTARE" are one word.
 */

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
  let cue: RoleCue | undefined;
  for (const [candidate, candidateCue] of TYPO_CANDIDATES.get(word[0]!) ?? []) {
    if (Math.abs(candidate.length - word.length) > limit) continue;
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

/** Words for one's roles: "mina roller", "kva roller har eg", "my responsibilities". */
// prettier-ignore
export const ROLES_WORDS = new Set([
  'roll', 'roller', 'rollerna', 'rollen', 'rolle', 'rollene', 'rollane', 'roles', 'role', 'uppdrag',
  'ansvarsomraden', 'ansvarsomrade', 'responsibilities', 'assignments', 'ansvarsområder', 'ansvarsomrader',
  'verv', 'oppgaver', 'oppgaver', 'oppgåver',
].map((w) => fold(w)));

/** English words for kinds of system, with the Scandinavian stems the register's aliases use. */
// prettier-ignore
export const NAME_GLOSSARY: ReadonlyMap<string, readonly string[]> = new Map([
  ['library', ['bibliotek']], ['intranet', ['intranät', 'intranett']], ['archive', ['arkiv']],
  ['archives', ['arkiv']], ['payroll', ['lön', 'løn', 'lønn']], ['salary', ['lön', 'løn', 'lønn']],
  ['finance', ['ekonomi', 'økonomi']], ['accounting', ['ekonomi', 'økonomi']], ['map', ['kart']],
  ['maps', ['kart']], ['website', ['webb', 'nettside']], ['web', ['webb']], ['budget', ['budget', 'budsjett']],
  ['procurement', ['upphandling', 'anbod', 'anbud']], ['diary', ['diari']], ['journal', ['journal']],
  ['records', ['journal']], ['kindergarten', ['barnehage', 'förskola']], ['preschool', ['förskola', 'barnehage']],
  ['school', ['skol', 'skule', 'skole']], ['rota', ['turnus', 'schema']], ['schedule', ['schema', 'turnus']],
  ['scheduling', ['schema', 'turnus']], ['alarm', ['larm']], ['alarms', ['larm']], ['incident', ['avvik']],
  ['incidents', ['avvik']], ['deviations', ['avvik']], ['permits', ['bygglov', 'byggesak']],
  ['medication', ['läkemedel', 'legemiddel']], ['childcare', ['barnomsorg', 'barnehage']],
  ['welfare', ['barnevern']], ['case', ['sak', 'ärende']], ['cases', ['sak', 'ärende']],
  ['invoices', ['faktura']], ['helpdesk', ['ärendesystem', 'brukarstøtte']],
]);

/** The single words of some lists, folded; phrases ("kven er det som") are left out, their words are no cue. */
function set(...lists: readonly (readonly string[])[]): ReadonlySet<string> {
  return new Set(lists.flat().flatMap((w) => (/\s/.test(w.trim()) ? [] : [fold(w.trim())])));
}

/** Question words: what makes a message a question rather than a remark. */
// prettier-ignore
export const QUESTION_WORDS = set(WORD_CLASSES.WHO!, WORD_CLASSES.WHAT!, WORD_CLASSES.HOW!, [
  'vem', 'vilka', 'kven', 'kvem', 'hvem', 'who', 'whos', 'whose', 'which', 'vems', 'kven sin', 'kem',
]);

/** "without", "missing", "saknar", "manglar": a gap in the register when said of a role. */
// prettier-ignore
export const GAP_WORDS = set([
  'utan', 'uten', 'without', 'saknar', 'saknas', 'manglar', 'mangler', 'mangla', 'manglande', 'manglende',
  'missing', 'lacking', 'lack', 'lacks', 'ingen', 'inga', 'inget', 'no', 'none', 'inte', 'ikkje', 'ikke',
  'not', 'ingen', 'ingi', 'inkje', 'utan', 'saknade', 'saknad', 'mangel', 'tom', 'tomma', 'unassigned',
  'vakant', 'vakanta', 'lack', 'nobody', 'noone', 'dont', 'doesnt', 'havent', 'hasnt', 'don', 'doesn', 'haven',
  'hasn',
]);

/**
 * Someone away: "kven steppar inn når fagsystemansvarleg er borte", "who covers when the owner is on leave". A role
 * named with one of these asks for whoever stands in: the deputy.
 */
// prettier-ignore
export const ABSENCE_WORDS = set([
  'borte', 'borta', 'away', 'absent', 'frånvarande', 'fråverande', 'fraværende', 'sjuk', 'sjukskriven',
  'sjukmeld', 'sjukmeldt', 'syk', 'sykmeldt', 'sick', 'ill', 'ferie', 'semester', 'vacation', 'holiday',
  'permisjon', 'tjänstledig', 'tenestefri', 'tjenestefri', 'ledig', 'föräldraledig',
  'foreldrepermisjon', 'bortrest', 'unavailable', 'otillgänglig', 'utilgjengeleg', 'utilgjengelig',
]);

/** Heads of something: with the IT unit named ("chef för IT-enheten") they are the IT manager. */
// prettier-ignore
export const HEAD_WORDS = set([
  'chef', 'chefen', 'sjef', 'sjefen', 'leiar', 'leiaren', 'leder', 'lederen', 'head', 'manager', 'boss',
  'ansvarig', 'ansvarleg', 'ansvarlig', 'föreståndare',
]);

/** Moving roles from one person to another: "flytt alle rollene hennar over til Eirik", "transfer Anna's roles to". */
export const HANDOVER_WORDS = set(WORD_CLASSES.CARE_HANDOVER!, [
  'flytta',
  'flytte',
  'flytt',
  'move',
  'ge',
  'gi',
  'give',
  'över',
  'over',
  'lämna',
  'overta',
  'ta',
  'take',
]);
/** "till / til / to": the receiving end of a handover. */
export const TO_WORDS = set(WORD_CLASSES.CARE_TO!);

/** Words that name systems as a kind: "vilka system", "fagsystema", "systems". */
export const SYSTEMS_WORDS = set(WORD_CLASSES.SYSTEMS!, [
  'systemlista',
  'systemlistan',
  'systemliste',
  'systemlisten',
  'systemlista',
  'systemregister',
  'systemregistret',
  'systemregisteret',
  'systemoversikt',
  'systemöversikt',
  'systemöversikten',
  'systemoversikten',
  'systemoversikta',
  'systemkartan',
  'systemkartet',
  'systemet',
  'systema',
  'systemene',
  'systemen',
  'fagsystema',
  'fagsystemene',
  'fagsystemet',
  'tjenester',
  'verksamhetssystemen',
  'program',
  'programs',
  'apps',
  'applikasjonar',
  'applikasjoner',
]);

/** "list", "alla", "oversikt": asking for a list. */
export const LIST_WORDS = set(WORD_CLASSES.SHOW!, WORD_CLASSES.ALL!, [
  'lista',
  'list',
  'liste',
  'listen',
  'listan',
  'lage',
  'oversikt',
  'oversikten',
  'overview',
  'alle',
  'samtliga',
  'samtlige',
  'kva',
  'vad',
  'hva',
  'what',
  'which',
  'vilka',
  'hvilke',
  'kva for',
  'finns',
  'finst',
  'fins',
  'finnes',
  'are',
  'any',
  'some',
  'nokre',
  'noen',
  'några',
]);

/** Needing or asking for something for oneself: "jag behöver", "eg treng", "I need", "jeg vil ha". */
export const NEED_WORDS = set(WORD_CLASSES.NEED!, WORD_CLASSES.REQUEST_VERB!, [
  'beöver',
  'behover',
  'trenger',
  'treng',
  'skulle',
  'önskar',
  'onskar',
  'ønskjer',
  'ønsker',
  'søkje',
  'søke',
  'söka',
  'ansöka',
  'apply',
  'request',
  'requesting',
  'bestille',
  'beställa',
]);

/** Asking about a system without a role: "tell me about", "berätta om", "info om", "kva veit du om". */
// prettier-ignore
export const ABOUT_WORDS = set([
  'about', 'om', 'info', 'information', 'informasjon', 'berätta', 'fortel', 'fortell', 'tell', 'details',
  'detaljer', 'vet', 'veit', 'know', 'visa', 'show', 'vis', 'syn', 'kortet', 'card', 'who', 'vem', 'kven',
  'hvem', 'fråga', 'spørje', 'spørre', 'ask', 'kontakta', 'kontakte', 'contact', 'vända', 'vende', 'turn',
  'snakke', 'snakka', 'prata', 'talk',
]);

/** Words of request change: a change or an end of access rather than new access. */
export const STOP_WORDS = set(WORD_CLASSES.STOP!, [
  'stäng',
  'stänga',
  'close',
  'steng',
  'stenge',
  'stengje',
  'deaktivera',
  'deaktiver',
  'bort',
  'disable',
  'delete',
  'ta bort',
  'fjerna',
  'sperra',
  'spärra',
]);
// prettier-ignore
export const CHANGE_WORDS = set(WORD_CLASSES.CHANGE!, WORD_CLASSES.CHANGED!, [
  'utvidet', 'utvida', 'utvidede', 'utvida', 'utökad', 'utökade', 'utöka', 'mer', 'meir', 'more', 'extended',
  'extra', 'ytterligare', 'fler', 'flere', 'fleire', 'other', 'justera', 'justere', 'upgrade', 'uppgradera',
  'oppgradere', 'höjd', 'høgare', 'høyere', 'higher', 'bredare', 'breiare', 'bredere', 'wider',
  // Passive: "kan min behörighet i X ändras?", "kan tilgangen min endrast?".
  'ändras', 'utökas', 'justeras', 'endrast', 'endres', 'utvidast', 'utvides', 'justerast', 'justeres',
]);

/** Who and how: "who can give me access" asks for a person, "how do I get access" for one too; no request. */
export const WHO_WORDS = set([
  'who',
  'whom',
  'whos',
  'vem',
  'vems',
  'kven',
  'hvem',
  'how',
  'hur',
  'korleis',
  'hvordan',
]);
/** "kan jag få", "can I get": asking to be given something. */
export const GET_WORDS = set(['få', 'fa', 'get', 'faa', 'receive', 'have', 'ha', 'gis', 'given']);
/** The asker's own: "min beställning", "søknaden min", "my request". */
export const MY_WORDS = set(WORD_CLASSES.MY!, ['mitt', 'mina', 'mine', 'mi', 'mine', 'my', 'min']);
/** The asker: "väntar på mig", "waiting for me". */
export const SELF_WORDS = set(WORD_CLASSES.SELF!, ['mig', 'meg', 'me', 'jag', 'eg', 'jeg']);
/** Requests as things: "ärenden", "saker", "søknaden", "my order". */
// prettier-ignore
export const REQUEST_WORDS = set(WORD_CLASSES.REQUESTS!, [
  'beställning', 'beställningen', 'beställningar', 'beställningarna', 'bestilling', 'bestillinga', 'bestillingen',
  'bestillingar', 'bestillinger', 'søknad', 'søknaden', 'søknadene', 'ärendet', 'ärendena', 'ärende', 'saka',
  'saken', 'sak', 'tickets', 'ticket', 'applications', 'application', 'orders', 'förfrågan', 'førespurnaden',
  'forespørselen', 'forespørsel', 'ansökan', 'ansökningen', 'requests', 'request',
]);
/** Open or waiting, of requests: "öppna ärenden", "saker som har ligget". */
export const OPEN_WORDS = set(WORD_CLASSES.OPEN!, WORD_CLASSES.WAITED!, [
  'legat',
  'lege',
  'ligget',
  'ligg',
  'ligger',
  'liggande',
  'pending',
  'open',
  'opne',
  'åpne',
  'öppna',
  'oppe',
  'öppen',
  'open',
  'uavklara',
  'ubehandla',
  'ubehandlede',
  'obehandlade',
  'unhandled',
  'stuck',
]);
/** Waiting on the asker: "väntar på mitt godkännande", "ventar på godkjenninga mi". */
export const WAITING_WORDS = set(WORD_CLASSES.WAITING!, [
  'väntar',
  'ventar',
  'venter',
  'awaiting',
  'waiting',
  'waits',
]);
export const APPROVAL_WORDS = set([
  'godkännande',
  'godkännandet',
  'godkjenning',
  'godkjenninga',
  'godkjenningen',
  'approval',
  'approvals',
  'beslut',
  'avgjerd',
  'avgjørelse',
  'decision',
  'attest',
  'attestering',
]);
/** Approving as a verb: "er det noko eg må godkjenne", "anything I need to approve". */
// prettier-ignore
export const APPROVE_WORDS = set([
  'godkänna', 'godkänn', 'godkjenne', 'godkjenna', 'godkjenn', 'approve', 'attestera', 'attestere', 'sign off',
]);
/** Day and week words after a number: "5 dagar", "en uke", "two weeks". */
export const DAY_WORDS = set(WORD_CLASSES.DAYS!, ['døgn', 'dygn', 'dagen', 'dagane', 'dagene']);
export const WEEK_WORDS = set(['vecka', 'veckor', 'veckan', 'uke', 'uker', 'veke', 'veker', 'week', 'weeks']);
/** The hygiene check named by its verb and object: "sjekk registeret", "check the register". */
export const CHECK_WORDS = set(WORD_CLASSES.CHECK_VERB!, [
  'sjekke',
  'sjekk',
  'kontrollere',
  'gå gjennom',
  'granske',
  'kontroll',
  'kontrollen',
  'granska',
  'granskning',
  'gjennomgang',
  'review',
  'audit',
]);
/** Equipment as things one holds: "vilken utrustning står på mig", "kva utstyr har oppvekst". */
export const EQUIPMENT_WORDS = set(WORD_CLASSES.ORDER_OBJECT!, ['grejer']);
/** "registrerad på mig", "registered to Teknisk". */
export const REGISTERED_WORDS = set(WORD_CLASSES.REGISTERED!);
export const REGISTER_WORDS = set(WORD_CLASSES.REGISTER_NOUN!, [
  'registeret',
  'registret',
  'registry',
  'register',
]);
/** Register care: first words that assign a role or change an entry. */
// prettier-ignore
export const CARE_ASSIGN_WORDS = set(WORD_CLASSES.CARE_MAKE!, [
  'add', 'lägg', 'legg', 'sätt', 'satt', 'sett', 'set', 'make', 'gör', 'gjer', 'gjør', 'appoint', 'utse',
  'utnämn', 'utnemn', 'registrera', 'registrer', 'put', 'assign', 'tilldela', 'tildel', 'nominate', 'lägga',
  'legge', 'leggje', 'sätta', 'setje', 'sette', 'göra', 'gjere', 'gjøre', 'byt', 'byta', 'byte', 'bytt',
  'replace', 'ersätt', 'erstatt', 'erstatte',
]);
export const CARE_EDIT_WORDS = set(WORD_CLASSES.CARE_EDIT!);
/** Asking for help: a greeting with one of these asks for help, not only says hello. */
export const HELP_WORDS = set(WORD_CLASSES.HELP!, ['hjälpa', 'hjelpe', 'hjelpa', 'assist']);
export const GREETING_WORDS = set(WORD_CLASSES.GREETING!, [
  'hei',
  'hej',
  'hello',
  'hi',
  'hey',
  'hallo',
  'hallå',
  'heisann',
  'hejsan',
  'morn',
  'morna',
  'tjena',
  'tja',
]);

/**
 * Words that carry no name: the grammar's words, pronouns, small talk. A run of them is never searched as a
 * system name; a word of a system's own name or alias still matches exactly.
 */
// prettier-ignore
export const FILLER_WORDS = new Set([
  // The ends of thanks and greetings at the end of a message: "thanks in advance", "takk på forhånd".
  ...['står', 'stod', 'tillhör', 'tilhører', 'høyrer', 'belongs', 'belong', 'advance', 'förhand', 'forhånd', 'førehand', 'hälsningar', 'hälsning', 'helsing', 'hilsen', 'regards', 'mvh', 'cheers', 'pls', 'plz', 'tusen', 'stort'].map((w) => fold(w)),
  ...Object.values(WORD_CLASSES).flatMap((words) => words.flatMap((w) => fold(w).split(/\s+/))),
  ...set(
  [
    'jag', 'du', 'ni', 'vi', 'han', 'hon', 'den', 'det', 'de', 'dem', 'oss', 'er', 'eg', 'me', 'dykk', 'dei',
    'deg', 'dig', 'you', 'we', 'they', 'it', 'its', 'this', 'that', 'these', 'those', 'there', 'here',
    'and', 'or', 'but', 'och', 'eller', 'men', 'og', 'elles', 'so', 'så', 'also', 'också', 'også', 'og',
    'hej', 'hei', 'hallo', 'hello', 'hi', 'hey', 'tack', 'takk', 'thanks', 'thank', 'please', 'snälla',
    'vänligen', 'venleg', 'vennligst', 'gärna', 'gjerne', 'kindly', 'pls', 'plz', 'mvh', 'hilsen', 'helsing',
    'undrar', 'lurer', 'lurar', 'wonder', 'wondering', 'wondered', 'fråga', 'question', 'spørsmål',
    'undra', 'säga', 'seie', 'si', 'say', 'tell', 'berätta', 'fortelje', 'fortelle', 'fortell', 'vet',
    'veit', 'vite', 'know', 'knows', 'kunna', 'kunne', 'could', 'would', 'will', 'can', 'kan', 'ska',
    'skal', 'shall', 'should', 'måste', 'må', 'must', 'behöver', 'treng', 'trenger', 'need', 'needs',
    'egentligen', 'eigentleg', 'egentlig', 'actually', 'really', 'just', 'bara', 'berre', 'bare', 'only',
    'nu', 'no', 'nå', 'now', 'idag', 'i dag', 'today', 'currently', 'för närvarande', 'nåverande',
    'nuvarande', 'current', 'noverande', 'nåværende', 'gäller', 'gjeld', 'gjelder', 'regarding',
    'angående', 'ang', 'om', 'about', 'på', 'for', 'för', 'til', 'till', 'to', 'of', 'av', 'in', 'i',
    'on', 'at', 'hos', 'med', 'with', 'from', 'från', 'frå', 'fra', 'by', 'som', 'who', 'whom', 'which',
    'that', 'vem', 'kven', 'hvem', 'vad', 'kva', 'hva', 'what', 'vilken', 'vilket', 'vilka', 'hvilken',
    'hvilket', 'hvilke', 'kva for', 'korleis', 'hvordan', 'hur', 'how', 'is', 'are', 'was', 'were', 'be',
    'är', 'var', 'er', 'vart', 'vore', 'blir', 'blei', 'ble', 'har', 'hev', 'have', 'has', 'had', 'hade',
    'hadde', 'do', 'does', 'did', 'gör', 'gjer', 'gjør', 'the', 'a', 'an', 'en', 'ett', 'ein', 'eit', 'ei',
    'någon', 'nokon', 'noen', 'något', 'noko', 'noe', 'några', 'nokre', 'any', 'some', 'someone', 'somebody',
    'anyone', 'person', 'personen', 'people', 'folk', 'mig', 'meg', 'my', 'mine', 'min', 'mitt', 'mina',
    'mi', 'vår', 'vårt', 'våra', 'våre', 'our', 'your', 'din', 'ditt', 'dina', 'dine', 'kommun', 'kommunen',
    'kommune', 'organisation', 'organisasjon', 'organisationen', 'organisasjonen', 'system', 'systemet',
    'fagsystem', 'fagsystemet', 'programmet', 'appen', 'tjänsten', 'tenesta', 'tjenesten', 'ok', 'okej',
    'okay', 'bra', 'fint', 'flott', 'great', 'good', 'nice', 'kul', 'hm', 'hmm', 'eh', 'öh', 'ja', 'nej',
    'nei', 'yes', 'jo', 'hjälp', 'hjelp', 'help', 'snabbt', 'fort', 'quick', 'quickly', 'kort', 'briefly',
    'igen', 'igjen', 'again', 'ansvar', 'ansvaret', 'hand', 'handa', 'charge', 'går', 'gå', 'get', 'få',
    'got', 'fick', 'fikk', 'där', 'der', 'här', 'her', 'sen', 'sedan', 'then', 'när', 'når', 'when', 'why',
    'varför', 'kvifor', 'hvorfor', 'if', 'om', 'kanske', 'kanskje', 'maybe', 'perhaps', 'än', 'enn',
    'than', 'very', 'mycket', 'mykje', 'mye', 'much', 'lite', 'litt', 'little', 'bit', 'quite', 'ganska',
    'nokså', 'ganske', 'dag', 'day', 'morgon', 'morgen', 'morning', 'kollega', 'kollegor', 'kollegaer',
    'colleague', 'chef', 'sjef', 'boss', 'manager', 'leiar', 'leder', 'team', 'jobb', 'job', 'work',
    'arbete', 'arbeid', 'måndag', 'monday', 'ny', 'nytt', 'nya', 'new', 'nye', 'gammal', 'gamle', 'old',
    'ens', 'alls', 'overhodet', 'heller', 'either', 'too', 'också', 'även', 'òg', 'au', 'tror', 'trur',
    'think', 'glömt', 'gløymt', 'glemt', 'forgot', 'forgotten', 'minns', 'husker', 'hugsar', 'remember',
    'vill', 'vil', 'want', 'wants', 'like', 'gillar', 'likar', 'liker', 'lika', 'same', 'samma', 'same',
    'opp', 'ut', 'fram', 'upp', 'whole', 'hele', 'heile', 'hela', 'entire', 'complete', 'full', 'fullständig',
  ]),
]);

/** Question words people run into the next word ("vemäger", "kvener", "hvemeier", "whoowns"), folded, longest first. */
const RUN_TOGETHER_HEADS = [
  'hvilken',
  'hvilket',
  'vilken',
  'vilket',
  'hvilke',
  'vilka',
  'which',
  'hvem',
  'kven',
  'what',
  'vem',
  'vad',
  'kva',
  'hva',
  'who',
];
/** What follows such a question word: a verb of being, having or may, a role verb, "roles" or "systems". */
const RUN_TOGETHER_TAILS: ReadonlySet<string> = new Set(
  [
    ...WORD_CLASSES.BE!,
    ...WORD_CLASSES.HAVE!,
    ...WORD_CLASSES.OWN!,
    ...WORD_CLASSES.CAN!,
    ...WORD_CLASSES.GIVES!,
    ...WORD_CLASSES.ROLE_WORD!,
    ...['system', 'systems', 'systemer', 'systema'],
    ...Object.values(ROLE_VERBS).flat(),
    ...Object.values(PAST_ROLE_VERBS).flat(),
  ]
    .filter((w) => !/\s/.test(w))
    .map((w) => fold(w))
    .filter((w) => w.length >= 2),
);

/**
 * The message with words run together put apart (a missed space bar): after a comma, "!", "?" or ";" typed without a
 * space, and a question word run into the next word: "vemäger Procapita" → "vem äger Procapita", "kvener
 * fagsystemansvarleg" → "kven er …", "whoowns X" → "who owns X". Only a word that is a question word followed by a
 * verb of being or having, a role verb, "roles" or "systems", nothing else, so ordinary words that start like one
 * ("kvar", "whoever", "vilkår") stay as they are. Case and diacritics are kept.
 */
export function spaceRunTogether(text: string): string {
  // "Procapita,vem är ägare?", "hej!kven eig Gerica", "vem äger Procapita?tack": no space after a comma, "!", "?",
  // ";" or an ellipsis between two words. (A full stop may be part of a name or address: "arealplaner.no".)
  const spaced = text.replace(/(\p{L})([,;!?]+|\.{2,}|…)(?=\p{L})/gu, '$1$2 ');
  return spaced.replace(/\p{L}{5,}/gu, (word) => {
    const folded = fold(word);
    if (QUESTION_WORDS.has(folded) || folded.length !== word.length) return word;
    for (const head of RUN_TOGETHER_HEADS) {
      if (folded.startsWith(head) && RUN_TOGETHER_TAILS.has(folded.slice(head.length)))
        return `${word.slice(0, head.length)} ${word.slice(head.length)}`;
    }
    return word;
  });
}
