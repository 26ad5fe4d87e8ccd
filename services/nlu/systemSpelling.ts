import type { SystemRecord } from '../../data/model.js';
import type { RegisterIndexes } from '../search/registerView.js';
import { FILLER_WORDS } from './cues.js';
import { roleCueOf } from './roleWords.js';
import { type Found, MAX_NAME_WORDS, type Span, type SystemSpan } from './found.js';
import type { Intent } from './intent.js';
import { keyOfFolded, normaliseKey, tokenize } from './normalise.js';
import { namesOf } from './registerNames.js';

/** A system's name or alias typed in another form: with an ending, words run together or apart, a typo. */

/**
 * A word left over that is a role word or a small word run into a system's name or alias ("ägarprocapita",
 * "vem äger förprocapita", "forgerica"): the name, and the role when one was typed with it. The name must be five
 * letters or more, a proper name (not an everyday word that is an alias), and the word before it two letters or more.
 */
export function gluedSystem(
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

/**
 * A system's name or alias with a definite or plural ending on its last word, when five letters remain: one word
 * ("Lifecaren"), or several, longest first ("Visma Flyt Skolen", "Public 360-en"), where the last word keeps at
 * least two characters of its own.
 */
export function definiteSystem(
  keys: readonly string[],
  words: readonly string[],
  indexes: RegisterIndexes,
  taken: (at: number) => boolean,
): SystemSpan | undefined {
  // Most words end in no definite ending: tested once per word, before the role words and the name's key are looked at.
  const definite = keys.map((key) => DEFINITE_ENDINGS.some((ending) => key.endsWith(ending)));
  if (!definite.includes(true)) return undefined;
  for (let length = Math.min(MAX_NAME_WORDS, keys.length); length >= 1; length -= 1) {
    for (let start = 0; start + length <= keys.length; start += 1) {
      const last = start + length - 1;
      const word = keys[last]!;
      if (word.length < (length === 1 ? 6 : 3) || !definite[last]) continue;
      if (FILLER_WORDS.has(words[last]!) || roleCueOf(words[last]!)) continue;
      let free = true;
      for (let at = start; at <= last; at += 1) if (taken(at) || keys[at] === '') free = false;
      if (!free) continue;
      const key = keys.slice(start, last + 1).join('');
      for (const ending of DEFINITE_ENDINGS) {
        if (!word.endsWith(ending) || key.length - ending.length < 5) continue;
        if (length > 1 && word.length - ending.length < 2) continue;
        const base = key.slice(0, -ending.length);
        const systems = indexes.systems.byKey(base);
        if (systems) return { start, end: last + 1, systems, spelled: spelling(systems, base) };
      }
    }
  }
  return undefined;
}

/** The name or alias of `systems` whose key is `key`, as the register spells it. */
function spelling(systems: readonly SystemRecord[], key: string): string | undefined {
  for (const system of systems) {
    const { names, keys } = namesAndKeysOf(system);
    for (let i = 0; i < names.length; i += 1) if (keys[i] === key) return names[i];
  }
  return undefined;
}

interface NamesAndKeys {
  /** The name, then the aliases. */
  names: readonly string[];
  /** `normaliseKey` of each of `names`. */
  keys: readonly string[];
}

/**
 * A system's name and aliases with their keys, made once per record (an exact question asks `spelling` on every
 * read), made again should the record's name or aliases differ from those the keys were made of.
 */
const namesAndKeys = new WeakMap<SystemRecord, NamesAndKeys>();
function namesAndKeysOf(system: SystemRecord): NamesAndKeys {
  const known = namesAndKeys.get(system);
  if (known !== undefined && sameNames(known.names, system)) return known;
  const names = [system.name, ...system.aliases];
  const made = { names, keys: names.map((name) => normaliseKey(name)) };
  namesAndKeys.set(system, made);
  return made;
}

function sameNames(names: readonly string[], system: SystemRecord): boolean {
  if (names.length !== system.aliases.length + 1 || names[0] !== system.name) return false;
  for (let i = 0; i < system.aliases.length; i += 1) if (names[i + 1] !== system.aliases[i]) return false;
  return true;
}

/**
 * The register's spelling of a name or alias typed with its words run together or split otherwise ("timecare" or
 * "time care" for "Time Care", "vismaflyt skole" for "Visma Flyt Skole"); undefined when typed word for word. The
 * answer then treats the name as it treats the spaced form: "Time Care", an alias of one system that another's name
 * holds too, is a choice of both, whether it was typed "Time Care" or "timecare".
 */
export function respaced(systems: readonly SystemRecord[], typed: readonly string[]): string | undefined {
  const key = keyOfFolded(typed.join(''));
  const spelled = spelling(systems, key);
  if (spelled === undefined) return undefined;
  const words = tokenize(spelled).map((t) => keyOfFolded(t.folded));
  const same = words.length === typed.length && words.every((word, i) => word === keyOfFolded(typed[i]!));
  return same ? undefined : spelled;
}

/** A grammar reading of a name typed exactly but spaced otherwise, with the register's spelling (see `respaced`). */
export function respacedCapture(
  intent: Extract<Intent, { kind: 'whoOwns' }>,
  indexes: RegisterIndexes,
): Intent {
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
export function transposedSystem(
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
export function respelledRun(
  found: Found,
  run: Span,
  indexes: RegisterIndexes,
  split: boolean,
): string | undefined {
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
