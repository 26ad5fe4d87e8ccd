/**
 * Text normalisation shared by the question parser and the search indexes. One folding rule everywhere, so a
 * word typed without diacritics ("vem ager", "leverandor") meets the register's spelling.
 */

/** Letters NFD does not decompose, or that Scandinavians write as two letters. */
const LIGATURES: Record<string, string> = { æ: 'ae', ø: 'o', œ: 'oe', ß: 'ss', ð: 'd', þ: 'th', ł: 'l' };
const LIGATURE_PATTERN = /[æøœßðþł]/g;
const COMBINING_MARKS = /\p{M}+/gu;
const NON_ASCII = /[^ -~]/;
const NOT_KEY = /[^\p{L}\p{N}]+/gu;
const KEY_ONLY = /^[a-z0-9]*$/;

/** Lower-cases and folds diacritics: ä/å/á→a, ö/ø→o, æ→ae, é→e, ü→u. Keeps everything else as it is. */
export function fold(text: string): string {
  const lower = text.toLowerCase();
  // Most words people type are printable ASCII: nothing to fold, no NFD copy (the hot path folds every word).
  if (!NON_ASCII.test(lower)) return lower;
  return lower
    .replace(LIGATURE_PATTERN, (c) => LIGATURES[c] ?? c)
    .normalize('NFD')
    .replace(COMBINING_MARKS, '');
}

/**
 * The exact-match key of a name: folded, with every character that is not a letter or digit removed, so
 * "Public 360", "public-360" and "PUBLIC360" share one key.
 */
export function normaliseKey(text: string): string {
  return keyOfFolded(fold(text));
}

/** `normaliseKey` of text already folded with `fold` (a token's `folded`). */
export function keyOfFolded(folded: string): string {
  return KEY_ONLY.test(folded) ? folded : folded.replace(NOT_KEY, '');
}

/** The named entities Teams and Outlook-pasted text use; case matters (`&Aring;` is Å). */
const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  shy: '',
  auml: 'ä',
  Auml: 'Ä',
  ouml: 'ö',
  Ouml: 'Ö',
  aring: 'å',
  Aring: 'Å',
  aelig: 'æ',
  AElig: 'Æ',
  oslash: 'ø',
  Oslash: 'Ø',
  eacute: 'é',
  Eacute: 'É',
  uuml: 'ü',
  Uuml: 'Ü',
  aacute: 'á',
  ndash: '–',
  mdash: '—',
  hellip: '…',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (entity, body: string) => {
    if (body[0] === '#') {
      const code =
        body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ' ';
    }
    return NAMED_ENTITIES[body] ?? NAMED_ENTITIES[body.toLowerCase()] ?? entity;
  });
}

/** Names the bot goes by in mentions; such a mention is addressing, not content. */
const BOT_NAMES = new Set(['ansvar', 'ansvarbot']);
const MENTION = /<at\b[^>]*>([\s\S]*?)<\/at>/gi;
const LEADING_MENTIONS = /^\s*(?:<at\b[^>]*>[\s\S]*?<\/at>[\s,:]*)+/i;

/**
 * What the user typed, without Teams markup. Mentions at the start ("@Ansvar who owns …") and mentions of the bot
 * are removed with their text; any other mention keeps its text, since it names someone asked about ("vad äger
 * @Anna Berg"). Other HTML tags are dropped, entities decoded, whitespace collapsed. Case and diacritics are kept.
 */
export function cleanUtterance(text: string): string {
  const withoutMentions = text
    .replace(LEADING_MENTIONS, ' ')
    .replace(MENTION, (_, name: string) => (BOT_NAMES.has(name.trim().toLowerCase()) ? ' ' : ` ${name} `));
  const withoutTags = withoutMentions.replace(/<\/?[a-z][^>]*>/gi, ' ');
  return spaceAfterStops(decodeEntities(withoutTags).replace(/\s+/g, ' ').trim());
}

/** A full stop, "!" or "?" typed between two words with no space ("Hej.Vem äger X", "tack!vem"). */
const RUN_ON_STOP = /(\p{L}{2})([.!?]+)(?=\p{L}{2})/gu;

/**
 * "Hej.Vem äger Procapita" → "Hej. Vem äger Procapita": a sentence typed on without its space. Addresses and names
 * that hold a dot ("anna.berg@kommun.se", "www.kommun.se", "t.ex.") stay as typed.
 */
function spaceAfterStops(text: string): string {
  if (!/\p{L}[.!?]\p{L}/u.test(text)) return text;
  return text
    .split(' ')
    .map((chunk) => (/[@/:]|^www\./i.test(chunk) ? chunk : chunk.replace(RUN_ON_STOP, '$1$2 ')))
    .join(' ');
}

export interface Token {
  /** As typed, without surrounding punctuation. */
  raw: string;
  /** `fold(raw)`. */
  folded: string;
}

/**
 * Splits a cleaned utterance into words. Punctuation around a word is dropped; inside a word it stays
 * ("IT-stöd", "360.1"), except an apostrophe, which splits ("who's" → "who", "s").
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const chunk of text.split(/[\s'’]+/u)) {
    const raw = chunk.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    if (raw.length > 0) tokens.push({ raw, folded: fold(raw) });
  }
  return tokens;
}

/**
 * A name as people write it on a keyboard without the letters: ø/ö as "oe", å as "aa", ä/æ as "ae" ("Nesoey",
 * "Baerum"). Organisation names are known in this spelling too; `fold` covers the other one ("Nesoy").
 */
export function spelledOut(text: string): string {
  return text.replace(/[øö]/giu, 'oe').replace(/å/giu, 'aa').replace(/[äæ]/giu, 'ae');
}
