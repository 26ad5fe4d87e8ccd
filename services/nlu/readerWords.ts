/** Small word tables of the entity-first reading that are no cue of their own (cues.ts holds those). */

/** "(kva system har) vi", "(what systems do) we use": the asker's own organisation, with the verbs a pattern takes along. */
export const WE_WORDS = new Set([
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
export const LONGER_WORDS = new Set(['langre', 'lenger', 'lengre', 'longer']);
export const NOT_WORDS = new Set(['inte', 'ej', 'ikkje', 'ikke', 'no', 'not']);
export const MODAL_WORDS = new Set(['ska', 'skall', 'skal', 'will', 'shall', 'should', 'bor', 'kan', 'can']);
export const BECOME_WORDS = new Set([
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

export const ALL_WORDS = new Set(['alla', 'alle', 'all', 'every', 'varje', 'kvart', 'hvert']);
export const HAVE_WORDS = new Set(['har', 'have', 'has', 'do', 'does']);
/** Access review nouns, folded: "granskning(ar)", "behörighetsgranskningen", "(tilgangs)gjennomgang(ar)", "review(s)". */
export const REVIEW_NOUN =
  /^(behorighets|tilgangs|tilgongs|access|brukartilgangs|brukertilgangs)?(granskning|gjennomgang|review)/;
export const REVIEW_START = new Set(['starta', 'start', 'starte', 'begin', 'borja', 'granska', 'review']);
export const WEAK_ABOUT = new Set(['om', 'about']);
/** "när / når / when": a clause that may say who is away. */
export const BE_WORDS = new Set(['er', 'ar', 'blir', 'vert', 'is']);
export const GIVE_WORDS = new Set([
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
export const WHEN_WORDS = new Set(['nar', 'when', 'while', 'medan', 'mens', 'whilst']);

// prettier-ignore
const NUMBER_WORDS = new Map<string, number>([
  ['en', 1], ['ett', 1], ['ein', 1], ['eit', 1], ['one', 1], ['a', 1], ['två', 2], ['tva', 2], ['to', 2],
  ['two', 2], ['tre', 3], ['three', 3], ['fyra', 4], ['fire', 4], ['four', 4], ['fem', 5], ['five', 5],
  ['sex', 6], ['seks', 6], ['six', 6], ['sju', 7], ['seven', 7], ['åtta', 8], ['atta', 8], ['åtte', 8],
  ['atte', 8], ['eight', 8], ['nio', 9], ['ni', 9], ['nine', 9], ['tio', 10], ['ti', 10], ['ten', 10],
  ['fjorton', 14], ['fjorten', 14], ['fourteen', 14],
]);

export function numberWord(word: string): number | undefined {
  if (/^\d{1,3}$/.test(word)) return Number(word);
  return NUMBER_WORDS.get(word);
}

/** Verbs that order: "beställ", "bestill", "tinge", "order". */
export const ORDER_WORDS = new Set([
  'order',
  'bestall',
  'bestalla',
  'bestill',
  'bestille',
  'tinge',
  'ting',
  'tinga',
]);
