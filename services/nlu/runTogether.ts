import { QUESTION_WORDS } from './cues.js';
import { fold } from './normalise.js';
import { PAST_ROLE_VERBS, ROLE_VERBS, WORD_CLASSES } from './vocabulary.js';

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
/** The character codes the heads begin with (lower case). */
const RUN_TOGETHER_FIRST: ReadonlySet<number> = new Set(RUN_TOGETHER_HEADS.map((head) => head.charCodeAt(0)));
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
    // Every question word begins with h, k, v or w: a word beginning with another ASCII letter is no run-together.
    const first = word.charCodeAt(0);
    if (first < 128 && !RUN_TOGETHER_FIRST.has(first | 0x20)) return word;
    const folded = fold(word);
    if (QUESTION_WORDS.has(folded) || folded.length !== word.length) return word;
    for (const head of RUN_TOGETHER_HEADS) {
      if (folded.startsWith(head) && RUN_TOGETHER_TAILS.has(folded.slice(head.length)))
        return `${word.slice(0, head.length)} ${word.slice(head.length)}`;
    }
    return word;
  });
}
