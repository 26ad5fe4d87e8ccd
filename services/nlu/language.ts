import type { Language } from '../../data/model.js';
import { fold, tokenize, type Token } from './normalise.js';
import { LANGUAGE_MARKERS } from './vocabulary.js';

/** What the words of a question say about its language. */
export interface LanguageEvidence {
  /** Set only when one language clearly has more marker words than every other. */
  language?: Language;
  /** Norwegian words were found, but nothing that tells Nynorsk from Bokmål ("mine roller", "leverandør for X"). */
  norwegian: boolean;
}

type MarkerLanguage = Language | 'no';

/**
 * Folded spellings that are ordinary words elsewhere: "för" typed without diacritics is "for", which every
 * language here uses, so "for" must not count as Swedish.
 */
const AMBIGUOUS_FOLDS = new Set([
  'for',
  'ar',
  'at',
  'pa',
  'ma',
  'na',
  'da',
  'sa',
  'til',
  'far',
  'fa',
  'over',
  'ga',
]);

function buildMarkerMaps(): {
  raw: Map<string, Set<MarkerLanguage>>;
  folded: Map<string, Set<MarkerLanguage>>;
} {
  const raw = new Map<string, Set<MarkerLanguage>>();
  for (const [language, words] of Object.entries(LANGUAGE_MARKERS) as [MarkerLanguage, readonly string[]][]) {
    for (const word of words) {
      const key = word.toLowerCase();
      raw.set(key, (raw.get(key) ?? new Set()).add(language));
    }
  }
  const folded = new Map<string, Set<MarkerLanguage>>();
  for (const [word, languages] of raw) {
    const key = fold(word);
    if (key === word || AMBIGUOUS_FOLDS.has(key) || raw.has(key)) continue;
    const existing = folded.get(key);
    folded.set(key, existing ? new Set([...existing, ...languages]) : new Set(languages));
  }
  return { raw, folded };
}

const MARKERS = buildMarkerMaps();

/**
 * Endings that tell Nynorsk from Bokmål in compounds the marker lists cannot hold: "fagsystemansvarlig" and
 * "bestillinger" are Bokmål, "fagsystemansvarleg" and "superbrukarane" Nynorsk. Folded, words of eight letters or
 * more. (Not "-ingar": Swedish plurals end so too.)
 */
const FORM_ENDINGS: readonly (readonly [RegExp, MarkerLanguage])[] = [
  [/ansvarlige?$/, 'nb'],
  [/ansvarlege?$/, 'nn'],
  [/(eier|eieren|eiere|eierne)$/, 'nb'],
  [/(eigar|eigaren|eigarar|eigarane)$/, 'nn'],
  [/(bruker|brukeren|brukere|brukerne)$/, 'nb'],
  [/(brukar|brukaren|brukarar|brukarane)$/, 'nn'],
  [/(inger|ingene)$/, 'nb'],
];

function formLanguage(folded: string): MarkerLanguage | undefined {
  if (folded.length < 8) return undefined;
  for (const [ending, language] of FORM_ENDINGS) if (ending.test(folded)) return language;
  return undefined;
}

/** Counts marker words per language; a word listed for several languages counts for none of them. */
export function languageEvidence(text: string): LanguageEvidence {
  return languageEvidenceOf(tokenize(text));
}

/** `languageEvidence` of words already tokenized. */
export function languageEvidenceOf(tokens: readonly Token[]): LanguageEvidence {
  const score: Record<MarkerLanguage, number> = { sv: 0, nn: 0, nb: 0, en: 0, no: 0 };
  for (const token of tokens) {
    const languages = MARKERS.raw.get(token.raw.toLowerCase()) ?? MARKERS.folded.get(token.folded);
    if (languages === undefined) {
      const form = formLanguage(token.folded);
      if (form !== undefined) score[form] += 1;
      continue;
    }
    if (languages.size !== 1) continue;
    for (const language of languages) score[language] += 1;
  }
  const candidates: Record<Language, number> = {
    sv: score.sv,
    en: score.en,
    nn: score.nn + score.no,
    nb: score.nb + score.no,
  };
  const ranked = (Object.entries(candidates) as [Language, number][]).sort((a, b) => b[1] - a[1]);
  const [first, second] = ranked as [[Language, number], [Language, number]];
  if (first[1] === 0) return { norwegian: false };
  if (first[1] > second[1]) return { language: first[0], norwegian: first[0] === 'nn' || first[0] === 'nb' };
  const norwegianTie = (first[0] === 'nn' || first[0] === 'nb') && (second[0] === 'nn' || second[0] === 'nb');
  const third = ranked[2]![1];
  return { norwegian: norwegianTie && first[1] > third };
}

/** The language the text is clearly written in, or undefined (a bare system name is in no language). */
export function detectLanguage(text: string): Language | undefined {
  return languageEvidence(text).language;
}

/** The language a Teams locale names: sv-* → sv, nn-* → nn, nb-* and no-* → nb, en-* → en; others → undefined. */
export function localeLanguage(locale: string | undefined): Language | undefined {
  const prefix = locale?.trim().toLowerCase().split(/[-_]/)[0];
  switch (prefix) {
    case 'sv':
      return 'sv';
    case 'nn':
      return 'nn';
    case 'nb':
    case 'no':
      return 'nb';
    case 'en':
      return 'en';
    default:
      return undefined;
  }
}

/**
 * The language of the answer, first that applies:
 * 1. the language the question is clearly written in;
 * 2. the language this person last wrote clearly (`recent`), when the question could be it: any language for a
 *    message in none ("hjelp" is Norwegian, a bare system name is nothing), Nynorsk or Bokmål for a Norwegian one;
 * 3. when the question is Norwegian but not clearly Nynorsk or Bokmål: the Norwegian form of the Teams locale,
 *    else of the organisation, else Bokmål (the form most Norwegians write);
 *    (a Nynorsk organisation's nb-NO client is answered in Bokmål until its user writes Nynorsk clearly);
 * 4. the Teams locale of the client (the user chose it);
 * 5. the organisation's language;
 * 6. English.
 */
export function resolveLanguage(
  detected: Language | undefined,
  teamsLocale?: string,
  organisationLanguage?: Language,
  norwegian = false,
  recent?: Language,
): Language {
  if (detected) return detected;
  if (recent !== undefined && (!norwegian || recent === 'nn' || recent === 'nb')) return recent;
  const fromLocale = localeLanguage(teamsLocale);
  const norwegianOrganisation = organisationLanguage === 'nn' || organisationLanguage === 'nb';
  // The locale comes before the organisation even for a Nynorsk organisation's nb-NO client (issue 10): people who
  // write Bokmål there are many, and whoever writes Nynorsk once is then answered in it (`recent`).
  if (norwegian) {
    if (fromLocale === 'nn' || fromLocale === 'nb') return fromLocale;
    if (norwegianOrganisation) return organisationLanguage;
    return 'nb';
  }
  return fromLocale ?? organisationLanguage ?? 'en';
}
