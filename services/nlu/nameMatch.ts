import type { SystemRecord } from '../../data/model.js';
import { FILLER_WORDS } from './cues.js';
import { MAX_NAME_WORDS } from './found.js';
import { normaliseKey, tokenize } from './normalise.js';

/** How closely typed words name a system: a fuzzy hit is kept only when they do. */

/** Whether the typed words are the system's name or an alias with at most one typo in five letters. */
export function closeTo(query: string, system: SystemRecord): boolean {
  const key = normaliseKey(query);
  return nameKeys(system).some((other) => {
    const limit = Math.floor(Math.max(key.length, other.length) / 5);
    // Names too long or too short to be that close cost no table.
    return Math.abs(key.length - other.length) <= limit && levenshtein(key, other, limit) <= limit;
  });
}

/** The keys of a system's name and aliases, kept while the (immutable) record lives: folding costs more than the table. */
const KEYS = new WeakMap<SystemRecord, readonly string[]>();

export function nameKeys(system: SystemRecord): readonly string[] {
  let keys = KEYS.get(system);
  if (keys === undefined) {
    keys = [system.name, ...system.aliases].map(normaliseKey);
    KEYS.set(system, keys);
  }
  return keys;
}

/** The fewest edits from `key` to a key of the system's name or aliases, counted up to `limit` (beyond: more). */
export function editsToName(key: string, system: SystemRecord, limit = Infinity): number {
  let best = Infinity;
  for (const other of nameKeys(system)) {
    const bound = Math.min(limit, best);
    if (Math.abs(key.length - other.length) > bound) continue;
    best = Math.min(best, levenshtein(key, other, bound));
  }
  return best;
}

/**
 * Edits between two words; two neighbouring letters swapped count as one ("Kyolgo" for "Kylogo"). Beyond `limit`
 * (when given) the count stops early and is only known to be more.
 */
function levenshtein(a: string, b: string, limit = Infinity): number {
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    let least = i;
    for (let j = 1; j <= b.length; j += 1) {
      let cost = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        cost = Math.min(cost, before[j - 2]! + 1);
      current.push(cost);
      if (cost < least) least = cost;
    }
    if (least > limit) return least;
    before = previous;
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * Whether each word of `query` (filler aside) is a word of the system's name or aliases, a beginning of one, or one
 * typo away from one ("procapitta hsl" for Procapita HSL; not "school transport" for SchoolSoft).
 */
export function holdsEveryWord(query: string, system: SystemRecord): boolean {
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
export function namesClosely(query: string, system: SystemRecord): boolean {
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
